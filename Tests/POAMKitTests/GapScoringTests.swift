import Foundation
import Testing

@testable import POAMKit

/// Level 2 scoring and Conditional eligibility (32 CFR 170.24(c)(2), 170.21(a)(2)). Point values
/// in these tables are written by hand from the rule's lists (cmmc-rules.md §4), not read from
/// the catalog.
struct GapScoringTests {
  /// 23 one-point requirements that may be on a POA&M: derived requirements on neither the 5- nor
  /// the 3-point list of 170.24(c)(2)(i)(B), and not named in 170.21(a)(2)(iii).
  static let onePointers = [
    "AC.L2-3.1.3", "AC.L2-3.1.4", "AC.L2-3.1.6", "AC.L2-3.1.7", "AC.L2-3.1.8", "AC.L2-3.1.9", "AC.L2-3.1.10",
    "AC.L2-3.1.11", "AC.L2-3.1.14", "AC.L2-3.1.15", "AC.L2-3.1.21", "AT.L2-3.2.3", "AU.L2-3.3.3", "AU.L2-3.3.4",
    "AU.L2-3.3.6", "AU.L2-3.3.7", "AU.L2-3.3.8", "AU.L2-3.3.9", "CM.L2-3.4.3", "CM.L2-3.4.4", "CM.L2-3.4.9",
    "IA.L2-3.5.4", "IA.L2-3.5.5",
  ]

  struct Case: Sendable, CustomTestStringConvertible {
    var notMet: [String]
    var score: Int
    var status: CertificationStatus
    var testDescription: String { "\(notMet.joined(separator: "+")) → \(score) \(status.rawValue)" }
  }

  static let cases: [Case] = [
    Case(notMet: [], score: 110, status: .final),
    Case(notMet: ["AC.L2-3.1.1"], score: 105, status: .notEligible),  // basic, 5
    Case(notMet: ["AC.L2-3.1.12"], score: 105, status: .notEligible),  // derived, 5
    Case(notMet: ["AC.L2-3.1.5"], score: 107, status: .notEligible),  // derived, 3
    Case(notMet: ["AU.L2-3.3.2"], score: 107, status: .notEligible),  // basic, 3
    Case(notMet: ["CA.L2-3.12.2"], score: 107, status: .notEligible),  // basic, 3
    Case(notMet: ["AC.L2-3.1.3"], score: 109, status: .conditional),  // derived, 1
    Case(notMet: ["AC.L2-3.1.3", "SC.L2-3.13.16", "MP.L2-3.8.6"], score: 107, status: .conditional),
    Case(notMet: ["AC.L2-3.1.3", "SI.L2-3.14.1"], score: 104, status: .notEligible),
    Case(notMet: ["IA.L2-3.5.3"], score: 105, status: .notEligible),  // partial-credit requirement, NOT MET: 5
    Case(notMet: ["SC.L2-3.13.11"], score: 105, status: .notEligible),  // not encrypted: 5, no POA&M
  ]

  @Test(arguments: cases)
  func scoreAndStatus(_ example: Case) throws {
    let report = GapFixture.evaluate(GapFixture.scope(.two, notMet: example.notMet))
    #expect(report.score == example.score)
    #expect(report.status == example.status)
    #expect(report.maxScore == 110 && report.minScore == -203)
    #expect(report.counts == GapCounts(met: 110 - example.notMet.count, notMet: example.notMet.count))
    if example.status == .final { #expect(report.reasons.isEmpty) } else { #expect(!report.reasons.isEmpty) }
    for id in example.notMet where example.status == .notEligible && id != "AC.L2-3.1.3" {
      let named = report.reasons.contains { reason in reason.contains(id) }
      #expect(named, "reasons do not name \(id)")
    }
  }

  @Test func exactly88IsConditional() throws {
    let report = GapFixture.evaluate(GapFixture.scope(.two, notMet: Array(Self.onePointers.prefix(22))))
    #expect(report.score == 88)
    #expect(report.status == .conditional)
    #expect(report.gaps.allSatisfy { $0.poamEligible && $0.pointsDeducted == 1 })
    #expect(report.reasons.last?.contains("Conditional Level 2") == true)
  }

  @Test func eightySevenIsNotEligibleBecauseOfTheScore() throws {
    let report = GapFixture.evaluate(GapFixture.scope(.two, notMet: Self.onePointers))
    #expect(report.score == 87)
    #expect(report.status == .notEligible)
    #expect(report.gaps.allSatisfy { $0.poamEligible })
    #expect(report.reasons.contains { $0.contains("87") && $0.contains("88") && $0.contains("170.21(a)(2)(i)") })
  }

  @Test func eightyEightWithFIPSPartialIsConditional() throws {
    let extra = [GapFixture.observation("SC.L2-3.13.11", .partial)]
    let observations = GapFixture.scope(.two, notMet: Array(Self.onePointers.prefix(19)), extra: extra)
      .filter { !($0.targets[0].requirement == "SC.L2-3.13.11" && $0.observation.status == .met) }
    let report = GapFixture.evaluate(observations)
    #expect(report.score == 88)  // 110 − 19 − 3
    #expect(report.status == .conditional)
    let fips = try report.result("SC.L2-3.13.11")
    #expect(fips.partial && fips.pointsDeducted == 3 && fips.poamEligible)
  }

  static let namedExclusions = [
    ("AC.L2-3.1.20", 109), ("AC.L2-3.1.22", 109), ("CA.L2-3.12.4", 110), ("PE.L2-3.10.3", 109),
    ("PE.L2-3.10.4", 109), ("PE.L2-3.10.5", 109),
  ]

  @Test(arguments: namedExclusions)
  func namedExclusionBlocksConditional(_ id: String, _ score: Int) throws {
    let report = GapFixture.evaluate(GapFixture.scope(.two, notMet: [id]))
    #expect(report.score == score)
    #expect(report.status == .notEligible)
    let result = try report.result(id)
    #expect(!result.poamEligible)
    #expect(result.poamReason.contains("170.21(a)(2)(iii)"))
    #expect(report.reasons.contains { $0.contains(id) && $0.contains("170.21(a)(2)(iii)") })
  }

  @Test func fivePointAndThreePointGapsBlockConditionalEvenAt105() throws {
    for (id, points) in [("SI.L2-3.14.1", 5), ("SI.L2-3.14.5", 3)] {
      let report = GapFixture.evaluate(GapFixture.scope(.two, notMet: [id]))
      #expect(report.score == 110 - points)
      #expect(report.status == .notEligible)
      #expect(report.reasons.contains { $0.contains("\(id) (\(points) pt)") && $0.contains("170.21(a)(2)(ii)") })
    }
  }

  @Test func fipsAtThreeIsEligibleAndAtFiveIsNot() throws {
    let base = GapFixture.all(.met, level: .two, except: ["SC.L2-3.13.11"])
    let three = GapFixture.evaluate(base + [GapFixture.observation("SC.L2-3.13.11", .partial)])
    #expect(three.score == 107 && three.status == .conditional)
    let five = GapFixture.evaluate(base + [GapFixture.observation("SC.L2-3.13.11", .notMet)])
    #expect(five.score == 105 && five.status == .notEligible)
    let result = try five.result("SC.L2-3.13.11")
    #expect(!result.poamEligible && !result.partial)
    #expect(five.reasons.contains { $0.contains("SC.L2-3.13.11") && $0.contains("FIPS") })
  }

  @Test func mfaPartialDeductsThreeAndIsStillNotEligible() throws {
    let base = GapFixture.all(.met, level: .two, except: ["IA.L2-3.5.3"])
    let report = GapFixture.evaluate(base + [GapFixture.observation("IA.L2-3.5.3", .partial)])
    #expect(report.score == 107)
    #expect(report.status == .notEligible)
    let mfa = try report.result("IA.L2-3.5.3")
    #expect(mfa.status == .notMet && mfa.partial && mfa.pointsDeducted == 3 && !mfa.poamEligible)
    #expect(report.reasons.contains { $0.contains("IA.L2-3.5.3 (partial, 3 pt)") })
  }

  @Test func explicitPartialPointsDecideTheDeduction() throws {
    let base = GapFixture.all(.met, level: .two, except: ["SC.L2-3.13.11", "IA.L2-3.5.3", "AC.L2-3.1.1"])
    let report = GapFixture.evaluate(
      base + [
        GapFixture.observation("SC.L2-3.13.11", .notMet, partialPoints: 3),  // NOT MET, but the 3-point case
        GapFixture.observation("IA.L2-3.5.3", .partial, partialPoints: 5),  // "partial" with the full deduction
        GapFixture.observation("AC.L2-3.1.1", .notMet, partialPoints: 3),  // no partial credit here: ignored
      ])
    #expect(try report.result("SC.L2-3.13.11").pointsDeducted == 3)
    #expect(try report.result("SC.L2-3.13.11").poamEligible)
    #expect(try report.result("IA.L2-3.5.3").pointsDeducted == 5)
    #expect(try report.result("AC.L2-3.1.1").pointsDeducted == 5)
    #expect(report.score == 110 - 3 - 5 - 5)
    #expect(
      report.diagnostics.contains {
        $0.severity == .note && $0.code == .partialCredit
          && $0.message.contains("partial points 3 ignored for AC.L2-3.1.1")
      })
  }

  @Test func unknownPartialPointsAreReportedAndTheStatusDecides() throws {
    let base = GapFixture.all(.met, level: .two, except: ["IA.L2-3.5.3"])
    let report = GapFixture.evaluate(base + [GapFixture.observation("IA.L2-3.5.3", .partial, partialPoints: 4)])
    #expect(try report.result("IA.L2-3.5.3").pointsDeducted == 3)
    #expect(report.diagnostics.contains { $0.severity == .warning && $0.code == .partialCredit })
  }

  @Test func partialOnARequirementWithoutPartialCreditIsNotMet() throws {
    let base = GapFixture.all(.met, level: .two, except: ["AC.L2-3.1.1"])
    let report = GapFixture.evaluate(base + [GapFixture.observation("AC.L2-3.1.1", .partial)])
    let result = try report.result("AC.L2-3.1.1")
    #expect(result.status == .notMet && !result.partial && result.pointsDeducted == 5)
  }

  @Test func partialOnOneAssetAndNotMetOnAnotherDeductsFull() throws {
    let base = GapFixture.all(.met, level: .two, except: ["IA.L2-3.5.3"])
    let report = GapFixture.evaluate(
      base + [
        GapFixture.observation("IA.L2-3.5.3", .partial, asset: "web01"),
        GapFixture.observation("IA.L2-3.5.3", .notMet, asset: "web02"),
      ])
    let result = try report.result("IA.L2-3.5.3")
    #expect(result.pointsDeducted == 5 && !result.partial)
  }

  @Test func sspMissingBlocksEveryStatusWhateverTheScore() throws {
    // No evidence at all for the SSP: not assessed, 0 points, not eligible.
    let report = GapFixture.evaluate(GapFixture.all(.met, level: .two, except: ["CA.L2-3.12.4"]))
    #expect(report.score == 110)
    #expect(report.status == .notEligible)
    let ssp = try report.result("CA.L2-3.12.4")
    #expect(ssp.status == .notAssessed && ssp.pointsDeducted == 0 && !ssp.poamEligible)
    #expect(report.reasons.contains { $0.contains("CA.L2-3.12.4") && $0.contains("170.24(c)(2)(i)(B)(5)") })
    #expect(report.counts == GapCounts(met: 109, notAssessed: 1))
  }

  @Test func allNotApplicableIs110AndFinal() throws {
    let report = GapFixture.evaluate(GapFixture.all(.notApplicable, level: .two))
    #expect(report.score == 110)
    #expect(report.status == .final)
    #expect(report.counts == GapCounts(notApplicable: 110))
    #expect(report.requirements.allSatisfy { $0.objectives.values.allSatisfy { $0 == .notApplicable } })
  }

  @Test func nothingAssessedIsMinus203() throws {
    let report = GapFixture.evaluate([])
    #expect(report.score == -203)
    #expect(report.status == .notEligible)
    #expect(report.counts == GapCounts(notAssessed: 110))
    #expect(report.requirements.count == 110)
    #expect(report.requirements.allSatisfy { $0.status == .notAssessed && $0.evidence.isEmpty })
    #expect(report.gaps.isEmpty && report.notAssessed.count == 110)
    // 320 Level 2 objectives, every one not assessed.
    #expect(report.requirements.map(\.objectives.count).reduce(0, +) == 320)
    #expect(report.requirements.allSatisfy { $0.objectives.values.allSatisfy { $0 == .notAssessed } })
  }

  /// Random sets of NOT MET requirements: the score is 110 minus the sum of their catalog
  /// values, never outside [−203, 110], and Conditional exactly when the score is at least 88
  /// and every gap is a 1-point requirement not named in 170.21(a)(2)(iii).
  @Test func randomGapsScoreAsTheSumOfTheirPoints() throws {
    var random = SplitMix64(seed: 0x5EED_CAFE)
    let level2 = GapFixture.catalog.requirements(level: .two)
    for round in 0..<150 {
      let size = round < 50 ? Int.random(in: 0...8, using: &random) : Int.random(in: 0...110, using: &random)
      let failing = Array(level2.shuffled(using: &random).prefix(size))
      let report = GapFixture.evaluate(GapFixture.scope(.two, notMet: failing.map(\.id)))
      let expected = 110 - failing.map { $0.points ?? 0 }.reduce(0, +)
      #expect(report.score == expected, "round \(round)")
      #expect((-203...110).contains(report.score ?? .min))
      #expect(report.counts.notMet == size && report.counts.met == 110 - size)
      let allEligible = failing.allSatisfy { $0.points == 1 && !$0.poam.excludedByName }
      let conditional = !failing.isEmpty && expected >= 88 && allEligible
      #expect((report.status == .conditional) == conditional, "round \(round): \(failing.map(\.id))")
      #expect((report.status == .final) == failing.isEmpty)
    }
  }

  @Test func everythingNotMetIsTheMinimum() throws {
    let report = GapFixture.evaluate(GapFixture.all(.notMet, level: .two))
    #expect(report.score == -203)
    #expect(report.counts == GapCounts(notMet: 110))
  }
}
