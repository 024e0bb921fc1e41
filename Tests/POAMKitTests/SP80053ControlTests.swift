import Foundation
import Testing

@testable import POAMKit

/// `SP80053Control.normalize` scans by hand for speed; these tests hold it to the regular
/// expression it replaced, on hand-picked spellings, on every index in the real DISA CCI list,
/// and on random strings.
@Suite struct SP80053ControlTests {
  /// The pattern the hand-written scanner replaced, kept here as the reference.
  static func reference(_ text: String) -> String? {
    guard
      let match = text.firstMatch(of: #/^\s*(?i)([a-z]{2})-0*(\d{1,2})(?:\s*\(\s*0*(\d{1,2})\s*\))?/#)
    else { return nil }
    let base = "\(match.output.1.uppercased())-\(match.output.2)"
    return match.output.3.map { "\(base)(\($0))" } ?? base
  }

  @Test(
    arguments: [
      ("AC-2", "AC-2"), ("ac-2(1)", "AC-2(1)"), ("AC-2 (1)", "AC-2(1)"), ("AC-2 ( 01 )", "AC-2(1)"),
      ("AC-02", "AC-2"), ("AC-00", "AC-0"), ("AC-2(00)", "AC-2(0)"), ("AC-2 a 1", "AC-2"), ("CM-6 b", "CM-6"),
      ("  SI-4(12)(a)", "SI-4(12)"), ("AC-123", "AC-12"), ("AC-2(100)", "AC-2"), ("AC-2(010)", "AC-2(10)"),
      ("AC-2(", "AC-2"), ("AC-2 (1", "AC-2"), ("AC2", nil), ("A-2", nil), ("AC-", nil), ("1C-2", nil),
      ("", nil), ("  ", nil), ("AC-٣", "AC-٣"),
    ] as [(String, String?)])
  func spellings(input: String, expected: String?) {
    #expect(SP80053Control.normalize(input) == expected)
    #expect(Self.reference(input) == expected)
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func everyIndexInTheCCIList() throws {
    let text = try String(
      contentsOf: Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml"), encoding: .utf8)
    let indexes = Set(text.matches(of: #/index="([^"]*)"/#).map { String($0.output.1) })
    #expect(indexes.count > 3000)
    var recognised = 0
    for index in indexes {
      let expected = Self.reference(index)
      #expect(SP80053Control.normalize(index) == expected, "\(index)")
      if expected != nil { recognised += 1 }
    }
    #expect(recognised > 1000)
  }

  @Test func randomStringsAgreeWithThePattern() {
    let alphabet: [Character] = [
      "A", "c", "M", "x", "-", "0", "0", "1", "2", "9", "(", ")", " ", "\t", "\n", "a", ".", "٣", "é", "(", "0",
    ]
    var generator = SplitMix64(seed: 8_053)
    for _ in 0..<3_000 {
      let length = Int.random(in: 0...9, using: &generator)
      var text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
      if Bool.random(using: &generator) { text = "AC-" + text }
      #expect(SP80053Control.normalize(text) == Self.reference(text), "\(text.debugDescription)")
    }
  }
}
