import Foundation
import Testing

@testable import POAMKit

/// Level 1 and Level 3 verdicts, and crediting between Level 1 and Level 2 equivalents.
struct GapLevelTests {
  /// The 17 NIST SP 800-171 requirements behind the 15 Level 1 requirements (cmmc-rules.md §2).
  static let levelOneBasis = [
    "AC.L2-3.1.1", "AC.L2-3.1.2", "AC.L2-3.1.20", "AC.L2-3.1.22", "IA.L2-3.5.1", "IA.L2-3.5.2", "MP.L2-3.8.3",
    "PE.L2-3.10.1", "PE.L2-3.10.3", "PE.L2-3.10.4", "PE.L2-3.10.5", "SC.L2-3.13.1", "SC.L2-3.13.5",
    "SI.L2-3.14.1", "SI.L2-3.14.2", "SI.L2-3.14.4", "SI.L2-3.14.5",
  ]

  // MARK: Level 1

  @Test func levelOneAllMetIsFinalWithoutAScore() throws {
    let report = GapFixture.evaluate(GapFixture.all(.met, level: .one), level: .one)
    #expect(report.status == .final)
    #expect(report.score == nil && report.maxScore == nil && report.minScore == nil)
    #expect(report.counts == GapCounts(met: 15))
    #expect(report.requirements.count == 15)
    let json = try JSONOutput.string(report)
    #expect(json.contains("\"score\" : null"))
  }

  @Test func levelOneOneGapIsNotEligibleAndNeverOnAPOAM() throws {
    let observations =
      GapFixture.all(.met, level: .one, except: ["SI.L1-b.1.xiv"]) + [
        GapFixture.observation("SI.L1-b.1.xiv", .notMet)
      ]
    let report = GapFixture.evaluate(observations, level: .one)
    #expect(report.status == .notEligible)
    let gap = try report.result("SI.L1-b.1.xiv")
    #expect(gap.pointsDeducted == 0 && !gap.poamEligible && gap.poamReason.contains("170.21(a)(1)"))
    #expect(report.reasons.contains { $0.contains("170.21(a)(1)") })
    #expect(report.reasons.contains { $0.hasPrefix("SI.L1-b.1.xiv") })
  }

  @Test func levelOneNotApplicableCountsAsMet() throws {
    let observations =
      GapFixture.all(.met, level: .one, except: ["SC.L1-b.1.xi"]) + [
        GapFixture.observation("SC.L1-b.1.xi", .notApplicable)
      ]
    let report = GapFixture.evaluate(observations, level: .one)
    #expect(report.status == .final && report.counts == GapCounts(met: 14, notApplicable: 1))
  }

  @Test func levelOneIsCreditedFromLevelTwoEvidence() throws {
    let observations = Self.levelOneBasis.map { GapFixture.observation($0, .met) }
    let report = GapFixture.evaluate(observations, level: .one)
    #expect(report.status == .final)
    #expect(report.counts == GapCounts(met: 15))
    let access = try report.result("AC.L1-b.1.i")
    #expect(access.evidence.map(\.creditedFrom) == ["AC.L2-3.1.1"])
    // PE.L1-b.1.ix is credited objective by objective from its three Level 2 requirements.
    let visitors = try report.result("PE.L1-b.1.ix")
    #expect(visitors.evidence.count == 6)
    #expect(Set(visitors.evidence.compactMap(\.creditedFrom)) == ["PE.L2-3.10.3", "PE.L2-3.10.4", "PE.L2-3.10.5"])
    #expect(visitors.objectives.count == 6 && visitors.objectives.values.allSatisfy { $0 == .met })
  }

  @Test func levelOneObjectiveCreditedLetterForLetter() throws {
    let observations =
      Self.levelOneBasis.filter { $0 != "AC.L2-3.1.1" }.map { GapFixture.observation($0, .met) }
      + ["a", "b", "c", "d", "e"].map { GapFixture.observation("AC.L2-3.1.1", .met, objective: $0) }
      + [GapFixture.observation("AC.L2-3.1.1", .notMet, objective: "f")]
    let report = GapFixture.evaluate(observations, level: .one)
    let access = try report.result("AC.L1-b.1.i")
    #expect(access.status == .notMet && access.failingObjectives == ["f"])
    #expect(access.evidence.last?.creditedFrom == "AC.L2-3.1.1[f]")
    #expect(report.status == .notEligible)
  }

  @Test func physicalAccessLogsFailingFailsOnlyItsLevelOneObjective() throws {
    let observations =
      Self.levelOneBasis.filter { $0 != "PE.L2-3.10.4" }.map { GapFixture.observation($0, .met) } + [
        GapFixture.observation("PE.L2-3.10.4", .notMet)
      ]
    let report = GapFixture.evaluate(observations, level: .one)
    let visitors = try report.result("PE.L1-b.1.ix")
    #expect(visitors.status == .notMet)
    #expect(visitors.failingObjectives == ["c"])  // ix[c] = audit logs of physical access = 3.10.4[a]
  }

  @Test func levelOneWithoutAllThreePhysicalRequirementsIsNotAssessed() throws {
    let observations = Self.levelOneBasis.filter { $0 != "PE.L2-3.10.5" }.map { GapFixture.observation($0, .met) }
    let report = GapFixture.evaluate(observations, level: .one)
    let visitors = try report.result("PE.L1-b.1.ix")
    #expect(visitors.status == .notAssessed)
    #expect(visitors.objectives.filter { $0.value == .notAssessed }.keys.sorted() == ["d", "e", "f"])
    #expect(report.status == .notEligible)
  }

  @Test func levelTwoEvidenceWithoutALevelOneEquivalentIsOutOfScopeAtLevelOne() throws {
    let observations = GapFixture.all(.met, level: .one) + [GapFixture.observation("AC.L2-3.1.3", .notMet)]
    let report = GapFixture.evaluate(observations, level: .one)
    #expect(report.status == .final)
    let note = try #require(report.diagnostics.first { $0.source == "gap" && $0.severity == .note })
    #expect(note.message.hasPrefix("1 result speaks only to requirements outside the Level 1 scope"))
    #expect(note.message.contains("AC.L2-3.1.3"))
  }

  // MARK: Level 2 from Level 1 evidence

  @Test func levelTwoIsCreditedFromLevelOneEvidence() throws {
    let observations =
      GapFixture.all(.met, level: .two, except: ["AC.L2-3.1.1"]) + [
        GapFixture.observation("AC.L1-b.1.i", .met),
        GapFixture.observation("AC.L1-b.1.i", .notMet, objective: "c"),
      ]
    let report = GapFixture.evaluate(observations)
    let access = try report.result("AC.L2-3.1.1")
    #expect(access.status == .notMet && access.failingObjectives == ["c"])
    #expect(access.evidence.map(\.creditedFrom) == ["AC.L1-b.1.i", "AC.L1-b.1.i[c]"])
    #expect(report.score == 105)
  }

  @Test func wholeVisitorRequirementFailingAtLevelOneFailsAllThreeAtLevelTwo() throws {
    let physical: Set = ["PE.L2-3.10.3", "PE.L2-3.10.4", "PE.L2-3.10.5"]
    let observations =
      GapFixture.all(.met, level: .two, except: physical) + [
        GapFixture.observation("PE.L1-b.1.ix", .notMet)
      ]
    let report = GapFixture.evaluate(observations)
    for id in physical { #expect(try report.result(id).status == .notMet) }
    #expect(report.score == 107)
    #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("PE.L1-b.1.ix") })
  }

  @Test func visitorObjectiveAtLevelOneCreditsItsLevelTwoObjective() throws {
    let physical: Set = ["PE.L2-3.10.3", "PE.L2-3.10.4", "PE.L2-3.10.5"]
    let observations =
      GapFixture.all(.met, level: .two, except: physical)
      + ["a", "b", "c", "d", "e", "f"].map {
        GapFixture.observation("PE.L1-b.1.ix", $0 == "e" ? .notMet : .met, objective: $0)
      }
    let report = GapFixture.evaluate(observations)
    #expect(try report.result("PE.L2-3.10.3").status == .met)
    #expect(try report.result("PE.L2-3.10.4").status == .met)
    let devices = try report.result("PE.L2-3.10.5")
    #expect(devices.status == .notMet && devices.failingObjectives == ["b"])  // ix[e] = 3.10.5[b]
  }

  @Test func levelThreeEvidenceIsOutOfScopeAtLevelTwo() throws {
    let observations =
      GapFixture.all(.met, level: .two) + [
        GapFixture.observation("AC.L3-3.1.2e", .notMet), GapFixture.observation("SI.L3-3.14.3e", .notMet),
      ]
    let report = GapFixture.evaluate(observations)
    #expect(report.status == .final && report.requirements.count == 110)
    #expect(
      report.diagnostics.contains {
        $0.message.hasPrefix("2 results speak only to requirements outside the Level 2 scope")
      })
  }

  // MARK: Level 3

  @Test func levelThreeAllMetIsFinalAndHoldsBothLevels() throws {
    let report = GapFixture.evaluate(GapFixture.scope(.three), level: .three)
    #expect(report.status == .final)
    #expect(report.score == 24 && report.maxScore == 24 && report.minScore == 0)
    #expect(report.requirements.count == 134)
    #expect(report.counts == GapCounts(met: 24))
    let prerequisite = try #require(report.prerequisite)
    #expect(prerequisite.level == .two && prerequisite.status == .final && prerequisite.score == 110)
    #expect(prerequisite.counts == GapCounts(met: 110))
  }

  @Test func levelThreeWithLevelTwoNotFinalIsNotEligible() throws {
    let report = GapFixture.evaluate(GapFixture.scope(.three, notMet: ["AC.L2-3.1.3"]), level: .three)
    #expect(report.score == 24)
    #expect(report.status == .notEligible)
    let prerequisite = try #require(report.prerequisite)
    #expect(prerequisite.status == .conditional && prerequisite.score == 109)
    #expect(report.reasons.contains { $0.contains("Level 2 is not Final") && $0.contains("170.24(c)(3)") })
  }

  @Test(arguments: [(4, CertificationStatus.conditional), (5, .notEligible), (1, .conditional), (0, .final)])
  func levelThreeScoreThreshold(_ failing: Int, _ status: CertificationStatus) throws {
    let eligible = ["AC.L3-3.1.2e", "AC.L3-3.1.3e", "AT.L3-3.2.1e", "AT.L3-3.2.2e", "CM.L3-3.4.1e"]
    let report = GapFixture.evaluate(
      GapFixture.scope(.three, notMet: Array(eligible.prefix(failing))), level: .three)
    #expect(report.score == 24 - failing)
    #expect(report.status == status)
    #expect(report.counts == GapCounts(met: 24 - failing, notMet: failing))
    if failing == 5 {
      #expect(
        report.reasons.contains {
          $0.hasPrefix("The Level 3 score 19 is below 20 (0.8 × 24 = 19.2, rounded up)")
            && $0.contains("170.21(a)(3)(i)")
        })
    }
  }

  static let levelThreeExclusions = [
    "IR.L3-3.6.1e", "IR.L3-3.6.2e", "RA.L3-3.11.1e", "RA.L3-3.11.6e", "RA.L3-3.11.7e", "RA.L3-3.11.4e",
    "SI.L3-3.14.3e",
  ]

  @Test(arguments: levelThreeExclusions)
  func levelThreeNamedExclusionBlocksConditional(_ id: String) throws {
    let report = GapFixture.evaluate(GapFixture.scope(.three, notMet: [id]), level: .three)
    #expect(report.score == 23)
    #expect(report.status == .notEligible)
    #expect(try !report.result(id).poamEligible)
    #expect(report.reasons.contains { $0.contains(id) && $0.contains("170.21(a)(3)(ii)") })
  }

  @Test func levelThreeCreditsLevelOneEvidenceToItsLevelTwoRequirements() throws {
    let observations =
      GapFixture.scope(.three).filter { $0.targets[0].requirement != "AC.L2-3.1.1" } + [
        GapFixture.observation("AC.L1-b.1.i", .met)
      ]
    let report = GapFixture.evaluate(observations, level: .three)
    #expect(try report.result("AC.L2-3.1.1").status == .met)
    #expect(report.status == .final)
  }
}

/// The catalog facts the Level 1 ↔ Level 2 crediting relies on.
struct ScopeCrosswalkCatalogTests {
  /// PE.L1-b.1.ix's six objectives are, in order, the objectives of PE.L2-3.10.3, 3.10.4 and
  /// 3.10.5 (AG L1 v2.13): the positional pairing must pair identical statements.
  @Test func visitorObjectivesPairWithTheirLevelTwoStatements() throws {
    let catalog = TestCatalog.shared
    let ix = try #require(catalog.requirement(id: "PE.L1-b.1.ix"))
    #expect(ix.l2Mapping == "partial")
    let l2 = try (ix.l2Equivalents ?? []).map { try #require(catalog.requirement(id: $0)) }
    #expect(l2.map(\.id) == ["PE.L2-3.10.3", "PE.L2-3.10.4", "PE.L2-3.10.5"])
    let statements = l2.flatMap(\.objectives).map(\.description)
    #expect(statements == ix.objectives.map(\.description))
  }

  @Test func oneToOneEquivalentsHaveTheSameNumberOfObjectives() throws {
    let catalog = TestCatalog.shared
    for l1 in catalog.requirements(level: .one) where l1.l2Mapping == "one-to-one" {
      let id = try #require(l1.l2Equivalents?.first)
      let l2 = try #require(catalog.requirement(id: id))
      #expect(l2.objectives.map(\.id) == l1.objectives.map(\.id), "\(l1.id) vs \(l2.id)")
      #expect(l2.l1Equivalent == l1.id)
    }
  }
}
