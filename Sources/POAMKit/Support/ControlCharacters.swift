/// Removes the control characters a crafted file could use to drive a terminal (ESC for colour
/// and cursor sequences, OSC to retitle the window, BEL) or to hide text in a spreadsheet: C0
/// controls, DEL and C1 controls (U+0080–U+009F). Tab and line breaks stay where people write
/// them on purpose (inside fields); ``strip(_:keepingLayout:)`` removes them too for
/// single-line text.
enum ControlCharacters {
  /// `text` without control characters; with `keepingLayout` (the default) tab, LF and CR stay.
  public static func strip(_ text: String, keepingLayout: Bool = true) -> String {
    guard needsWork(text, keepingLayout: keepingLayout) else { return text }
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !isControl(scalar, keepingLayout: keepingLayout) {
      scalars.append(scalar)
    }
    return String(scalars)
  }

  /// `text` with each control character replaced by U+FFFD (so that a file name or a status
  /// word shown on a terminal still shows that something was there); tab, LF and CR stay.
  public static func replace(_ text: String) -> String {
    guard needsWork(text, keepingLayout: true) else { return text }
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      scalars.append(isControl(scalar, keepingLayout: true) ? "\u{FFFD}" : scalar)
    }
    return String(scalars)
  }

  /// True for C0 controls, DEL and C1 controls (tab, LF and CR kept when `keepingLayout`).
  static func isControl(_ scalar: Unicode.Scalar, keepingLayout: Bool) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: return !keepingLayout
    case 0x00...0x1F, 0x7F...0x9F: return true
    default: return false
    }
  }

  /// A fast byte scan: false when nothing would change (the common case). Runs on every text
  /// field of every observation, so it works on the contiguous UTF-8 bytes directly.
  private static func needsWork(_ text: String, keepingLayout: Bool) -> Bool {
    if let answer = text.utf8.withContiguousStorageIfAvailable({ scan($0, keepingLayout: keepingLayout) }) {
      return answer
    }
    return Array(text.utf8).withUnsafeBufferPointer { scan($0, keepingLayout: keepingLayout) }
  }

  /// True when `bytes` hold a control character (``isControl(_:keepingLayout:)``). Eight bytes
  /// are tested at a time: a word with no byte below 0x20, no DEL and no C2 (the lead byte of
  /// the C1 controls) is passed over; only words with one are looked at byte by byte.
  static func scan(_ bytes: UnsafeBufferPointer<UInt8>, keepingLayout: Bool) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let count = bytes.count
    var index = 0
    while index + 8 <= count {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      if mayHoldControl(word) {
        for offset in index..<index + 8 where isControl(at: offset, in: bytes, keepingLayout: keepingLayout) {
          return true
        }
      }
      index += 8
    }
    while index < count {
      if isControl(at: index, in: bytes, keepingLayout: keepingLayout) { return true }
      index += 1
    }
    return false
  }

  /// True when the byte at `index` starts a control character.
  @inline(__always)
  private static func isControl(at index: Int, in bytes: UnsafeBufferPointer<UInt8>, keepingLayout: Bool) -> Bool {
    let byte = bytes[index]
    if byte < 0x20 { return !(keepingLayout && (byte == 0x09 || byte == 0x0A || byte == 0x0D)) }
    if byte == 0x7F { return true }
    // C1 controls are U+0080–U+009F: UTF-8 C2 80 … C2 9F.
    return byte == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1])
  }

  /// True when one of the eight bytes of `word` is below 0x20, 0x7F or 0xC2 (the classic
  /// "has a byte less than n" and "has a zero byte" word tests; exact, no byte is missed).
  @inline(__always)
  static func mayHoldControl(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let below = (word &- ones &* 0x20) & ~word & highs
    let delete = word ^ (ones &* 0x7F)
    let lead = word ^ (ones &* 0xC2)
    return below | ((delete &- ones) & ~delete & highs) | ((lead &- ones) & ~lead & highs) != 0
  }
}
