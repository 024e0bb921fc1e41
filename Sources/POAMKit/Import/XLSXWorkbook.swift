import Foundation

/// Reads the cells of an Excel workbook (`.xlsx`, Office Open XML) as text, sheet by sheet.
///
/// It opens the ZIP (``ZIPContainer``, each part inflated from its own bytes), finds the sheets through `xl/workbook.xml` and its
/// relationships, and streams each part with ``XMLStreamReader``. Every cell becomes a string:
/// shared and inline strings (rich text runs joined, phonetic runs left out), numbers as
/// written, booleans as `TRUE`/`FALSE`, errors as written (`#N/A`), formulas as their cached
/// value, and numbers whose cell format is a date as ISO `YYYY-MM-DD` (1900 and 1904 date
/// systems). Time-only formats stay numbers.
///
/// It does not decide what the rows mean: the table interpreter does that. Not `Sendable`:
/// use one workbook per task.
public final class XLSXWorkbook {
  /// One row: its 1-based number in the sheet and its cells from column A, with "" for empty
  /// cells up to the last cell written.
  public struct Row: Sendable, Hashable {
    /// The row number Excel shows (1-based).
    public var number: Int
    /// The cells, column A first.
    public var cells: [String]

    /// Creates a row.
    public init(number: Int, cells: [String]) {
      self.number = number
      self.cells = cells
    }
  }

  /// One worksheet's rows, in order; rows Excel holds no cells for are absent.
  public struct Sheet: Sendable, Hashable {
    /// The sheet's name on its tab.
    public var name: String
    /// The rows that have cells.
    public var rows: [Row]

    /// The cells as a plain table (row numbers dropped).
    public var table: [[String]] { rows.map(\.cells) }
  }

  /// The name shown in errors.
  public let displayName: String
  /// The sheet names, in tab order.
  public let sheetNames: [String]

  /// The most bytes one part may expand to (a guard against ZIP bombs).
  public static let maximumPartSize = 1 << 30
  /// The most rows a sheet has in Excel (row numbers run from 1 to this).
  public static let maximumRows = 1_048_576

  private let archive: ZIPContainer
  private let sheetPaths: [String]
  private let sharedStrings: [String]
  private let dateStyles: Set<Int>
  private let date1904: Bool

  /// Opens a workbook on disk (mapped into memory, not read).
  public convenience init(path: String, displayName: String? = nil) throws {
    let name = displayName ?? path
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw ImportError.unreadable(file: name, reason: FileProblem.reason(path: path))
    }
    try self.init(data: data, displayName: name)
  }

  /// Opens a workbook held in memory (standard input, an archive member).
  public convenience init(data: Data, displayName: String) throws {
    let archive: ZIPContainer
    do {
      archive = try ZIPContainer(data: data)
    } catch {
      guard data.starts(with: [0x50, 0x4B]) else { throw Self.notAWorkbook(displayName) }
      throw ImportError.malformed(
        file: displayName, line: nil, column: nil,
        expected: "an Excel workbook (.xlsx, a ZIP archive); \(error.message)")
    }
    try self.init(archive: archive, displayName: displayName)
  }

  /// Opens an importer input.
  public convenience init(_ input: InputFile) throws {
    switch input.content {
    case .file(let url): try self.init(path: url.path, displayName: input.displayName)
    case .data(let data): try self.init(data: data, displayName: input.displayName)
    }
  }

  private init(archive: ZIPContainer, displayName: String) throws {
    self.archive = archive
    self.displayName = displayName
    let workbookPath = try Self.officeDocumentPath(archive, displayName: displayName)
    guard archive[workbookPath] != nil else {
      throw ImportError.unsupported(
        file: displayName,
        reason:
          "the ZIP has no \(workbookPath): not an Excel workbook (.xls files of Excel 97-2003 must be saved as .xlsx)"
      )
    }
    let folder = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
    let relationships = try Self.relationships(
      archive,
      path: (folder.isEmpty ? "" : folder + "/") + "_rels/" + (workbookPath.split(separator: "/").last ?? "")
        + ".rels", displayName: displayName)
    let workbook = try Self.readWorkbook(archive, path: workbookPath, displayName: displayName)
    var names: [String] = []
    var paths: [String] = []
    for sheet in workbook.sheets {
      guard let target = relationships.first(where: { $0.id == sheet.relationship })?.target else {
        throw ImportError.malformed(
          file: "\(displayName):\(workbookPath)", line: nil, column: nil,
          expected:
            "sheet '\(sheet.name)' names relationship '\(sheet.relationship)', which the workbook does not define")
      }
      names.append(sheet.name)
      paths.append(Self.resolve(target, folder: folder))
    }
    self.sheetNames = names
    self.sheetPaths = paths
    self.date1904 = workbook.date1904
    let sharedPath = relationships.first { $0.type.hasSuffix("/sharedStrings") }.map {
      Self.resolve($0.target, folder: folder)
    }
    self.sharedStrings =
      try sharedPath.map { try Self.readSharedStrings(archive, path: $0, displayName: displayName) } ?? []
    let stylesPath = relationships.first { $0.type.hasSuffix("/styles") }.map {
      Self.resolve($0.target, folder: folder)
    }
    self.dateStyles = try stylesPath.map { try Self.readDateStyles(archive, path: $0, displayName: displayName) } ?? []
  }

  private static func notAWorkbook(_ name: String) -> ImportError {
    .malformed(file: name, line: nil, column: nil, expected: "expected an Excel workbook (.xlsx, a ZIP archive)")
  }

  // MARK: - Sheets

  /// Every sheet, in tab order.
  public func sheets() throws -> [Sheet] {
    // Several <sheet> entries may point at one part: it is read once (a workbook of 40 entries
    // naming one large part would otherwise be read 40 times).
    var seen = Set<String>()
    return try sheetNames.indices.filter { seen.insert(sheetPaths[$0]).inserted }.map { try sheet(at: $0) }
  }

  /// The sheet with this name (exact, else ignoring case).
  public func sheet(named name: String) throws -> Sheet {
    let index = sheetNames.firstIndex(of: name) ?? sheetNames.firstIndex { $0.lowercased() == name.lowercased() }
    guard let index else {
      throw ImportError.unsupported(
        file: displayName, reason: "no sheet named '\(name)' (sheets: \(sheetNames.joined(separator: ", ")))")
    }
    return try sheet(at: index)
  }

  /// The sheet at a tab position (0-based).
  public func sheet(at index: Int) throws -> Sheet {
    let path = sheetPaths[index]
    let reader = try Self.reader(archive, path: path, displayName: displayName)
    let partName = reader.displayName
    try XMLImportSupport.requireRoot(reader, expected: "a worksheet (root element worksheet)") {
      $0.localName(is: "worksheet")
    }
    var rows: [Row] = []
    let limits = ResourceLimits.current
    var tableCells = 0
    var tableBytes = 0
    try reader.forEachChildElement {
      guard reader.localName(is: "sheetData") else { return }
      var nextRow = 1
      try reader.forEachChildElement {
        guard reader.localName(is: "row") else { return }
        let rowLine = reader.lineNumber
        var number = nextRow
        if let written = reader.attribute("r") {
          guard let value = Int(XMLImportSupport.trim(written)), (1...Self.maximumRows).contains(value) else {
            throw ImportError.malformed(
              file: partName, line: rowLine, column: nil,
              expected: "a row number r from 1 to \(Self.maximumRows), got '\(limits.clip(written))'")
          }
          number = value
        }
        nextRow = number + 1
        guard rows.count < limits[.tableRows] else {
          throw limits.exceeded(.tableRows, file: partName, what: "sheet '\(sheetNames[index])'")
        }
        var cells: [String] = []
        try reader.forEachChildElement {
          guard reader.localName(is: "c") else { return }
          let line = reader.lineNumber
          let reference = reader.attribute("r")
          let column = reference.flatMap(Self.columnIndex) ?? cells.count
          let value = try readCell(reader, partName: partName, line: line, reference: reference)
          // A shared string is stored once but read on every row that names it: the text a
          // sheet expands to counts against table-bytes, as a CSV's bytes do.
          tableBytes += value.utf8.count
          guard tableBytes <= limits[.tableBytes] else {
            throw limits.exceeded(.tableBytes, file: partName, what: "the text of sheet '\(sheetNames[index])'")
          }
          if column >= cells.count {
            if value.isEmpty { return }
            guard column < limits[.cellsPerRow] else {
              throw limits.exceeded(
                .cellsPerRow, file: "\(partName):\(line)",
                what: "cell \(limits.clip(reference ?? "?")) (column \(column + 1))")
            }
            tableCells += column + 1 - cells.count
            guard tableCells <= limits[.tableCells] else {
              throw limits.exceeded(.tableCells, file: partName, what: "sheet '\(sheetNames[index])'")
            }
            cells.append(contentsOf: repeatElement("", count: column - cells.count))
            cells.append(value)
          } else {
            cells[column] = value
          }
        }
        if !cells.isEmpty { rows.append(Row(number: number, cells: cells)) }
      }
    }
    return Sheet(name: sheetNames[index], rows: rows)
  }

  private func readCell(_ reader: XMLStreamReader, partName: String, line: Int, reference: String?) throws -> String {
    let type = reader.attribute("t") ?? "n"
    let style = reader.attribute("s").flatMap { Int($0) } ?? 0
    var raw: String?
    var inline: String?
    try reader.forEachChildElement {
      if reader.localName(is: "v") {
        raw = try reader.readText()
      } else if reader.localName(is: "is") {
        inline = try Self.readRichText(reader)
      }
    }
    switch type {
    case "s":
      guard let raw, let index = Int(XMLImportSupport.trim(raw)), sharedStrings.indices.contains(index)
      else {
        throw ImportError.malformed(
          file: partName, line: line, column: nil,
          expected:
            "cell \(reference ?? "?") refers to shared string '\(raw ?? "")', but the workbook has \(sharedStrings.count)"
        )
      }
      return sharedStrings[index]
    case "inlineStr":
      return inline ?? raw ?? ""
    case "b":
      switch raw.map(XMLImportSupport.trim) {
      case "1": return "TRUE"
      case "0": return "FALSE"
      default: return raw ?? ""
      }
    case "str", "e":
      return raw ?? ""
    case "d":
      return raw.map { String($0.prefix(10)) } ?? ""
    default:
      guard let raw = raw.map(XMLImportSupport.trim), !raw.isEmpty else { return "" }
      if dateStyles.contains(style), let serial = Double(raw) {
        return Self.isoDate(serial: serial, date1904: date1904) ?? raw
      }
      return raw
    }
  }

  // MARK: - Parts

  private static func reader(_ archive: ZIPContainer, path: String, displayName: String) throws -> XMLStreamReader {
    guard let entry = archive[path] else {
      throw ImportError.malformed(
        file: displayName, line: nil, column: nil, expected: "the workbook lists \(path), but the ZIP has no such part")
    }
    let name = "\(displayName):\(path)"
    guard entry.uncompressedSize <= UInt64(maximumPartSize) else {
      throw ImportError.unsupported(file: name, reason: "the part expands to more than \(maximumPartSize) bytes")
    }
    var data = Data()
    data.reserveCapacity(Int(entry.uncompressedSize))
    let limits = ResourceLimits.current
    do {
      try archive.inflate(entry) { chunk in
        try limits.chargeInflated(chunk.count, soFar: data.count + chunk.count, file: displayName)
        data.append(chunk)
      }
    } catch let error as ImportError {
      throw error
    } catch let error as ZIPContainer.Problem {
      throw ImportError.malformed(
        file: name, line: nil, column: nil, expected: "a readable ZIP member; \(error.message)")
    }
    return try XMLStreamReader(data: data, displayName: name)
  }

  /// `_rels/.rels` → the main document (`xl/workbook.xml` unless the package says otherwise).
  private static func officeDocumentPath(_ archive: ZIPContainer, displayName: String) throws -> String {
    guard archive["_rels/.rels"] != nil else { return "xl/workbook.xml" }
    let relationships = try relationships(archive, path: "_rels/.rels", displayName: displayName)
    guard let main = relationships.first(where: { $0.type.hasSuffix("/officeDocument") }) else {
      return "xl/workbook.xml"
    }
    return resolve(main.target, folder: "")
  }

  struct Relationship {
    var id: String
    var type: String
    var target: String
  }

  private static func relationships(_ archive: ZIPContainer, path: String, displayName: String) throws -> [Relationship]
  {
    guard archive[path] != nil else { return [] }
    let reader = try reader(archive, path: path, displayName: displayName)
    try XMLImportSupport.requireRoot(reader, expected: "package relationships (root element Relationships)") {
      $0.localName(is: "Relationships")
    }
    var found: [Relationship] = []
    try reader.forEachChildElement {
      guard reader.localName(is: "Relationship") else { return }
      found.append(
        Relationship(
          id: reader.attribute("Id") ?? "", type: reader.attribute("Type") ?? "",
          target: reader.attribute("Target") ?? ""))
    }
    return found
  }

  /// A relationship target relative to a folder (`worksheets/sheet1.xml` in `xl`), or absolute (`/xl/...`).
  static func resolve(_ target: String, folder: String) -> String {
    if target.hasPrefix("/") { return String(target.dropFirst()) }
    var parts = folder.split(separator: "/").map(String.init)
    for part in target.split(separator: "/") {
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
      } else if part != "." {
        parts.append(String(part))
      }
    }
    return parts.joined(separator: "/")
  }

  private static func readWorkbook(
    _ archive: ZIPContainer, path: String, displayName: String
  ) throws -> (sheets: [(name: String, relationship: String)], date1904: Bool) {
    let reader = try reader(archive, path: path, displayName: displayName)
    try XMLImportSupport.requireRoot(reader, expected: "a workbook (root element workbook)") {
      $0.localName(is: "workbook")
    }
    var sheets: [(name: String, relationship: String)] = []
    var date1904 = false
    try reader.forEachChildElement {
      if reader.localName(is: "workbookPr") {
        let value = reader.attribute("date1904")?.lowercased()
        date1904 = value == "1" || value == "true"
      } else if reader.localName(is: "sheets") {
        try reader.forEachChildElement {
          guard reader.localName(is: "sheet") else { return }
          let relationship =
            reader.attribute("id", namespace: "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
            ?? reader.attribute("id", namespace: "http://purl.oclc.org/ooxml/officeDocument/relationships") ?? ""
          sheets.append((reader.attribute("name") ?? "Sheet\(sheets.count + 1)", relationship))
        }
      }
    }
    return (sheets, date1904)
  }

  private static func readSharedStrings(_ archive: ZIPContainer, path: String, displayName: String) throws -> [String] {
    let reader = try reader(archive, path: path, displayName: displayName)
    try XMLImportSupport.requireRoot(reader, expected: "shared strings (root element sst)") { $0.localName(is: "sst") }
    var strings: [String] = []
    try reader.forEachChildElement {
      guard reader.localName(is: "si") else { return }
      strings.append(try readRichText(reader))
    }
    return strings
  }

  /// The text of an `si` or `is` element: its `t`, or the `t` of each run `r`; phonetic runs
  /// (`rPh`) are left out.
  private static func readRichText(_ reader: XMLStreamReader) throws -> String {
    var text = ""
    func add(_ run: String) throws {
      text += run
      if text.utf8.count > XMLStreamReader.maximumTextLength {
        throw ImportError.malformed(
          file: reader.displayName, line: reader.lineNumber, column: nil,
          expected:
            "a string of at most \(XMLStreamReader.maximumTextLength) bytes; its rich-text runs together are longer, more than poam reads in one field"
        )
      }
    }
    try reader.forEachChildElement {
      if reader.localName(is: "t") {
        try add(try reader.readText())
      } else if reader.localName(is: "r") {
        try reader.forEachChildElement {
          if reader.localName(is: "t") { try add(try reader.readText()) }
        }
      }
    }
    return text
  }

  /// The cell formats (`cellXfs` indexes) whose number format shows a date.
  private static func readDateStyles(_ archive: ZIPContainer, path: String, displayName: String) throws -> Set<Int> {
    let reader = try reader(archive, path: path, displayName: displayName)
    try XMLImportSupport.requireRoot(reader, expected: "styles (root element styleSheet)") {
      $0.localName(is: "styleSheet")
    }
    var customDates = Set<Int>()
    var styles = Set<Int>()
    try reader.forEachChildElement {
      if reader.localName(is: "numFmts") {
        try reader.forEachChildElement {
          guard reader.localName(is: "numFmt"), let id = reader.attribute("numFmtId").flatMap({ Int($0) }) else {
            return
          }
          if isDateFormat(reader.attribute("formatCode") ?? "") { customDates.insert(id) }
        }
      } else if reader.localName(is: "cellXfs") {
        var index = 0
        try reader.forEachChildElement {
          guard reader.localName(is: "xf") else { return }
          let format = reader.attribute("numFmtId").flatMap { Int($0) } ?? 0
          if builtInDateFormats.contains(format) || customDates.contains(format) { styles.insert(index) }
          index += 1
        }
      }
    }
    return styles
  }

  /// Built-in number formats that show a date (14–17, 22; 27–36 and 50–58 in East Asian locales).
  static let builtInDateFormats: Set<Int> = Set([14, 15, 16, 17, 22]).union(27...36).union(50...58)

  /// True when a custom format code shows a date: a `y` or `d` outside quotes, escapes and brackets.
  static func isDateFormat(_ code: String) -> Bool {
    var inQuotes = false
    var inBrackets = false
    var escaped = false
    // Only the first section (positive numbers) matters.
    for character in code.lowercased() {
      if escaped {
        escaped = false
        continue
      }
      switch character {
      case "\\": escaped = true
      case "\"": inQuotes.toggle()
      case "[" where !inQuotes: inBrackets = true
      case "]" where !inQuotes: inBrackets = false
      case ";" where !inQuotes && !inBrackets: return false
      case "y", "d":
        if !inQuotes && !inBrackets { return true }
      default: break
      }
    }
    return false
  }

  /// The zero-based column of a cell reference (`A1` → 0, `AB12` → 27), or nil when it has no
  /// column letters.
  static func columnIndex(_ reference: String) -> Int? {
    var column = 0
    var letters = 0
    for byte in reference.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
      case UInt8(ascii: "a")...UInt8(ascii: "z"): column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
      default: return letters > 0 ? column - 1 : nil
      }
      letters += 1
      if letters > 3 { return nil }
    }
    return letters > 0 ? column - 1 : nil
  }

  /// An Excel serial date as `YYYY-MM-DD`: 1900 system (with Excel's phantom 29 February 1900)
  /// or 1904 system. Nil for serials before the system's first day or after 9999-12-31.
  static func isoDate(serial: Double, date1904: Bool) -> String? {
    guard serial.isFinite, serial >= 1 || (date1904 && serial >= 0), serial < 2_958_466 else { return nil }
    let day = Int(serial.rounded(.down))
    // Excel shows its phantom day as a date, so the cell reads as Excel shows it.
    if !date1904, day == 60 { return "1900-02-29" }
    return CalendarDate(excelSerial: day, date1904: date1904)?.iso
  }
}
