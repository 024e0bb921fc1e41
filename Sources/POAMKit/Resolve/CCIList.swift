import Foundation

/// The DISA Control Correlation Identifier list: which NIST SP 800-53 controls each CCI
/// belongs to. It is the user's file (`U_CCI_List.xml`), never bundled.
public struct CCIList: Sendable {
  /// The list's version (its publish date), when it says.
  public var version: String?
  /// CCI → NIST SP 800-53 Rev 4 controls, normalized like `AC-2(1)`.
  public var rev4: [String: [String]]
  /// CCI → NIST SP 800-53 Rev 5 controls, normalized like `AC-2(1)`.
  public var rev5: [String: [String]]
  /// CCI → the NIST SP 800-53 parts it quotes, per revision, canonical
  /// (``SP80053Part/canonical(_:)``: `IA-5(1)(a)`, `CM-6 b`).
  public var parts: [String: Parts]

  /// The parts one CCI references in each revision of NIST SP 800-53 (Rev 3 is the list's
  /// plain "NIST SP 800-53" title).
  public struct Parts: Sendable, Hashable {
    /// Rev 4 indices.
    public var rev4: [String] = []
    /// Rev 5 indices.
    public var rev5: [String] = []
    /// Rev 3 indices.
    public var rev3: [String] = []

    /// Creates parts.
    public init(rev4: [String] = [], rev5: [String] = [], rev3: [String] = []) {
      self.rev4 = rev4
      self.rev5 = rev5
      self.rev3 = rev3
    }
  }

  /// Creates a list from controls only: each CCI's parts are its controls.
  public init(version: String?, rev4: [String: [String]], rev5: [String: [String]]) {
    var parts: [String: Parts] = [:]
    for (cci, controls) in rev4 { parts[cci, default: Parts()].rev4 = controls }
    for (cci, controls) in rev5 { parts[cci, default: Parts()].rev5 = controls }
    self.init(version: version, rev4: rev4, rev5: rev5, parts: parts)
  }

  /// Creates a list with each CCI's parts per revision.
  public init(version: String?, rev4: [String: [String]], rev5: [String: [String]], parts: [String: Parts]) {
    self.version = version
    self.rev4 = rev4
    self.rev5 = rev5
    self.parts = parts
  }

  /// The number of CCIs with at least one Rev 4 or Rev 5 control.
  public var count: Int { Set(rev4.keys).union(rev5.keys).count }

  /// Normalizes a CCI as written (`CCI-15`, `cci-000015`) to `CCI-000015`.
  public static func normalize(_ cci: String) -> String? {
    normalizePlain(cci) ?? normalizeAnySpelling(cci)
  }

  /// ``normalize(_:)`` for every spelling, character by character.
  static func normalizeAnySpelling(_ cci: String) -> String? {
    let trimmed = cci.trimmingWhitespace.uppercased()
    guard trimmed.hasPrefix("CCI-"), let number = Int(trimmed.dropFirst(4)), number >= 0 else { return nil }
    let digits = String(number)
    return "CCI-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
  }

  /// ``normalize(_:)`` for the common spelling, `CCI-` (any case) and 1 to 18 ASCII digits with
  /// nothing around them, read byte by byte; nil for anything else (the general path decides).
  static func normalizePlain(_ cci: String) -> String? {
    let utf8 = cci.utf8
    guard utf8.count > 4, utf8.count <= 22 else { return nil }
    var value = 0
    for (offset, byte) in utf8.enumerated() {
      switch offset {
      case 0: guard byte | 0x20 == UInt8(ascii: "c") else { return nil }
      case 1: guard byte | 0x20 == UInt8(ascii: "c") else { return nil }
      case 2: guard byte | 0x20 == UInt8(ascii: "i") else { return nil }
      case 3: guard byte == UInt8(ascii: "-") else { return nil }
      default:
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
    }
    let digits = String(value)
    return "CCI-" + String(repeating: "0", count: max(0, 6 - digits.utf8.count)) + digits
  }

  /// Where poam looks for the list: `--cci-list`, then `POAM_CCI_LIST`, then
  /// `~/.config/poam/U_CCI_List.xml`. Returns nil when none is given or present.
  public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    if let explicit, !explicit.isEmpty { return explicit }
    if let path = environment["POAM_CCI_LIST"], !path.isEmpty { return path }
    let home = environment["HOME"] ?? NSHomeDirectory()
    let fallback = URL(fileURLWithPath: home).appendingPathComponent(".config/poam/U_CCI_List.xml").path
    return FileManager.default.fileExists(atPath: fallback) ? fallback : nil
  }

  /// How to supply the list, for diagnostics.
  public static let hint =
    "supply the DISA CCI list (U_CCI_List.xml) with --cci-list FILE, the POAM_CCI_LIST environment variable, or ~/.config/poam/U_CCI_List.xml"
}

/// Normalizes NIST SP 800-53 control references (`AC-2 (1)`, `ac-2(1)(a)`, `AC-2 a 1`, `AC-02`)
/// to the catalog's form (`AC-2(1)`, `AC-2`).
///
/// Importers call this for every cell and reference they read, so it scans the characters by
/// hand instead of running a regular expression: it reads what the pattern
/// `^\s*([a-z]{2})-0*(\d{1,2})(?:\s*\(\s*0*(\d{1,2})\s*\))?` (case-insensitive) would, at a
/// fraction of the cost.
enum SP80053Control {
  /// The control with at most one enhancement, or nil when the text is not a control.
  public static func normalize(_ text: String) -> String? {
    if let plain = normalizeASCII(text) { return plain }
    return normalizeCharacters(text)
  }

  /// ``normalize(_:)`` of any text, character by character.
  static func normalizeCharacters(_ text: String) -> String? {
    var rest = Substring(text).drop { $0.isWhitespace }
    guard let first = rest.first, let second = rest.dropFirst().first, isASCIILetter(first), isASCIILetter(second)
    else { return nil }
    rest = rest.dropFirst(2)
    guard rest.first == "-" else { return nil }
    rest = rest.dropFirst()
    guard let number = digits(in: &rest, requireClosingAfter: false) else { return nil }
    let base = first.uppercased() + second.uppercased() + "-" + number
    var group = rest.drop { $0.isWhitespace }
    guard group.first == "(" else { return base }
    group = group.dropFirst().drop { $0.isWhitespace }
    guard let enhancement = digits(in: &group, requireClosingAfter: true) else { return base }
    return base + "(" + enhancement + ")"
  }

  /// ``normalize(_:)`` of ASCII text, byte by byte: there every byte is a character but for
  /// `\r\n`, which is white space as its two bytes are. `.some(nil)` when the text is not a
  /// control; nil when it is not ASCII (the general path decides).
  static func normalizeASCII(_ text: String) -> String?? {
    var text = text
    return text.withUTF8 { bytes -> String?? in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      var index = 0
      func skipWhitespace() { while index < bytes.count, bytes[index].isASCIIWhitespace { index += 1 } }
      func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
      func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
      /// `digits(in:requireClosingAfter:)` on bytes: the start and end of the digits kept.
      func digits(requireClosingAfter: Bool) -> Range<Int>? {
        let start = index
        var end = start
        while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        guard end > start else { return nil }
        var significant = start
        while significant < end, bytes[significant] == UInt8(ascii: "0") { significant += 1 }
        if significant == end { significant = end - 1 }
        if requireClosingAfter {
          guard end - significant <= 2 else { return nil }
          index = end
          skipWhitespace()
          guard index < bytes.count, bytes[index] == UInt8(ascii: ")") else { return nil }
          index += 1
          return significant..<end
        }
        let kept = significant..<min(end, significant + 2)
        index = kept.upperBound
        return kept
      }
      func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
      }

      skipWhitespace()
      // Two letters and a hyphen.
      guard index + 2 < bytes.count else { return .some(nil) }
      let first = bytes[index]
      let second = bytes[index + 1]
      guard isLetter(first), isLetter(second) else { return .some(nil) }
      index += 2
      guard bytes[index] == UInt8(ascii: "-") else { return .some(nil) }
      index += 1
      guard let number = digits(requireClosingAfter: false) else { return .some(nil) }
      let letters = String(decoding: [first & ~0x20, second & ~0x20], as: UTF8.self)
      let base = letters + "-" + text(number)
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "(") else { return .some(base) }
      index += 1
      skipWhitespace()
      guard let enhancement = digits(requireClosingAfter: true) else { return .some(base) }
      return .some(base + "(" + text(enhancement) + ")")
    }
  }

  private static func isASCIILetter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return (ascii >= 65 && ascii <= 90) || (ascii >= 97 && ascii <= 122)
  }

  /// A decimal digit as the pattern's `\d` reads it (any Unicode decimal digit).
  private static func isDigit(_ character: Character) -> Bool {
    if let ascii = character.asciiValue { return ascii >= 48 && ascii <= 57 }
    let scalars = character.unicodeScalars
    return scalars.count == 1 && scalars.first!.properties.generalCategory == .decimalNumber
  }

  /// `0*(\d{1,2})` at the start of `text`, with the backtracking of the pattern: leading zeros are
  /// dropped but one is kept when the run is all zeros. Moves `text` past what matched. With
  /// `requireClosingAfter`, the number must be followed by optional white space and `)` (which is
  /// consumed), and the whole run of digits must fit.
  private static func digits(in text: inout Substring, requireClosingAfter: Bool) -> String? {
    let run = text.prefix { isDigit($0) }
    guard !run.isEmpty else { return nil }
    let zeros = run.prefix { $0 == "0" }.count
    let significant = zeros == run.count ? run.suffix(1) : run.dropFirst(zeros)
    if requireClosingAfter {
      guard significant.count <= 2 else { return nil }
      let after = text[run.endIndex...].drop { $0.isWhitespace }
      guard after.first == ")" else { return nil }
      text = after.dropFirst()
      return String(significant)
    }
    let kept = significant.prefix(2)
    text = text[kept.endIndex...]
    return String(kept)
  }

  /// The base control of an enhancement (`AC-2(1)` → `AC-2`).
  public static func base(_ control: String) -> String {
    control.split(separator: "(").first.map(String.init) ?? control
  }
}
