/// Writing CSV that spreadsheet programs open safely: RFC 4180 quoting, CRLF line ends, and cells
/// that would start a formula (`=`, `+`, `-`, `@`, tab, carriage return) prefixed with `'` so
/// Excel shows them as text instead of running them (CSV injection).
enum CSVText {
  /// One cell, neutralised and quoted as needed.
  public static func field(_ value: String) -> String {
    var text = ControlCharacters.strip(value)
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
      text = "'" + text
    }
    if text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return text
  }

  /// One row, ending in CRLF.
  public static func row(_ values: [String]) -> String {
    values.map(field).joined(separator: ",") + "\r\n"
  }
}
