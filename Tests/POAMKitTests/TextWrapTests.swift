import Foundation
import Testing

@testable import POAMKit

/// `TextWrap.wrap` wraps at spaces by character count, whatever the characters (combining
/// marks, emoji, line breaks inside words).
struct TextWrapTests {
  /// Wrapping by counting characters, the path for any text: the byte path must agree with it.
  static func reference(_ text: String, width: Int) -> [String] {
    TextWrap.wrapCharacters(text, width: width)
  }

  @Test func wrapsAtSpaces() {
    #expect(TextWrap.wrap("one two three four", width: 9) == ["one two", "three", "four"])
    #expect(TextWrap.wrap("", width: 9) == [""])
    #expect(TextWrap.wrap("averyveryverylongword x", width: 5) == ["averyveryverylongword", "x"])
  }

  @Test func randomTextsWrapAsCountingDid() {
    let pieces = [
      "a", "word", " ", "  ", "—", "é", "e\u{0301}", " \u{0301}", "\u{0301}", "😀", "👍🏽", "\r\n", "\r", "\n",
      "\u{0600}", "🇫🇷", "x", "longerword", "\t", "~",
    ]
    var generator = SplitMix64(seed: 96)
    for _ in 0..<3_000 {
      let count = Int.random(in: 0...60, using: &generator)
      let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      let width = Int.random(in: 1...30, using: &generator)
      #expect(TextWrap.wrap(text, width: width) == Self.reference(text, width: width), "\(text.debugDescription)")
    }
  }

  /// Text of ASCII, em dashes and ellipses (evidence lines) takes the byte path; it must wrap
  /// as counting characters did.
  @Test func evidenceLikeTextsWrapAsCountingDid() {
    let pieces = ["a", "word", " ", "  ", "—", "…", " — ", "x", "longerword", "\t", "\n", "~", "(file:1)", "é"]
    var generator = SplitMix64(seed: 97)
    var byBytes = 0
    for _ in 0..<3_000 {
      let count = Int.random(in: 0...80, using: &generator)
      let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      let width = Int.random(in: 1...40, using: &generator)
      if TextWrap.hasOneCharacterPerScalar(text) { byBytes += 1 }
      #expect(TextWrap.wrap(text, width: width) == Self.reference(text, width: width), "\(text.debugDescription)")
    }
    #expect(byBytes > 500)
    #expect(!TextWrap.hasOneCharacterPerScalar("a\r\nb"))
    #expect(!TextWrap.hasOneCharacterPerScalar("é"))
    #expect(TextWrap.hasOneCharacterPerScalar("a — b…"))
  }

  @Test func numbersArePaddedAsFormatDid() {
    for value in [-120, -15, -5, -1, 0, 1, 7, 42, 999, 1_000, 123_456] {
      for width in [0, 1, 3, 5] {
        #expect(TextPad.number(value, width: width) == String(format: "%\(width)d", value))
      }
    }
  }
}
