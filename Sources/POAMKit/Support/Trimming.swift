import Foundation

extension StringProtocol {
  /// The text without leading and trailing white space (Swift `Character.isWhitespace`). Foundation's
  /// `trimmingCharacters(in:)` goes through `NSString` on Linux and was a third of the time
  /// spent reading a large CSV file.
  var trimmed: String {
    guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }

  /// True when the text is empty or only white space.
  var isBlank: Bool { allSatisfy(\.isWhitespace) }

  /// The text without leading and trailing white space and line breaks.
  ///
  /// The same result as `trimmingCharacters(in: .whitespacesAndNewlines)`, which on Linux copies
  /// the whole string through UTF-16 even when there is nothing to trim: with importers trimming
  /// every field of every row, that copy was a hot spot in the profile. This looks only at the
  /// ends and returns the text itself when they are clean.
  public var trimmingWhitespace: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !Self.isWhitespace($0) }) else { return "" }
    let last = scalars.lastIndex(where: { !Self.isWhitespace($0) })!
    if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return String(self) }
    return String(String.UnicodeScalarView(scalars[first...last]))
  }

  /// White space and line breaks as `CharacterSet.whitespacesAndNewlines` has them, with a fast
  /// path for ASCII.
  @inline(__always)
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return scalar.value == 32 || (scalar.value >= 9 && scalar.value <= 13) }
    return CharacterSet.whitespacesAndNewlines.contains(scalar)
  }
}
