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

  /// The byte-by-byte path for ASCII gives what the character-by-character path gives,
  /// carriage returns and other ASCII white space included.
  @Test func asciiScanAgreesWithTheCharacterScan() {
    let pieces = [
      "A", "c", "M", "x", "-", "0", "00", "1", "2", "9", "(", ")", " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}",
      "a", ".", "12", "AC-", "( ", " )",
    ]
    var generator = SplitMix64(seed: 53)
    for _ in 0..<5_000 {
      let count = Int.random(in: 0...10, using: &generator)
      var text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      if Bool.random(using: &generator) { text = "AC-" + text }
      let ascii = SP80053Control.normalizeASCII(text)
      #expect(ascii != nil, "\(text.debugDescription)")
      #expect(ascii ?? nil == SP80053Control.normalizeCharacters(text), "\(text.debugDescription)")
      #expect(SP80053Control.normalize(text) == Self.reference(text), "\(text.debugDescription)")
    }
    #expect(SP80053Control.normalizeASCII("AC-٣") == nil)
  }

  /// The CCI spelling read byte by byte gives what the general path gives, and leaves every
  /// other spelling to it.
  @Test func plainCCIsAgreeWithTheGeneralPath() {
    for text in [
      "CCI-000015", "cci-15", "CCI-0", "Cci-1234567", "CCI-000000000000000015", "CCI-999999999999999999",
    ] {
      #expect(CCIList.normalizePlain(text) != nil, "\(text)")
      #expect(CCIList.normalizePlain(text) == CCIList.normalizeAnySpelling(text), "\(text)")
    }
    for text in ["CCI-", " CCI-15", "CCI-15 ", "CCI-+15", "CCI--0", "CCX-15", "CCI-1_5", "CCI-0000000000000000015"] {
      #expect(CCIList.normalizePlain(text) == nil, "\(text)")
    }
    let pieces = ["C", "c", "I", "i", "-", "0", "1", "9", "+", " ", "CCI-", "x"]
    var generator = SplitMix64(seed: 15)
    for _ in 0..<3_000 {
      let count = Int.random(in: 0...8, using: &generator)
      let text =
        (Bool.random(using: &generator) ? "CCI-" : "")
        + (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      if let plain = CCIList.normalizePlain(text) {
        #expect(plain == CCIList.normalizeAnySpelling(text), "\(text.debugDescription)")
      }
      #expect(CCIList.normalize(text) == CCIList.normalizeAnySpelling(text), "\(text.debugDescription)")
    }
  }
}
