/// Keeps spreadsheet cells from running as formulas (CSV injection, OWASP): text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` in CSV, which spreadsheet
/// programs treat as "this is text". XLSX cells are written as text with Excel's quote-prefix
/// style instead, so the value itself is unchanged.
public enum SpreadsheetText {
  /// The characters that make a spreadsheet program read a cell as a formula.
  public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// True when the text would start a formula.
  public static func needsEscape(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first else { return false }
    return formulaTriggers.contains(Character(first))
  }

  /// The text with a leading `'` when it would start a formula.
  public static func escape(_ text: String) -> String {
    needsEscape(text) ? "'" + text : text
  }

  /// Undoes ``escape(_:)``: removes a `'` that precedes a formula trigger.
  public static func unescape(_ text: String) -> String {
    guard text.hasPrefix("'") else { return text }
    let rest = String(text.dropFirst())
    return needsEscape(rest) ? rest : text
  }
}
