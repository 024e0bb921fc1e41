import Foundation

/// Reads a prior POA&M in any form poam writes — `poam.json` (OSCAL), `poam.csv` or
/// `poam.xlsx` — after people have edited it. The format is told by content, not by name.
public struct POAMReader: Sendable {
  /// The catalog, to resolve requirement IDs in any spelling.
  public let catalog: Catalog
  /// The spreadsheet layout.
  public let layout: POAMLayout
  /// Reads the rows of the POA&M worksheet of an XLSX workbook. The workbook reader is another
  /// part of poam; until it is wired in, reading a prior `.xlsx` reports that plainly.
  public let readWorkbookRows: (@Sendable (Data, _ sheetName: String, _ source: String) throws -> [[String]])?

  /// Creates a reader.
  public init(
    catalog: Catalog, layout: POAMLayout,
    readWorkbookRows: (@Sendable (Data, _ sheetName: String, _ source: String) throws -> [[String]])? = nil
  ) {
    self.catalog = catalog
    self.layout = layout
    self.readWorkbookRows = readWorkbookRows
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
      let rows = try Self.csvRows(data, source: source)
      return try POAMTableReader(layout: layout, catalog: catalog).read(
        rows: rows, source: source, unescapeFormulas: true)
    case .xlsx:
      guard let readWorkbookRows else {
        throw POAMReadError(
          file: source,
          message:
            "reading a prior POA&M workbook (.xlsx) needs the workbook reader, which this build does not include yet; pass the poam.json or poam.csv of the previous run instead"
        )
      }
      let rows = try readWorkbookRows(data, layout.sheetName, source)
      return try POAMTableReader(layout: layout, catalog: catalog).read(
        rows: rows, source: source, unescapeFormulas: false)
    }
  }

  /// Splits CSV bytes into rows. UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252
  /// (what Excel's plain "CSV" save writes).
  public static func csvRows(_ data: Data, source: String) throws -> [[String]] {
    let text: String
    if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
      guard let decoded = String(data: data, encoding: .utf16) else {
        throw POAMReadError(file: source, message: "not valid UTF-16 text")
      }
      text = decoded
    } else if let decoded = String(data: data, encoding: .utf8) {
      text = decoded
    } else if let decoded = String(data: data, encoding: .windowsCP1252) {
      text = decoded
    } else {
      throw POAMReadError(file: source, message: "not text: expected a CSV file in UTF-8")
    }
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    // The same parser as the CSV importer: an unterminated quote is an error, never a silent
    // swallow of the rest of the file (poam writes comma-separated files).
    let rows: [[String]]
    do {
      rows = try DelimitedText.parse(body, delimiter: ",").map(\.cells)
    } catch {
      throw POAMReadError(
        file: source, location: "line \(error.line)",
        message: "broken CSV: a quoted field opened at line \(error.line), column \(error.column) never closes")
    }
    return rows
  }
}
