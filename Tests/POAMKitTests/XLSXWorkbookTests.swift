import Foundation
import Testing
import ZIPFoundation

@testable import POAMKit

/// The XLSX workbook reader on STIG Manager's eMASS POA&M template and on a small workbook the
/// test builds part by part with ZIPFoundation.
struct XLSXWorkbookTests {
  /// The template's cells, read with Python's zipfile and xml.etree independently of poam.
  static let templateHeader = [
    "POA&M Item ID", "Control Vulnerability Description", "Controls / APs", "Office/Org", "Security Checks",
    "Resources Required", "Scheduled Completion Date", "Milestone ID", "Milestone with Completion Dates",
    "Milestone Changes", "Source Identifying Vulnerability ", "Status", "Comments", "Raw Severity", "Devices Affected",
    "Mitigations (in-house and in conjunction with the Navy CSSP)", "Predisposing Conditions", "Severity",
    "Relevance of Threat", "Threat Description", "Likelihood", "Impact", "Impact Description", "Residual Risk Level",
    "Recommendations", "Resulting Residual Risk after Proposed Mitigations",
  ]

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func readsTheEMASSTemplate() throws {
    let url = Paths.sharedFile("samples/csv/stig-manager_eMASS-POAM-template.xlsx")
    #expect(FormatDetector.detect(try Data(contentsOf: url)) == .format(.xlsx))
    let workbook = try XLSXWorkbook(path: url.path)
    #expect(workbook.sheetNames == ["POA&M"])
    let sheet = try workbook.sheet(named: "POA&M")
    #expect(sheet.rows.map(\.number) == [1, 2])
    #expect(sheet.rows[0].cells == Self.templateHeader)
    let second = sheet.rows[1].cells
    #expect(second.count == 26)
    // A2 and H2 hold no cell; F2 has a date format but holds a shared string.
    #expect(second[0] == "")
    #expect(second[1] == "${table:vuln.desc}")
    #expect(second[5] == "${table:vuln.resourcesRequired}")
    #expect(second[7] == "")
    #expect(second[25] == "${table:vuln.resultingRisk}")
    let fromMemory = try XLSXWorkbook(data: try Data(contentsOf: url), displayName: "t.xlsx").sheets()
    #expect(fromMemory == [sheet])
  }

  // MARK: - A workbook built here

  static func part(_ body: String) -> Data {
    Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + body).utf8)
  }

  static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

  static func workbookParts(date1904: Bool) -> [(String, Data)] {
    [
      (
        "[Content_Types].xml",
        part(
          #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
        )
      ),
      (
        "_rels/.rels",
        part(
          #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        )
      ),
      (
        "xl/workbook.xml",
        part(
          """
          <workbook xmlns="\(main)" xmlns:rel="\(relationships)"><workbookPr date1904="\(date1904 ? "1" : "0")"/>\
          <sheets><sheet name="Assessment" sheetId="1" rel:id="rId1"/><sheet name="Second" sheetId="2" rel:id="rId2"/></sheets></workbook>
          """)
      ),
      (
        "xl/_rels/workbook.xml.rels",
        part(
          """
          <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
          <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
          <Relationship Id="rId2" Type="\(relationships)/worksheet" Target="/xl/worksheets/other.xml"/>\
          <Relationship Id="rId3" Type="\(relationships)/sharedStrings" Target="sharedStrings.xml"/>\
          <Relationship Id="rId4" Type="\(relationships)/styles" Target="styles.xml"/></Relationships>
          """)
      ),
      (
        "xl/sharedStrings.xml",
        part(
          """
          <sst xmlns="\(main)" count="5" uniqueCount="5"><si><t>Requirement</t></si>\
          <si><r><t>Sta</t></r><r><rPr><b/></rPr><t>tus</t></r></si>\
          <si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>\
          <si><t xml:space="preserve"> padded </t></si><si><t>AC.L2-3.1.1</t></si></sst>
          """)
      ),
      (
        "xl/styles.xml",
        part(
          """
          <styleSheet xmlns="\(main)"><numFmts count="4">\
          <numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="0.00E+00"/>\
          <numFmt numFmtId="166" formatCode="[h]:mm:ss"/><numFmt numFmtId="167" formatCode="&quot;day &quot;0"/></numFmts>\
          <cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>\
          <xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="22"/></cellXfs></styleSheet>
          """)
      ),
      (
        "xl/worksheets/sheet1.xml",
        part(
          """
          <worksheet xmlns="\(main)"><dimension ref="A1:J8"/><sheetData>
          <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
          <c r="D1" t="inlineStr"><is><r><t>Da</t></r><r><t>te</t></r></is></c><c r="E1" t="s"><v>3</v></c></row>
          <row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="b"><v>1</v></c><c r="C2"><v>3.5</v></c>\
          <c r="D2" s="1"><v>45306</v></c><c r="E2" t="b"><v>0</v></c></row>
          <row r="4"><c r="A4" t="e"><v>#N/A</v></c><c r="C4" t="str"><f>LOWER("ABC")</f><v>abc</v></c>\
          <c r="D4" s="2"><v>1</v></c><c r="E4" s="3"><v>12345</v></c><c r="F4" s="4"><v>0.5</v></c>\
          <c r="G4" s="5"><v>7</v></c><c r="H4" s="6"><v>45306.5</v></c><c r="I4" s="1"><v>60</v></c>\
          <c r="J4" s="1"><v>61</v></c></row>
          <row r="5"><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c><c><v>42</v></c></row>
          <row><c r="A6" t="inlineStr"><is><t>no row number</t></is></c></row>
          <row r="7"><c r="A7" s="1"/></row>
          <row r="8"><c r="C8"><v>3</v></c></row>
          </sheetData></worksheet>
          """)
      ),
      (
        "xl/worksheets/other.xml",
        part(
          #"<worksheet xmlns="\#(main)"><sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>second sheet</t></is></c></row></sheetData></worksheet>"#
        )
      ),
    ]
  }

  static func zip(_ parts: [(String, Data)]) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, data) in parts {
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return try #require(archive.data)
  }

  @Test func readsEveryKindOfCell() throws {
    let workbook = try XLSXWorkbook(data: try Self.zip(Self.workbookParts(date1904: false)), displayName: "w.xlsx")
    #expect(workbook.sheetNames == ["Assessment", "Second"])
    let sheet = try workbook.sheet(at: 0)
    #expect(sheet.rows.map(\.number) == [1, 2, 4, 5, 6, 8])
    #expect(sheet.rows[0].cells == ["Requirement", "Status", "漢字", "Date", " padded "])
    #expect(sheet.rows[1].cells == ["AC.L2-3.1.1", "TRUE", "3.5", "2024-01-15", "FALSE"])
    #expect(
      sheet.rows[2].cells == [
        "#N/A", "", "abc", "1900-01-01", "12345", "0.5", "7", "2024-01-15", "1900-02-29", "1900-03-01",
      ])
    #expect(sheet.rows[3].cells == ["x", "y", "42"])
    #expect(sheet.rows[4].cells == ["no row number"])
    #expect(sheet.rows[5].cells == ["", "", "3"])
    let second = try workbook.sheet(named: "second")
    #expect(second.rows == [XLSXWorkbook.Row(number: 3, cells: ["", "second sheet"])])
  }

  @Test func readsThe1904DateSystem() throws {
    let workbook = try XLSXWorkbook(data: try Self.zip(Self.workbookParts(date1904: true)), displayName: "w.xlsx")
    let sheet = try workbook.sheet(at: 0)
    // Python: date(1904, 1, 1) + timedelta(45306) == 2028-01-16.
    #expect(sheet.rows[1].cells[3] == "2028-01-16")
  }

  @Test func reportsWhatIsWrongWithABrokenWorkbook() throws {
    let notZip = XMLImportTest.importError { _ = try XLSXWorkbook(data: Data("hello".utf8), displayName: "a.xlsx") }
    #expect(
      notZip
        == .malformed(
          file: "a.xlsx", line: nil, column: nil, expected: "expected an Excel workbook (.xlsx, a ZIP archive)"))

    let noWorkbook = XMLImportTest.importError {
      _ = try XLSXWorkbook(data: try Self.zip([("readme.txt", Data("x".utf8))]), displayName: "b.xlsx")
    }
    #expect(noWorkbook?.localizedDescription.contains("no xl/workbook.xml") == true)

    var parts = Self.workbookParts(date1904: false)
    let index = try #require(parts.firstIndex { $0.0 == "xl/worksheets/sheet1.xml" })
    parts[index].1 = Self.part(
      #"<worksheet xmlns="\#(Self.main)"><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row>"#)
    let workbook = try XLSXWorkbook(data: try Self.zip(parts), displayName: "c.xlsx")
    let broken = XMLImportTest.importError { _ = try workbook.sheet(at: 0) }
    guard case .malformed(let file, let line, _, _) = broken else {
      Issue.record("expected a malformed-file error, got \(String(describing: broken))")
      return
    }
    #expect(file == "c.xlsx:xl/worksheets/sheet1.xml")
    #expect(line == 2)
    #expect(
      XMLImportTest.importError { _ = try workbook.sheet(named: "Missing") }?.localizedDescription.contains(
        "Assessment, Second") == true)
  }

  @Test func aSharedStringOutOfRangeNamesTheCell() throws {
    var parts = Self.workbookParts(date1904: false)
    let index = try #require(parts.firstIndex { $0.0 == "xl/worksheets/sheet1.xml" })
    parts[index].1 = Self.part(
      #"<worksheet xmlns="\#(Self.main)"><sheetData><row r="1"><c r="B1" t="s"><v>99</v></c></row></sheetData></worksheet>"#
    )
    let workbook = try XLSXWorkbook(data: try Self.zip(parts), displayName: "d.xlsx")
    let error = XMLImportTest.importError { _ = try workbook.sheet(at: 0) }
    #expect(
      error?.localizedDescription.contains("cell B1 refers to shared string '99', but the workbook has 5") == true)
  }

  @Test func convertsSerialDatesAndColumns() {
    #expect(XLSXWorkbook.isoDate(serial: 45306, date1904: false) == "2024-01-15")
    #expect(XLSXWorkbook.isoDate(serial: 59, date1904: false) == "1900-02-28")
    #expect(XLSXWorkbook.isoDate(serial: 0, date1904: false) == nil)
    #expect(XLSXWorkbook.isoDate(serial: 0, date1904: true) == "1904-01-01")
    #expect(XLSXWorkbook.columnIndex("A1") == 0)
    #expect(XLSXWorkbook.columnIndex("Z9") == 25)
    #expect(XLSXWorkbook.columnIndex("AA10") == 26)
    #expect(XLSXWorkbook.columnIndex("XFD1048576") == 16_383)
    #expect(XLSXWorkbook.columnIndex("12") == nil)
    #expect(XLSXWorkbook.isDateFormat("dd/mm/yyyy"))
    #expect(XLSXWorkbook.isDateFormat("[$-409]mmmm d, yyyy"))
    #expect(!XLSXWorkbook.isDateFormat("0.00E+00"))
    #expect(!XLSXWorkbook.isDateFormat("[h]:mm:ss"))
    #expect(!XLSXWorkbook.isDateFormat("\"day \"0"))
    #expect(!XLSXWorkbook.isDateFormat("[Red]0.00"))
  }
}
