import Foundation
import ZIPFoundation

/// A minimal Office Open XML (SpreadsheetML) workbook writer: text, whole-number and date cells,
/// shared strings, a styled header row, column widths, a frozen header, an autofilter and
/// list validations. Parts are built as XML text and zipped with ZIPFoundation; the bytes are
/// deterministic (fixed entry dates), so a rerun writes the same file.
struct XLSXWriter {
  /// One cell.
  enum Cell: Hashable {
    case text(String)
    case number(Int)
    case date(CalendarDate)
  }

  /// A dropdown list on a column.
  struct ListValidation: Hashable {
    /// 0-based column.
    var column: Int
    /// The allowed values.
    var values: [String]
  }

  /// One worksheet.
  struct Sheet {
    var name: String
    var header: [String]
    var rows: [[Cell]]
    /// Column widths in characters (nil: Excel's default).
    var widths: [Double?]
    var validations: [ListValidation] = []
    /// Rows above the header (the system's identity): the first cell of each is a bold label.
    var preamble: [[String]] = []
  }

  /// Cell style indices in styles.xml.
  enum Style: Int {
    case normal = 0
    case header = 1
    case text = 2
    case date = 3
    case quotedText = 4
    case label = 5
  }

  /// The document title and the date recorded as created/modified.
  var title: String
  var date: CalendarDate

  func data(_ sheets: [Sheet]) throws -> Data {
    var strings = SharedStrings()
    var parts: [(String, String)] = []
    for (index, sheet) in sheets.enumerated() {
      parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet, strings: &strings)))
    }
    parts += [
      ("[Content_Types].xml", contentTypes(sheetCount: sheets.count)),
      ("_rels/.rels", rootRelationships),
      ("docProps/core.xml", coreProperties),
      ("docProps/app.xml", appProperties),
      ("xl/workbook.xml", workbook(sheets)),
      ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheets.count)),
      ("xl/styles.xml", styles),
      ("xl/sharedStrings.xml", strings.xml),
      ("xl/theme/theme1.xml", XLSXTheme.xml),
    ]
    let order = [
      "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels", "xl/theme/theme1.xml", "xl/styles.xml", "xl/sharedStrings.xml",
    ]
    parts.sort { (order.firstIndex(of: $0.0) ?? 100, $0.0) < (order.firstIndex(of: $1.0) ?? 100, $1.0) }
    let archive = try Archive(accessMode: .create)
    let fixed = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch) * 86_400)
    for (path, text) in parts {
      let bytes = Data(text.utf8)
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: fixed,
        compressionMethod: .deflate
      ) { position, size in
        bytes.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    guard let data = archive.data else { throw OutputError(path: "workbook", reason: "the ZIP archive is empty") }
    return data
  }

  // MARK: - Worksheet

  func worksheet(_ sheet: Sheet, strings: inout SharedStrings) -> String {
    let columnCount = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0, 1)
    let lastColumn = Self.columnName(columnCount - 1)
    let headerRow = sheet.preamble.count + 1
    let lastRow = sheet.rows.count + headerRow
    let first = "A\(headerRow + 1)"
    var xml = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
      xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
      <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>\
      <dimension ref="A1:\(lastColumn)\(lastRow)"/>\
      <sheetViews><sheetView workbookViewId="0"><pane ySplit="\(headerRow)" topLeftCell="\(first)" activePane="bottomLeft" \
      state="frozen"/><selection pane="bottomLeft" activeCell="\(first)" sqref="\(first)"/></sheetView></sheetViews>\
      <sheetFormatPr defaultRowHeight="15"/>
      """
    let widths = sheet.widths.enumerated().compactMap { index, width in
      width.map { "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\($0)\" customWidth=\"1\"/>" }
    }
    if !widths.isEmpty { xml += "<cols>" + widths.joined() + "</cols>" }
    xml += "<sheetData>"
    for (index, row) in sheet.preamble.enumerated() {
      let r = index + 1
      xml += "<row r=\"\(r)\">"
      for (column, text) in row.enumerated() where !text.isEmpty {
        let style = column == 0 ? Style.label : (SpreadsheetText.needsEscape(text) ? Style.quotedText : Style.normal)
        xml +=
          "<c r=\"\(Self.columnName(column))\(r)\" s=\"\(style.rawValue)\" t=\"s\"><v>\(strings.index(text))</v></c>"
      }
      xml += "</row>"
    }
    let headerHeight = Self.rowHeight(sheet.header.map(Cell.text), widths: sheet.widths, minimum: 30)
    xml += "<row r=\"\(headerRow)\" ht=\"\(headerHeight)\" customHeight=\"1\">"
    for (column, header) in sheet.header.enumerated() {
      xml +=
        "<c r=\"\(Self.columnName(column))\(headerRow)\" s=\"\(Style.header.rawValue)\" t=\"s\"><v>\(strings.index(header))</v></c>"
    }
    xml += "</row>"
    for (rowIndex, row) in sheet.rows.enumerated() {
      let r = rowIndex + headerRow + 1
      xml += "<row r=\"\(r)\" ht=\"\(Self.rowHeight(row, widths: sheet.widths))\" customHeight=\"1\">"
      for (column, cell) in row.enumerated() {
        let reference = "\(Self.columnName(column))\(r)"
        switch cell {
        case .text(let text):
          if text.isEmpty { continue }
          let style = SpreadsheetText.needsEscape(text) ? Style.quotedText : Style.text
          xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"s\"><v>\(strings.index(text))</v></c>"
        case .number(let number):
          xml += "<c r=\"\(reference)\" s=\"\(Style.text.rawValue)\"><v>\(number)</v></c>"
        case .date(let date):
          xml += "<c r=\"\(reference)\" s=\"\(Style.date.rawValue)\"><v>\(date.excelSerial)</v></c>"
        }
      }
      xml += "</row>"
    }
    xml += "</sheetData>"
    xml += "<autoFilter ref=\"A\(headerRow):\(lastColumn)\(lastRow)\"/>"
    if !sheet.validations.isEmpty {
      xml += "<dataValidations count=\"\(sheet.validations.count)\">"
      for validation in sheet.validations {
        let letter = Self.columnName(validation.column)
        let list = validation.values.joined(separator: ",")
        xml +=
          "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"\(letter)\(headerRow + 1):\(letter)\(max(lastRow, headerRow + 1) + 500)\">"
          + "<formula1>\(Self.escape("\"" + list + "\""))</formula1></dataValidation>"
      }
      xml += "</dataValidations>"
    }
    xml += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
    // Print-ready: landscape, every column on the page width (as many pages down as needed),
    // the header row repeated on each page (the workbook's Print_Titles).
    xml += "<pageSetup orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
    xml += "</worksheet>"
    return xml
  }

  /// A row height in points that shows every line of wrapped text: each cell's lines at its
  /// column width (about 1.2 characters of 10-point Calibri per width unit), 13 points a line,
  /// within Excel's 409-point limit.
  static func rowHeight(_ row: [Cell], widths: [Double?], minimum: Double = 15) -> Double {
    var lines = 1
    for (index, cell) in row.enumerated() {
      guard case .text(let text) = cell, !text.isEmpty else { continue }
      let width = (index < widths.count ? widths[index] : nil) ?? 8.43
      let perLine = max(1, Int(width * 1.2))
      var count = 0
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        count += max(1, (line.count + perLine - 1) / perLine)
      }
      lines = max(lines, count)
    }
    return min(409, max(minimum, Double(lines) * 13 + 2))
  }

  /// `A`, `B`, ... `Z`, `AA` for a 0-based column index.
  static func columnName(_ index: Int) -> String {
    POAMTableReader.columnLetter(index)
  }

  /// XML-escapes text for element content and attributes. Characters XML 1.0 cannot hold
  /// (control characters other than tab, line feed and carriage return) are written in
  /// OOXML's `_xHHHH_` form, and a literal `_xHHHH_` is protected as `_x005F_xHHHH_`, so the
  /// cell reads back exactly.
  static func escape(_ text: String) -> String {
    var out = ""
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\r": out += "&#13;"
      case "_" where isEscapeSequence(scalars, at: index): out += "_x005F_"
      default:
        if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          out += String(format: "_x%04X_", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      index += 1
    }
    return out
  }

  private static func isEscapeSequence(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
    guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
    return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
  }

  // MARK: - Fixed parts

  struct SharedStrings {
    private var table: [String: Int] = [:]
    private var list: [String] = []
    private var count = 0

    mutating func index(_ text: String) -> Int {
      count += 1
      if let index = table[text] { return index }
      table[text] = list.count
      list.append(text)
      return list.count - 1
    }

    var xml: String {
      var xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\(count)" \
        uniqueCount="\(list.count)">
        """
      for text in list { xml += "<si><t xml:space=\"preserve\">\(XLSXWriter.escape(text))</t></si>" }
      return xml + "</sst>"
    }
  }

  func contentTypes(sheetCount: Int) -> String {
    var xml = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
      <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
      <Default Extension="xml" ContentType="application/xml"/>\
      <Override PartName="/xl/workbook.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
      """
    for index in 1...max(sheetCount, 1) {
      xml +=
        "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    }
    xml += """
      <Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>\
      <Override PartName="/xl/styles.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
      <Override PartName="/xl/sharedStrings.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
      <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
      <Override PartName="/docProps/app.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>
      """
    return xml
  }

  let rootRelationships = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
    Target="docProps/core.xml"/>\
    <Relationship Id="rId3" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" \
    Target="docProps/app.xml"/></Relationships>
    """

  var coreProperties: String {
    """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
    <dc:title>\(Self.escape(title))</dc:title><dc:creator>\(ToolInfo.name) \(ToolInfo.version)</dc:creator>\
    <dcterms:created xsi:type="dcterms:W3CDTF">\(date.iso)T00:00:00Z</dcterms:created>\
    <dcterms:modified xsi:type="dcterms:W3CDTF">\(date.iso)T00:00:00Z</dcterms:modified></cp:coreProperties>
    """
  }

  let appProperties = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
    <Application>poam</Application></Properties>
    """

  func workbook(_ sheets: [Sheet]) -> String {
    var xml = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
      xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
      <bookViews><workbookView activeTab="0"/></bookViews><sheets>
      """
    for (index, sheet) in sheets.enumerated() {
      xml += "<sheet name=\"\(Self.escape(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
    }
    xml += "</sheets><definedNames>"
    for (index, sheet) in sheets.enumerated() {
      let columns = max(sheet.header.count, 1)
      let quoted = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
      let headerRow = sheet.preamble.count + 1
      xml +=
        "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">"
        + Self.escape("\(quoted)!$A$\(headerRow):$\(Self.columnName(columns - 1))$\(sheet.rows.count + headerRow)")
        + "</definedName>"
      xml +=
        "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"\(index)\">"
        + Self.escape("\(quoted)!$A$1:$\(Self.columnName(columns - 1))$\(sheet.rows.count + headerRow)")
        + "</definedName>"
      xml +=
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(index)\">"
        + Self.escape("\(quoted)!$\(headerRow):$\(headerRow)") + "</definedName>"
    }
    return xml + "</definedNames></workbook>"
  }

  func workbookRelationships(sheetCount: Int) -> String {
    var xml = """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      """
    for index in 1...max(sheetCount, 1) {
      xml +=
        "<Relationship Id=\"rId\(index)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
    }
    xml += """
      <Relationship Id="rId\(sheetCount + 1)" \
      Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
      <Relationship Id="rId\(sheetCount + 2)" \
      Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
      Target="sharedStrings.xml"/>\
      <Relationship Id="rId\(sheetCount + 3)" \
      Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>\
      </Relationships>
      """
    return xml
  }

  /// Styles: 0 normal, 1 header (bold white on navy, centered, wrapped, bordered), 2 body text
  /// (top-aligned, wrapped, bordered), 3 body date (mm/dd/yyyy), 4 body text with quote prefix,
  /// 5 bold label (the header block above the table).
  let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="1"><numFmt numFmtId="164" formatCode="mm/dd/yyyy"/></numFmts>\
    <fonts count="3"><font><sz val="10"/><name val="Calibri"/><family val="2"/></font>\
    <font><b/><sz val="10"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font>\
    <font><b/><sz val="10"/><name val="Calibri"/><family val="2"/></font></fonts>\
    <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
    <fill><patternFill patternType="solid"><fgColor rgb="FF1F3A5F"/><bgColor indexed="64"/></patternFill></fill></fills>\
    <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
    <border><left style="thin"><color rgb="FFC8CED6"/></left><right style="thin"><color rgb="FFC8CED6"/></right>\
    <top style="thin"><color rgb="FFC8CED6"/></top><bottom style="thin"><color rgb="FFC8CED6"/></bottom><diagonal/>\
    </border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="6">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" \
    applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">\
    <alignment vertical="top" wrapText="1"/></xf>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" \
    applyAlignment="1"><alignment horizontal="left" vertical="top"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1" \
    quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf>\
    <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    </cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
    """
}
