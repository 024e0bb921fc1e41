import Foundation

extension UInt8 {
  /// True for the ASCII bytes that are white space (tab, line feed, vertical tab, form feed,
  /// carriage return, space): the ASCII part of Unicode's White_Space.
  @inline(__always)
  var isASCIIWhitespace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
}

extension StringProtocol {
  /// The text without leading and trailing white space (Swift `Character.isWhitespace`). Foundation's
  /// `trimmingCharacters(in:)` goes through `NSString` on Linux and was a third of the time
  /// spent reading a large CSV file.
  var trimmed: String {
    if hasCleanASCIIEnds { return String(self) }
    guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }

  /// True when the first and last characters are single ASCII characters that are not white
  /// space: nothing to trim, and no need to walk the text character by character. (Two ASCII
  /// bytes in a row are two characters, unless they are `\r\n`, which is white space.)
  var hasCleanASCIIEnds: Bool {
    utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard let first = bytes.first, let last = bytes.last else { return false }
      func isClean(_ byte: UInt8) -> Bool { byte < 0x80 && !byte.isASCIIWhitespace }
      guard isClean(first), isClean(last) else { return false }
      return bytes.count <= 2 || (bytes[1] < 0x80 && bytes[bytes.count - 2] < 0x80)
    } ?? false
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
