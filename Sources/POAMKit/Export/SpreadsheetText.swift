/// Keeps spreadsheet cells from running as formulas (CSV injection, OWASP): text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms, or any of them after
/// a byte-order mark or another invisible character) gets a leading `'` in CSV, which spreadsheet
/// programs treat as "this is text". XLSX cells are written as text with Excel's quote-prefix
/// style instead, so the value itself is unchanged.
enum SpreadsheetText {
  /// The characters that make a spreadsheet program read a cell as a formula.
  public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// The full-width forms of the triggers (`＝＋－＠`), which spreadsheet programs in East Asian
  /// locales also take as the start of a formula.
  static let fullWidthTriggers: Set<Unicode.Scalar> = ["\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

  /// True when the text would start a formula: its first character, after any invisible
  /// format characters (a byte-order mark, zero-width spaces and joiners), is a trigger or its
  /// full-width form.
  public static func needsEscape(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first(where: { $0.properties.generalCategory != .format }) else {
      return false
    }
    if fullWidthTriggers.contains(first) { return true }
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
