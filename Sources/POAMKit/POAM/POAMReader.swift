import Foundation

/// Reads a prior POA&M in any form poam writes — `poam.json` (OSCAL), `poam.csv` or
/// `poam.xlsx` — after people have edited it. The format is told by content, not by name.
public struct POAMReader: Sendable {
  /// The catalog, to resolve requirement IDs in any spelling.
  public let catalog: Catalog
  /// The spreadsheet layout.
  public let layout: POAMLayout

  /// Creates a reader.
  public init(
    catalog: Catalog, layout: POAMLayout
  ) {
    self.catalog = catalog
    self.layout = layout
  }

  /// The forms a prior POA&M may take.
  public enum Format: String, Sendable {
    case oscalJSON = "oscal-json"
    case csv
    case xlsx
  }

  /// Tells the format from the first bytes: `PK` is a ZIP (XLSX), `{` is JSON, anything else CSV.
  public static func detect(_ data: Data) -> Format {
    var bytes = Array(data.prefix(64))
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
    if let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") {
      return .oscalJSON
    }
    return .csv
  }

  /// Reads the file at `path`.
  public func read(path: String) throws -> (POAMDocument, [Diagnostic]) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw POAMReadError(file: path, message: "cannot read: \(FileProblem.reason(path: path, error: error))")
    }
    return try read(data, source: path)
  }

  /// Reads bytes; `source` names them in errors and diagnostics.
  public func read(_ data: Data, source: String) throws -> (POAMDocument, [Diagnostic]) {
    switch Self.detect(data) {
    case .oscalJSON:
      return try OSCALPOAMReader(catalog: catalog).read(data, source: source)
    case .csv:
      let (rows, notes) = try Self.csvTable(data, source: source)
      let (document, diagnostics) = try POAMTableReader(layout: layout, catalog: catalog).read(
        rows: rows.map(\.cells), source: source, unescapeFormulas: true, lines: rows.map(\.line))
      return (document, notes + diagnostics)
    case .xlsx:
      // The POA&M sheet of poam's own workbook (the same reader as assessment workbooks).
      let rows = try XLSXWorkbook(data: data, displayName: source).sheet(named: layout.sheetName).table
      return try POAMTableReader(layout: layout, catalog: catalog).read(
        rows: rows, source: source, unescapeFormulas: false)
    }
  }

  /// Splits CSV bytes into rows (see ``csvTable(_:source:)``).
  public static func csvRows(_ data: Data, source: String) throws -> [[String]] {
    try csvTable(data, source: source).rows.map(\.cells)
  }

  /// Splits CSV bytes into rows with the line each starts on. UTF-8 (with or without BOM) or
  /// UTF-16 with BOM, decoded like the assessment importer; a file with no UTF-8 in it at all
  /// is read as Windows-1252 (what Excel's plain "CSV" save writes), with a note saying so. A
  /// byte that is not UTF-8 in a file that otherwise is (a UTF-8 BOM, or UTF-8 characters) is
  /// an error naming its line, column and value: reading such a file as Windows-1252 would turn
  /// every "—" in it into "â€”".
  public static func csvTable(_ data: Data, source: String) throws -> (rows: [DelimitedRow], diagnostics: [Diagnostic])
  {
    var diagnostics: [Diagnostic] = []
    let text: String
    if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
      guard let decoded = TextDecoding.decode(data) else {
        throw POAMReadError(
          file: source, message: "not valid UTF-16 text (the file starts with a UTF-16 byte-order mark)")
      }
      text = decoded
    } else if let decoded = TextDecoding.decode(data) {
      text = decoded
    } else {
      let hasMark = data.starts(with: [0xEF, 0xBB, 0xBF])
      let body = hasMark ? data.dropFirst(3) : data[...]
      let place = CSVImporter.firstInvalidUTF8(body)
      let byte = "0x" + String(place.byte, radix: 16, uppercase: true)
      if hasMark || containsUTF8Characters(body) {
        throw POAMReadError(
          file: source, location: "line \(place.line), column \(place.column)",
          message:
            "byte \(byte) is not UTF-8, in a file that otherwise is (\(hasMark ? "it starts with a UTF-8 byte-order mark" : "it holds UTF-8 characters")); nothing was written. Correct that character and save the file as \"CSV UTF-8\""
        )
      }
      guard let decoded = String(data: Data(body), encoding: .windowsCP1252) else {
        throw POAMReadError(file: source, message: "not text: expected a CSV file in UTF-8")
      }
      text = decoded
      diagnostics.append(
        Diagnostic(
          .note, .priorEncoding, source: source, location: "line \(place.line), column \(place.column)",
          message:
            "read as Windows-1252 (Excel's plain \"CSV\" save): byte \(byte) is not UTF-8 and the file holds no UTF-8 characters"
        ))
    }
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    // The same parser as the CSV importer: an unterminated quote is an error, never a silent
    // swallow of the rest of the file (poam writes comma-separated files).
    do {
      return (try DelimitedText.parse(body, delimiter: ","), diagnostics)
    } catch {
      throw POAMReadError(
        file: source, location: "line \(error.line)",
        message: "broken CSV: a quoted field opened at line \(error.line), column \(error.column) never closes")
    }
  }

  /// True when the bytes hold at least one well-formed multi-byte UTF-8 character.
  static func containsUTF8Characters(_ bytes: Data.SubSequence) -> Bool {
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if bytes[index] >= 0x80, let length = CSVImporter.utf8SequenceLength(at: index, in: bytes), length > 1 {
        return true
      }
      index += 1
    }
    return false
  }
}
