import Foundation

/// `poam.csv`: the POA&M in the layout's columns (eMASS by default), one item per row.
///
/// UTF-8 with a byte-order mark (so Excel reads accented names correctly), CRLF line ends,
/// every field quoted when it holds a comma, quote or line break, dates in the layout's format,
/// and cells that would start a formula prefixed with `'` (see ``SpreadsheetText``).
/// Cells that grow with the results (Devices Affected, Security Checks, the weakness) are bounded
/// far below Excel's 32,767-character limit and say what they leave out (see ``CellBounds``).
struct CSVPOAMExporter: POAMExporter {
  public var fileName: String { "poam.csv" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    let table = POAMTable(layout: context.layout, catalog: context.catalog)
    // Headers are escaped like data: a column a person added may be named `=HYPERLINK(…)`.
    var lines = table.preamble(for: context.document, profile: context.profile).map {
      $0.map { Self.field(SpreadsheetText.escape($0)) }.joined(separator: ",")
    }
    lines.append(
      table.headers(for: context.document).map { Self.field(SpreadsheetText.escape($0)) }.joined(separator: ","))
    for row in table.rows(for: context.document) {
      lines.append(row.map { Self.field(SpreadsheetText.escape($0.text(context.layout))) }.joined(separator: ","))
    }
    return Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8)
  }

  /// One RFC 4180 field.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
