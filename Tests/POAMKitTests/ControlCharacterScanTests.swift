import Testing

@testable import POAMKit

/// The word-at-a-time control character scan against a byte-by-byte reading of the same rule.
struct ControlCharacterScanTests {
  /// The rule, one byte at a time: C0 controls (but tab, LF and CR when keeping the layout),
  /// DEL, and C2 80 … C2 9F.
  static func bytewise(_ bytes: [UInt8], keepingLayout: Bool) -> Bool {
    for (index, byte) in bytes.enumerated() {
      if byte < 0x20, !(keepingLayout && (byte == 0x09 || byte == 0x0A || byte == 0x0D)) { return true }
      if byte == 0x7F { return true }
      if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
    }
    return false
  }

  @Test func agreesWithTheByteRuleAtEveryPosition() {
    // Every interesting byte at every offset of texts up to 40 bytes (word edges included),
    // in plain ASCII and in text with other high bytes around it.
    let interesting: [[UInt8]] = [
      [0x00], [0x01], [0x09], [0x0A], [0x0D], [0x1B], [0x1F], [0x20], [0x7E], [0x7F], [0x80], [0xC2], [0xC2, 0x80],
      [0xC2, 0x9F], [0xC2, 0xA0], [0xC3, 0x80], [0xFF],
    ]
    var checked = 0
    for filler in [UInt8(ascii: "a"), 0xE9, 0x81] {
      for length in 0...40 {
        for insert in interesting {
          for position in 0...length {
            var bytes = [UInt8](repeating: filler, count: length)
            bytes.insert(contentsOf: insert, at: position)
            for keepingLayout in [true, false] {
              let fast = bytes.withUnsafeBufferPointer { ControlCharacters.scan($0, keepingLayout: keepingLayout) }
              #expect(fast == Self.bytewise(bytes, keepingLayout: keepingLayout), "\(bytes) \(keepingLayout)")
              checked += 1
            }
          }
        }
      }
    }
    #expect(checked > 40_000)
    #expect(ControlCharacters.strip("a\u{1B}[31mred\u{85}") == "a[31mred")
  }

  @Test func randomWords() {
    var generator = SplitMix64(seed: 0xC0_4747)
    for _ in 0..<20_000 {
      let word = UInt64.random(in: .min ... .max, using: &generator)
      let bytes = withUnsafeBytes(of: word) { Array($0) }
      let anyFlagged = bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }
      // No false negative: a word holding such a byte is always looked at.
      if anyFlagged { #expect(ControlCharacters.mayHoldControl(word)) }
    }
  }
}
