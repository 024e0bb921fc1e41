import Foundation
import Testing

@testable import POAMKit

/// `SP80053Part.parse` reads scalar values, ASCII byte by byte; these tests hold it to the
/// scalar-by-scalar parser it replaced (kept here as the reference) on hand-picked spellings,
/// random strings, and every index in the real DISA CCI list.
@Suite struct SP80053PartTests {
  /// The parser before the ASCII path, verbatim but for its name.
  static func reference(_ text: String) -> (String, [String])? {
    let scalars = Array(text.unicodeScalars.prefix(200))
    var index = 0
    func skipSpaces() {
      while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
    }
    func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && scalar.properties.isAlphabetic }
    func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
    func normalizeItem(_ item: String) -> String {
      if let number = Int(item) { return String(number) }
      return item.lowercased()
    }
    skipSpaces()
    guard index + 3 <= scalars.count, isLetter(scalars[index]), isLetter(scalars[index + 1]),
      scalars[index + 2] == "-"
    else { return nil }
    let family = String(String.UnicodeScalarView(scalars[index..<index + 2])).uppercased()
    index += 3
    var digits = ""
    while index < scalars.count, isDigit(scalars[index]) {
      digits.unicodeScalars.append(scalars[index])
      index += 1
    }
    guard let number = Int(digits.prefix(4)), digits.count <= 4 else { return nil }
    let base = "\(family)-\(number)"
    var components: [String] = []
    while components.count < 8 {
      skipSpaces()
      guard index < scalars.count else { break }
      if scalars[index] == "(" {
        index += 1
        skipSpaces()
        var inner = ""
        while index < scalars.count, scalars[index] != ")", inner.count <= 8 {
          if !scalars[index].properties.isWhitespace { inner.unicodeScalars.append(scalars[index]) }
          index += 1
        }
        guard index < scalars.count, scalars[index] == ")", !inner.isEmpty, inner.count <= 8,
          inner.unicodeScalars.allSatisfy({ isLetter($0) || isDigit($0) })
        else { break }
        index += 1
        components.append("(" + normalizeItem(inner) + ")")
      } else if isLetter(scalars[index]) || isDigit(scalars[index]) {
        var item = ""
        while index < scalars.count, isLetter(scalars[index]) || isDigit(scalars[index]), item.count <= 8 {
          item.unicodeScalars.append(scalars[index])
          index += 1
        }
        guard item.count <= 8 else { break }
        guard item.count <= 2 || Int(item) != nil else { break }
        components.append(normalizeItem(item))
      } else {
        break
      }
    }
    return (base, components)
  }

  static func agree(_ text: String) -> Bool {
    let (fast, slow) = (SP80053Part.parse(text), reference(text))
    return fast?.0 == slow?.0 && fast?.1 == slow?.1
  }

  @Test(arguments: [
    "IA-5 (1) (a)", "CM-6 b", "AC-8 c 2", "AC-03(04)", "ia-2 ( 11 )", "SC-13", "AU-8 (1) (a)", "AC-2 (1)(a)(1)",
    "AC-00012", "AC-1234", "AC-12345", "AC-", "AC", "A1-2", " \t\r\nAC-2\r\n(3)", "AC-2 (123456789)", "AC-2 (12345678)",
    "AC-2 (a b)", "AC-2 (a-b)", "AC-2 Rev 4", "AC-2 abc", "AC-2 123456789", "AC-2 000000001", "AC-2 (é)",
    "AC-2\u{A0}(1)", "\u{2003}AC-2 (1)", "AC-2 (1\u{301})", "ÅC-2", "AC-٣", "AC-2 (٣)", "AC-2 a\u{85}b",
    "AC-1" + String(repeating: " (a)", count: 60), String(repeating: " ", count: 199) + "AC-2",
    String(repeating: "(", count: 300), "", "AC-2 (1)" + String(repeating: "é", count: 300),
    "AC-2" + String(repeating: " ", count: 196) + "(1)é", "AC-2" + String(repeating: " ", count: 200) + "é",
  ])
  func agreesWithTheScalarParser(_ text: String) {
    #expect(Self.agree(text), "\(text.debugDescription)")
  }

  @Test func agreesOnRandomText() {
    let pieces = [
      "A", "c", "M", "x", "-", "0", "00", "1", "12", "123456789", "(", ")", " ", "\t", "\r\n", "\u{0B}", "a", "b",
      ".", "AC-", "( ", " )", "é", "\u{A0}", "\u{301}", "٣", "Rev",
    ]
    var generator = SplitMix64(seed: 800)
    for _ in 0..<5_000 {
      let count = Int.random(in: 0...14, using: &generator)
      var text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      if Bool.random(using: &generator) { text = "AC-2" + text }
      #expect(Self.agree(text), "\(text.debugDescription)")
    }
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func agreesOnEveryIndexOfTheCCIList() throws {
    let text = try String(
      contentsOf: Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml"), encoding: .utf8)
    let indices = Set(text.matches(of: #/index="([^"]*)"/#).map { String($0.output.1) })
    #expect(indices.count > 1_000)
    for index in indices {
      #expect(Self.agree(index), "\(index.debugDescription)")
    }
  }
}
