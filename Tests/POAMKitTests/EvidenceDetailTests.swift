import Foundation
import Testing

@testable import POAMKit

/// `EvidenceCollector.detail` collapses only as much text as the 200-character line needs. It
/// must give exactly what collapsing every text in full gave (the reference below).
@Suite struct EvidenceDetailTests {
  static func reference(_ observation: Observation, omitting requirementTitle: String) -> String {
    var parts: [String] = []
    let ruleKinds: [ReferenceKind] = [.stigRule, .xccdfRule, .stigVuln]
    if let rule = observation.refs.first(where: { ruleKinds.contains($0.kind) }) { parts.append(rule.value) }
    for text in [observation.title, observation.details, observation.comments] {
      guard let text = text.map(EvidenceCollector.collapse), !text.isEmpty, !parts.contains(text),
        text.caseInsensitiveCompare(requirementTitle) != .orderedSame
      else { continue }
      parts.append(text)
    }
    return EvidenceCollector.shorten(parts.joined(separator: " — "), to: 200)
  }

  static func observation(rule: String?, title: String?, details: String?, comments: String?) -> Observation {
    Observation(
      source: "test.ckl", location: "VULN[1]", kind: .automated,
      refs: rule.map { [Reference(.stigRule, $0)] } ?? [], rawStatus: "Open", status: .notMet, title: title,
      details: details, comments: comments)
  }

  @Test func longFindingDetailsAreCut() {
    let details = String(repeating: "line one\n\t  line two   ", count: 4_000)
    let observation = Self.observation(rule: "SV-1r1_rule", title: "Title", details: details, comments: "later")
    let detail = EvidenceCollector.detail(observation, omitting: "Authorized Access Control")
    #expect(detail.count == 200)
    #expect(detail.hasPrefix("SV-1r1_rule — Title — line one line two line one"))
    #expect(detail.hasSuffix("…"))
    #expect(detail == Self.reference(observation, omitting: "Authorized Access Control"))
  }

  @Test func textsEqualToTheTitleOrAnEarlierPartAreLeftOut() {
    let observation = Self.observation(
      rule: nil, title: "Authorized  access\ncontrol", details: "Same", comments: "Same")
    #expect(EvidenceCollector.detail(observation, omitting: "Authorized Access Control") == "Same")
  }

  @Test func titlesInAnotherCaseAreLeftOutAndOthersKept() {
    for (title, kept) in [
      ("ACCESS control", false), ("Access Control ", false), ("Access Contro", true), ("Access Controls", true),
      ("ACCESS \u{212A}ontrol", true),
    ] {
      let observation = Self.observation(rule: "R", title: title, details: nil, comments: nil)
      let detail = EvidenceCollector.detail(observation, omitting: "Access Control")
      #expect(detail == Self.reference(observation, omitting: "Access Control"))
      #expect(detail == (kept ? "R — \(title.trimmingWhitespace)" : "R"), "\(title)")
    }
  }

  @Test func randomObservationsMatchTheFullCollapse() {
    let pieces = [
      "a", "word", " ", "  ", "\n", "\t", "—", "é", "e\u{0301}", " \u{0301}", "ß", "SS", "Access", "x",
      String(repeating: "long text ", count: 30), "\u{00A0}", "😀", "WORD", "Word", "~", "\u{7F}", "\u{1}", "K",
      "\u{212A}",
    ]
    let titles = ["Authorized Access Control", "Straße", "", "word", "WORD", "k", "Word word", "\u{212A}"]
    let rules = [nil, "SV-230221r858734_rule", "", "r\u{0301}", "\u{0301}", "x\r", "\n", "ß"]
    var generator = SplitMix64(seed: 200)
    func text() -> String? {
      if Int.random(in: 0..<5, using: &generator) == 0 { return nil }
      let count = Int.random(in: 0...40, using: &generator)
      return (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }
    for _ in 0..<3_000 {
      let title = titles.randomElement(using: &generator)!
      let rule = rules.randomElement(using: &generator)!
      let observation = Self.observation(rule: rule, title: text(), details: text(), comments: text())
      let expected = Self.reference(observation, omitting: title)
      #expect(EvidenceCollector.detail(observation, omitting: title) == expected, "\(observation)")
      // The gap engine collapses once per observation with the widest window any title needs.
      let wide = EvidenceCollector.DetailSource(observation, window: 700)
      #expect(EvidenceCollector.detail(wide, omitting: title) == expected, "\(observation)")
      // Where no text repeats the title, the engine shares one line for every title.
      if !wide.repeats(title) {
        #expect(EvidenceCollector.detail(wide, omitting: nil) == expected, "\(observation)")
      }
    }
  }

  @Test func prefixCountsScalars() {
    #expect(EvidenceCollector.prefix("ab — cd", scalars: 4) == "ab —")
    #expect(EvidenceCollector.prefix("ab — cd", scalars: 3) == "ab ")
    #expect(EvidenceCollector.prefix("ab", scalars: 5) == "ab")
    #expect(EvidenceCollector.prefix("e\u{0301}x", scalars: 1) == "e")
    #expect(EvidenceCollector.prefix("😀x", scalars: 1) == "😀")
    #expect(EvidenceCollector.prefix("", scalars: 0) == "")
  }

  @Test func plainLinesWithSeparatorsAreCutAtTheLimit() {
    let observation = Self.observation(
      rule: "SV-1r1_rule", title: "Title", details: String(repeating: "word ", count: 100), comments: nil)
    let detail = EvidenceCollector.detail(observation, omitting: "Other")
    #expect(detail.count == 200)
    #expect(detail == Self.reference(observation, omitting: "Other"))
  }
}
