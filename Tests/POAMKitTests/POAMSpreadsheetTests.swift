import Foundation
import Testing

@testable import POAMKit

/// poam.csv and poam.xlsx: the eMASS layout, formula escaping, and the round trip through a
/// person's edits back into the next run.
struct POAMSpreadsheetTests {
  let catalog = TestCatalog.shared

  func outputs(_ report: GapReport, prior: POAMDocument? = nil) throws -> (URL, AnalyzeSummary) {
    let directory = try makeTemporaryDirectory()
    let summary = try POAMWorkflow.run(
      report: report, catalog: catalog, prior: prior,
      owners: try Owners.load(path: Paths.fixtures.appendingPathComponent("poam/owners.yml").path, catalog: catalog),
      outputDirectory: directory)
    return (directory, summary)
  }

  func read(_ url: URL) throws -> POAMDocument {
    try POAMWorkflow.loadPrior(path: url.path, catalog: catalog).0
  }

  /// The eMASS template's 26 headers, in order, as read from the template's sharedStrings.xml
  /// and sheet1.xml row 1 (unzip -p stig-manager_eMASS-POAM-template.xlsx).
  static let emassHeaders = [
    "POA&M Item ID", "Control Vulnerability Description", "Controls / APs", "Office/Org", "Security Checks",
    "Resources Required", "Scheduled Completion Date", "Milestone ID", "Milestone with Completion Dates",
    "Milestone Changes", "Source Identifying Vulnerability ", "Status", "Comments", "Raw Severity",
    "Devices Affected", "Mitigations (in-house and in conjunction with the Navy CSSP)", "Predisposing Conditions",
    "Severity", "Relevance of Threat", "Threat Description", "Likelihood", "Impact", "Impact Description",
    "Residual Risk Level", "Recommendations", "Resulting Residual Risk after Proposed Mitigations",
  ]

  @Test func layoutStartsWithTheEMASSTemplateColumns() throws {
    let layout = try POAMLayout.bundled()
    #expect(Array(layout.columns.prefix(26).map(\.header)) == Self.emassHeaders)
    #expect(layout.columns.contains { $0.field == .requirementID })
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func layoutMatchesTheTemplateFileItself() throws {
    let template = try Data(contentsOf: Paths.sharedFile("samples/csv/stig-manager_eMASS-POAM-template.xlsx"))
    let header = try #require(try WorkbookTestReader.rows(template).first)
    let layout = try POAMLayout.bundled()
    #expect(Array(layout.columns.prefix(header.count).map(\.header)) == header)
  }

  @Test func csvRoundTripsEveryField() throws {
    let (directory, _) = try outputs(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let fromJSON = try read(directory.appendingPathComponent("poam.json"))
    let fromCSV = try read(directory.appendingPathComponent("poam.csv"))
    #expect(fromCSV.items.count == 5)
    for item in fromJSON.items {
      #expect(fromCSV.item(id: item.id) == item, "\(item.id)")
    }
    #expect(fromCSV.assessmentDate == "2025-01-15")
    #expect(fromCSV.score == 100 && fromCSV.maxScore == 110)
  }

  @Test func csvUsesEMASSWordsAndDates() throws {
    let (directory, _) = try outputs(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Data(contentsOf: directory.appendingPathComponent("poam.csv"))
    #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 byte-order mark for Excel")
    let rows = try POAMReader.csvRows(data, source: "poam.csv")
    #expect(rows.count == 6)
    let header = rows[0]
    let row = try #require(rows.first { $0.first == "POAM-AC.L2-3.1.9" })
    func cell(_ name: String) -> String { row[header.firstIndex(of: name)!] }
    #expect(cell("Status") == "Ongoing")
    #expect(cell("Scheduled Completion Date") == "06/14/2025")
    #expect(cell("Severity") == "Moderate")
    // eMASS's Controls / APs holds one identifier; the other mappings are poam's own column.
    #expect(cell("Controls / APs") == "AC.L2-3.1.9")
    #expect(cell("NIST Mappings") == "NIST SP 800-171 3.1.9; NIST SP 800-53 AC-8")
    #expect(cell("Raw Severity") == "Moderate" && cell("STIG Category") == "CAT II")
    #expect(cell("Milestone ID") == "1\n2\n3")
    #expect(cell("Milestone with Completion Dates").hasPrefix("1. [due 02/14/2025] Plan:"))
    #expect(cell("Office/Org") == "Facilities <facilities@example.com>")
    #expect(cell("POA&M Eligible") == "Yes")
    #expect(cell("Score at Assessment") == "100 of 110")
  }

  /// A person edits the CSV: owner, status, milestones, comments (with a formula), a new column,
  /// columns reordered. The next run keeps every word.
  @Test func editedCSVIsMergedKeepingEveryWord() throws {
    let (directory, _) = try outputs(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let csv = directory.appendingPathComponent("poam.csv")
    var rows = try POAMReader.csvRows(try Data(contentsOf: csv), source: "poam.csv")
    // Move the Comments column to the front and add a column of the person's own.
    let comments = rows[0].firstIndex(of: "Comments")!
    rows = rows.map { row in [row[comments]] + row.enumerated().filter { $0.offset != comments }.map(\.element) }
    rows[0].append("Ticket")
    let index = rows.firstIndex { $0.contains("POAM-AC.L2-3.1.9") }!
    func set(_ column: String, _ value: String) { rows[index][rows[0].firstIndex(of: column)!] = value }
    set("Office/Org", "Maria Lopez, IT Ops <maria@example.com>")
    set("Status", "Risk Accepted")
    set("Comments", "=HYPERLINK(\"http://x\") is not a formula here\n\"quoted\", with comma")
    set(
      "Milestone with Completion Dates", "1. [due 03/01/2025] Push the banner GPO\n2. [due 2025-03-15] Verify on web01")
    set("Scheduled Completion Date", "3/15/2025")
    rows[index].append("CHG-1234")
    for i in rows.indices where i != 0 && i != index { rows[i].append("") }
    let text = rows.map { $0.map { CSVPOAMExporter.field(SpreadsheetText.escape($0)) }.joined(separator: ",") }
      .joined(separator: "\r\n")
    try Data(text.utf8).write(to: csv)

    let prior = try read(csv)
    let edited = try #require(prior.item(id: "POAM-AC.L2-3.1.9"))
    #expect(edited.comments == "=HYPERLINK(\"http://x\") is not a formula here\n\"quoted\", with comma")
    #expect(edited.status == .riskAccepted)
    #expect(edited.scheduledCompletion == "2025-03-15")
    #expect(edited.milestones.map(\.due) == ["2025-03-01", "2025-03-15"])
    #expect(edited.customField("Ticket") == "CHG-1234")

    var april = POAMDraftTests.report()
    april.assessmentDate = CalendarDate(iso: "2025-04-01")!
    let (next, summary) = try outputs(april, prior: prior)
    defer { try? FileManager.default.removeItem(at: next) }
    let merged = try read(next.appendingPathComponent("poam.csv"))
    let item = try #require(merged.item(id: "POAM-AC.L2-3.1.9"))
    #expect(item.pointOfContact == "Maria Lopez, IT Ops <maria@example.com>")
    #expect(item.status == .riskAccepted)
    #expect(item.comments == edited.comments)
    #expect(item.milestones == edited.milestones)
    #expect(item.customField("Ticket") == "CHG-1234")
    #expect(summary.changes.stillOpen.count == 5)
    // The person's column is written back, after the layout's.
    let header = try POAMReader.csvRows(try Data(contentsOf: next.appendingPathComponent("poam.csv")), source: "x")[0]
    #expect(header.last == "Ticket")
  }

  static let formulas = ["=1+1", "+1", "-5", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"]

  func reportWithFormulas() -> GapReport {
    var builder = GapReportBuilder(date: "2025-01-15")
    builder.notMet(
      "AC.L2-3.1.9",
      evidence: Self.formulas.enumerated().map { index, text in
        GapReportBuilder.evidence("scan.csv", asset: text, status: .notMet, detail: text, location: "row \(index + 2)")
      })
    return builder.build()
  }

  @Test func csvCellsNeverStartAFormula() throws {
    let (directory, _) = try outputs(reportWithFormulas())
    defer { try? FileManager.default.removeItem(at: directory) }
    var prior = try read(directory.appendingPathComponent("poam.json"))
    prior.items[0].comments = "=2+2"
    prior.items[0].pointOfContact = "@owner"
    let (next, _) = try outputs(reportWithFormulas(), prior: prior)
    defer { try? FileManager.default.removeItem(at: next) }
    let rows = try POAMReader.csvRows(try Data(contentsOf: next.appendingPathComponent("poam.csv")), source: "x")
    for row in rows {
      for cell in row {
        #expect(!SpreadsheetText.needsEscape(cell), "cell starts a formula: \(cell.debugDescription)")
      }
    }
    let header = rows[0]
    let row = rows[1]
    #expect(row[header.firstIndex(of: "Comments")!] == "'=2+2")
    #expect(row[header.firstIndex(of: "Office/Org")!] == "'@owner")
    // Devices list starts with "\tx"... sorted: "\tx" < "\rx"? whatever the order, the cell is escaped.
    #expect(row[header.firstIndex(of: "Devices Affected")!].hasPrefix("'"))
    // Reading back removes exactly the escape.
    let back = try read(next.appendingPathComponent("poam.csv")).items[0]
    #expect(back.comments == "=2+2")
    #expect(back.pointOfContact == "@owner")
    #expect(back == (try read(next.appendingPathComponent("poam.json"))).items[0], "every field survives the CSV")
  }

  @Test func xlsxHasTheLayoutStylesAndQuotePrefixedFormulas() throws {
    let (directory, _) = try outputs(reportWithFormulas())
    defer { try? FileManager.default.removeItem(at: directory) }
    var prior = try read(directory.appendingPathComponent("poam.json"))
    prior.items[0].comments = "=2+2"
    let (next, _) = try outputs(reportWithFormulas(), prior: prior)
    defer { try? FileManager.default.removeItem(at: next) }
    let data = try Data(contentsOf: next.appendingPathComponent("poam.xlsx"))
    let parts = try WorkbookTestReader.parts(data)
    for part in [
      "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
      "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "docProps/core.xml",
    ] {
      #expect(parts[part] != nil, "missing \(part)")
    }
    let sheet = String(decoding: parts["xl/worksheets/sheet1.xml"]!, as: UTF8.self)
    #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
    #expect(sheet.contains("<col min=\"2\" max=\"2\" width=\"60.0\" customWidth=\"1\"/>"))
    #expect(sheet.contains("<c r=\"A1\" s=\"1\" t=\"s\">"), "styled header")
    #expect(!sheet.contains("<f>"), "no formulas anywhere")
    #expect(sheet.contains("<formula1>&quot;Ongoing,Completed,Risk Accepted&quot;</formula1>"))
    let styles = String(decoding: parts["xl/styles.xml"]!, as: UTF8.self)
    #expect(styles.contains("quotePrefix=\"1\""))
    let workbook = String(decoding: parts["xl/workbook.xml"]!, as: UTF8.self)
    #expect(workbook.contains("<sheet name=\"POA&amp;M\""))

    let rows = try WorkbookTestReader.rows(data)
    #expect(rows[0] == (try POAMLayout.bundled()).columns.map(\.header))
    let comments = rows[0].firstIndex(of: "Comments")!
    #expect(rows[1][comments] == "=2+2", "the value is unchanged; the quote prefix style keeps it text")
    // The comments cell carries the quote-prefix style (4); scheduled completion is a date (3).
    let commentsCell = "\(POAMTableReader.columnLetter(comments))2"
    #expect(sheet.contains("<c r=\"\(commentsCell)\" s=\"4\" t=\"s\">"))
    let due = rows[0].firstIndex(of: "Scheduled Completion Date")!
    // 2025-06-14 is Excel serial 45822 (python: (date(2025,6,14) - date(1899,12,30)).days).
    #expect(rows[1][due] == "45822")
    #expect(sheet.contains("<c r=\"\(POAMTableReader.columnLetter(due))2\" s=\"3\"><v>45822</v></c>"))
  }

  /// Round trip through the workbook: write it, change a cell by rewriting the sheet XML inside
  /// the ZIP (as another program would), read it back and merge.
  @Test func editedXLSXCellSurvivesTheNextRun() throws {
    let (directory, _) = try outputs(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("poam.xlsx")
    let original = try Data(contentsOf: url)
    let parts = try WorkbookTestReader.parts(original)
    let rows = try WorkbookTestReader.rows(original)
    let owner = rows[0].firstIndex(of: "Office/Org")!
    let row = try #require(rows.firstIndex { $0.first == "POAM-AU.L2-3.3.4" })
    let reference = "\(POAMTableReader.columnLetter(owner))\(row + 1)"
    var sheet = String(decoding: parts["xl/worksheets/sheet1.xml"]!, as: UTF8.self)
    let cell = try #require(sheet.firstMatch(of: try Regex("<c r=\"\(reference)\"[^>]*>.*?</c>")))
    sheet.replaceSubrange(
      cell.range,
      with: "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>SIEM Team &lt;siem@example.com&gt;</t></is></c>")
    let edited = try WorkbookTestReader.replacing(original, ["xl/worksheets/sheet1.xml": Data(sheet.utf8)])
    try edited.write(to: url)

    // poam's own workbook reader (the one analyze uses for a prior poam.xlsx).
    let reader = POAMReader(catalog: catalog, layout: try POAMLayout.bundled())
    let (prior, diagnostics) = try reader.read(path: url.path)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    #expect(prior.item(id: "POAM-AU.L2-3.3.4")?.pointOfContact == "SIEM Team <siem@example.com>")
    let fromJSON = try read(directory.appendingPathComponent("poam.json"))
    for item in fromJSON.items where item.id != "POAM-AU.L2-3.3.4" {
      #expect(prior.item(id: item.id) == item, "\(item.id) reads back from XLSX unchanged")
    }
    var april = POAMDraftTests.report()
    april.assessmentDate = CalendarDate(iso: "2025-04-01")!
    let (next, _) = try outputs(april, prior: prior)
    defer { try? FileManager.default.removeItem(at: next) }
    #expect(
      try read(next.appendingPathComponent("poam.json")).item(id: "POAM-AU.L2-3.3.4")?.pointOfContact
        == "SIEM Team <siem@example.com>")
  }

  /// `analyze` reads a prior poam.xlsx with poam's own workbook reader: every item comes back
  /// as the JSON of the same run has it.
  @Test func priorXLSXReadsBackLikeTheJSON() throws {
    let (directory, _) = try outputs(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let (fromXLSX, _) = try POAMWorkflow.loadPrior(
      path: directory.appendingPathComponent("poam.xlsx").path, catalog: catalog)
    let (fromJSON, _) = try POAMWorkflow.loadPrior(
      path: directory.appendingPathComponent("poam.json").path, catalog: catalog)
    #expect(fromXLSX.items.map(\.id) == fromJSON.items.map(\.id))
    #expect(!fromXLSX.items.isEmpty)
  }

  @Test func spreadsheetProblemsAreDiagnosedNotDropped() throws {
    let layout = try POAMLayout.bundled()
    let header = ["Report for system X"]
    let columns = ["POA&M Item ID", "Office/Org", "Status", "Comments", "CMMC Requirement"]
    let rows: [[String]] = [
      header, [],
      columns,
      ["POAM-AC.L2-3.1.9", "Jane", "Ongoing", "first", "AC.L2-3.1.9"],
      ["", "", "", "second milestone row", ""],
      ["POAM-AC.L2-3.1.9", "Bob", "", "again", ""],
      ["", "", "Maybe", "", "3.3.4"],
      ["X-1", "", "Done", "", "9.9.9"],
    ]
    let (document, diagnostics) = try POAMTableReader(layout: layout, catalog: catalog).read(
      rows: rows, source: "p.csv", unescapeFormulas: true)
    #expect(document.items.map(\.id) == ["POAM-AC.L2-3.1.9", "POAM-AU.L2-3.3.4", "X-1"])
    let first = document.items[0]
    #expect(first.comments == "first\nsecond milestone row\nagain")
    #expect(first.pointOfContact == "Jane\nBob")
    #expect(document.items[1].status == .open)
    #expect(document.items[2].status == .closed)
    #expect(document.items[2].requirementID == "9.9.9")
    let messages = diagnostics.map(\.description)
    #expect(messages.contains { $0.hasPrefix("p.csv:row 5: note: no POA&M Item ID") })
    #expect(messages.contains { $0.hasPrefix("p.csv:row 6: note: POAM-AC.L2-3.1.9 appears again") })
    #expect(messages.contains { $0.hasPrefix("p.csv:row 7: warning: status 'Maybe'") })
    #expect(messages.contains { $0.hasPrefix("p.csv:row 8: warning: '9.9.9' is not a requirement") })
  }

  /// A points cell a person filled with something that is not a plausible number is said, not
  /// silently dropped (a crafted 9.3e18 never traps either).
  @Test func implausiblePointsInAPriorAreDiagnosed() throws {
    let layout = try POAMLayout.bundled()
    let rows: [[String]] = [
      ["POA&M Item ID", "CMMC Requirement", "Points"],
      ["POAM-AC.L2-3.1.9", "AC.L2-3.1.9", "9300000000000000000"],
      ["POAM-AU.L2-3.3.4", "AU.L2-3.3.4", "five"],
      ["POAM-CM.L2-3.4.9", "CM.L2-3.4.9", "1"],
    ]
    let (document, diagnostics) = try POAMTableReader(layout: layout, catalog: catalog).read(
      rows: rows, source: "p.csv", unescapeFormulas: true)
    #expect(document.items.map(\.points) == [nil, nil, 1])
    let flagged = diagnostics.filter { $0.code == .priorBadValue && $0.message.hasPrefix("points '") }
    #expect(flagged.map(\.location) == ["row 2", "row 3"])
  }

  @Test func aFileThatIsNotAPOAMIsRefusedClearly() throws {
    let rows = [["Name", "Value"], ["a", "b"]]
    do {
      _ = try POAMTableReader(layout: try POAMLayout.bundled(), catalog: catalog).read(
        rows: rows, source: "other.csv", unescapeFormulas: true)
      Issue.record("read a non-POA&M")
    } catch let error as POAMReadError {
      #expect(error.localizedDescription.hasPrefix("other.csv: no header row with 'POA&M Item ID'"))
    }
  }

  /// LibreOffice, when installed, as an independent reader of poam.xlsx: it converts the workbook
  /// to CSV, and every item reads back from that CSV equal to poam.json.
  static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  @Test(.enabled(if: soffice != nil, "needs LibreOffice (apt-get install libreoffice-calc-nogui)"))
  func xlsxOpensInLibreOfficeWithTheSameContent() throws {
    let (directory, _) = try outputs(reportWithFormulas())
    defer { try? FileManager.default.removeItem(at: directory) }
    let converted = directory.appendingPathComponent("libreoffice")
    let result = try CLI.run(
      [
        "-env:UserInstallation=file://\(directory.path)/lo-profile", "--headless", "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", converted.path,
        directory.appendingPathComponent("poam.xlsx").path,
      ], executable: URL(fileURLWithPath: Self.soffice!))
    #expect(result.status == 0, "\(result.stderr)")
    let fromLibreOffice = try read(converted.appendingPathComponent("poam.csv"))
    let fromJSON = try read(directory.appendingPathComponent("poam.json"))
    #expect(fromLibreOffice.items.count == fromJSON.items.count)
    for item in fromJSON.items { #expect(fromLibreOffice.item(id: item.id) == item, "\(item.id)") }
  }
}
