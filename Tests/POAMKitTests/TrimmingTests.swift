import Foundation
import Testing

@testable import POAMKit

/// `trimmingWhitespace` must give exactly what Foundation's trimming gives.
@Suite struct TrimmingTests {
  @Test(arguments: [
    "", " ", "\n\t ", "a", " a ", "\u{00A0}CCI-000366\u{2028}", "\r\nAC.L2-3.1.1\r\n", "a b", " \u{0301}x ",
    "\u{3000}全角\u{3000}", "x\u{0085}", "\u{FEFF}bom", "😀 ", "\u{200B}zero-width",
  ])
  func matchesFoundation(text: String) {
    #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(text[...].trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func randomStringsMatchFoundation() {
    let alphabet: [Character] = [
      " ", "\t", "\n", "\r\n", "\u{000B}", "\u{000C}", "\u{0085}", "\u{00A0}", "\u{1680}", "\u{2000}", "\u{2028}",
      "\u{2029}", "\u{202F}", "\u{3000}", "\u{200B}", "\u{FEFF}", "a", "Z", "0", "é", "e\u{0301}", "😀", "-",
    ]
    var generator = SplitMix64(seed: 2_025)
    for _ in 0..<5_000 {
      let length = Int.random(in: 0...8, using: &generator)
      let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
      #expect(
        text.trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
    }
  }

  /// `trimmed` skips the walk when the ends are plain ASCII; it must still trim exactly as
  /// walking characters with `Character.isWhitespace` does.
  @Test func trimmedMatchesACharacterWalk() {
    func walk(_ text: String) -> String {
      guard let first = text.firstIndex(where: { !$0.isWhitespace }),
        let last = text.lastIndex(where: { !$0.isWhitespace })
      else { return "" }
      return String(text[first...last])
    }
    let alphabet: [Character] = [
      " ", "\t", "\r\n", "\n", "\u{00A0}", "a", "Z", "0", "e\u{0301}", "\u{0301}", "😀", "-", "\u{2028}",
    ]
    var generator = SplitMix64(seed: 77)
    for _ in 0..<5_000 {
      let length = Int.random(in: 0...6, using: &generator)
      var text = ""
      for _ in 0..<length {
        text.unicodeScalars.append(contentsOf: alphabet.randomElement(using: &generator)!.unicodeScalars)
      }
      #expect(text.trimmed == walk(text), "\(text.debugDescription)")
      #expect(text[...].trimmed == walk(text), "\(text.debugDescription)")
    }
  }
}
