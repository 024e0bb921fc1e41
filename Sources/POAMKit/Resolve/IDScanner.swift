/// Reads the common identifier spellings (`3.1.7`, `AC.L2-3.1.1`, `3.1.1[a]`, `b.1.ix`) by hand,
/// giving exactly what ``IDShape/match(_:)`` and ``NumberShape/match(_:)`` give: Swift Regex
/// matching costs tens of microseconds a call, and compiling the patterns on first use more.
///
/// The scanner only decides text of printable ASCII without white space (so every `\s*` of the
/// patterns matches nothing, `(?i)` folds A–Z only and every byte is one character), and only
/// for shapes where the patterns leave one way to match. Anything else is nil: the caller uses
/// the regular expressions.
enum IDScanner {
  /// The shape of a trimmed identifier, or nil when the regular expressions must decide.
  static func shape(of input: String) -> IDShape? {
    guard let bytes = plainBytes(input) else { return nil }
    // A document name starts `nist`, `sp` or `800-17`; a Rev 3 identifier starts `0`.
    if startsWith(bytes, "nist") || startsWith(bytes, "sp") || startsWith(bytes, "800-17") || bytes[0] == zero {
      return nil
    }
    // `AC.L2-rest`: two letters, a dot, L, the level, a hyphen and at least one character.
    if bytes.count >= 7, isLetter(bytes[0]), isLetter(bytes[1]), bytes[2] == dot, bytes[3] | 0x20 == ascii("l"),
      (ascii("1")...ascii("3")).contains(bytes[4]), bytes[5] == ascii("-")
    {
      return .cmmc(
        family: String(decoding: bytes[0...1], as: UTF8.self).uppercased(), level: Int(bytes[4] - zero),
        rest: String(decoding: bytes[6...], as: UTF8.self))
    }
    // A number: a digit first (not the `52.204-21` of the long FAR form), or `b.` (a FAR
    // paragraph). Neither can be a CMMC ID, a CMMC 1.0 practice or the long FAR form.
    if (isDigit(bytes[0]) && !startsWith(bytes, "52.204-21"))
      || (bytes[0] | 0x20 == ascii("b") && bytes.count > 1 && bytes[1] == dot)
    {
      return .number(input)
    }
    return nil
  }

  /// The shape of a number, or nil when the regular expressions must decide.
  static func numberShape(of text: String) -> NumberShape? {
    guard let bytes = plainBytes(text) else { return nil }
    if bytes[0] | 0x20 == ascii("b") { return farShape(bytes) }
    // Both patterns start with `b` or a digit.
    return isDigit(bytes[0]) ? nistShape(bytes) : NumberShape.none
  }

  /// `b\.1\.([ivx]+)(?:\[([a-z])\]|\.([a-z]))?`
  private static func farShape(_ bytes: [UInt8]) -> NumberShape {
    var cursor = Cursor(bytes: bytes)
    guard cursor.take(ascii("b"), folding: true), cursor.take(dot), cursor.take(ascii("1")), cursor.take(dot)
    else { return .none }
    let start = cursor.index
    while let byte = cursor.peek, isLetter(byte), "ivx".utf8.contains(byte | 0x20) { cursor.index += 1 }
    guard cursor.index > start else { return .none }
    let paragraph = cursor.text(start..<cursor.index)
    if cursor.atEnd { return .far(paragraph: paragraph, objective: nil) }
    let afterParagraph = cursor.index
    if cursor.take(ascii("[")), let letter = cursor.takeLetter(), cursor.take(ascii("]")), cursor.atEnd {
      return .far(paragraph: paragraph, objective: letter)
    }
    cursor.index = afterParagraph
    if cursor.take(dot), let letter = cursor.takeLetter(), cursor.atEnd {
      return .far(paragraph: paragraph, objective: letter)
    }
    return .none
  }

  /// `(\d{1,2})\.(\d{1,2})\.(\d{1,2})([a-z])?(?:\[([a-z]|odp\d+)\](?:\[\d+\])?|\.([a-z])|\(([a-z])\))?`
  /// (the `\s*` left out). Every part ends where the next cannot start, so there is one way to
  /// match: the digit runs are whole, a letter after the last number is the glued letter.
  private static func nistShape(_ bytes: [UInt8]) -> NumberShape {
    var cursor = Cursor(bytes: bytes)
    var parts: [String] = []
    for index in 0..<3 {
      guard let digits = cursor.takeDigits(), digits.utf8.count <= 2 else { return .none }
      parts.append(digits)
      if index < 2, !cursor.take(dot) { return .none }
    }
    let glued = cursor.takeLetter()
    if cursor.atEnd { return .nist(parts: parts, glued: glued, objective: nil) }
    let objective: String
    switch cursor.peek {
    case ascii("["):
      cursor.index += 1
      let start = cursor.index
      if let letter = cursor.takeLetter(), cursor.peek == ascii("]") {
        objective = letter
      } else {
        cursor.index = start
        guard cursor.take(ascii("o"), folding: true), cursor.take(ascii("d"), folding: true),
          cursor.take(ascii("p"), folding: true), cursor.takeDigits() != nil
        else { return .none }
        objective = cursor.text(start..<cursor.index)
      }
      guard cursor.take(ascii("]")) else { return .none }
      // An optional `[n]` after the objective.
      if cursor.take(ascii("[")) {
        guard cursor.takeDigits() != nil, cursor.take(ascii("]")) else { return .none }
      }
    case dot:
      cursor.index += 1
      guard let letter = cursor.takeLetter() else { return .none }
      objective = letter
    case ascii("("):
      cursor.index += 1
      guard let letter = cursor.takeLetter(), cursor.take(ascii(")")) else { return .none }
      objective = letter
    default:
      return .none
    }
    return cursor.atEnd ? .nist(parts: parts, glued: glued, objective: objective) : .none
  }

  /// The text's bytes when it is non-empty printable ASCII without white space; nil otherwise.
  private static func plainBytes(_ text: String) -> [UInt8]? {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
    return bytes
  }

  /// True when the bytes start with `prefix` (lower-case ASCII), A–Z folded.
  private static func startsWith(_ bytes: [UInt8], _ prefix: String) -> Bool {
    bytes.count >= prefix.utf8.count
      && zip(bytes, prefix.utf8).allSatisfy { byte, wanted in
        byte == wanted || (isLetter(byte) && byte | 0x20 == wanted)
      }
  }

  private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }
  private static let zero = ascii("0")
  private static let dot = ascii(".")
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= ascii("9") }
  private static func isLetter(_ byte: UInt8) -> Bool { (ascii("a")...ascii("z")).contains(byte | 0x20) }

  /// A position in the bytes, moved forward by what it takes.
  private struct Cursor {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// Takes one byte equal to `byte` (a lower-case letter matches either case when folding).
    mutating func take(_ byte: UInt8, folding: Bool = false) -> Bool {
      guard let next = peek, next == byte || (folding && IDScanner.isLetter(next) && next | 0x20 == byte)
      else { return false }
      index += 1
      return true
    }

    /// Takes one letter A–Z or a–z.
    mutating func takeLetter() -> String? {
      guard let next = peek, IDScanner.isLetter(next) else { return nil }
      index += 1
      return text(index - 1..<index)
    }

    /// Takes every digit from here on; nil when there is none.
    mutating func takeDigits() -> String? {
      let start = index
      while let next = peek, IDScanner.isDigit(next) { index += 1 }
      return index > start ? text(start..<index) : nil
    }
  }
}
