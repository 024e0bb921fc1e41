import Foundation
import Testing

@testable import POAMKit

/// Objective roll-up, several assets and sources, assessor against automated evidence
/// (32 CFR 170.24(b); CMMC Assessment Guide L2 v2.13, "Assessment Findings").
struct GapRollupTests {
  /// Every Level 2 requirement MET except `id`, plus the observations given for `id`.
  func report(
    _ id: String, _ observations: [ResolvedObservation], policy: GapOptions.EvidencePolicy = .assessor
  ) -> GapReport {
    GapFixture.evaluate(GapFixture.all(.met, level: .two, except: [id]) + observations, policy: policy)
  }

  @Test func requirementLevelDeterminationAppliesToEveryObjective() throws {
    let result = try report("AC.L2-3.1.1", [GapFixture.observation("AC.L2-3.1.1", .met)]).result("AC.L2-3.1.1")
    #expect(result.status == .met)
    #expect(result.objectives == ["a": .met, "b": .met, "c": .met, "d": .met, "e": .met, "f": .met])
    let failed = try report("AC.L2-3.1.1", [GapFixture.observation("AC.L2-3.1.1", .notMet)]).result("AC.L2-3.1.1")
    #expect(failed.objectives.values.allSatisfy { $0 == .notMet })
    #expect(failed.failingObjectives == ["a", "b", "c", "d", "e", "f"])
  }

  @Test func oneObjectiveNotMetFailsTheRequirement() throws {
    var observations = ["a", "b", "c", "d", "e"].map { GapFixture.observation("AC.L2-3.1.1", .met, objective: $0) }
    observations.append(GapFixture.observation("AC.L2-3.1.1", .notMet, objective: "f"))
    let full = report("AC.L2-3.1.1", observations)
    let result = try full.result("AC.L2-3.1.1")
    #expect(result.status == .notMet)
    #expect(result.failingObjectives == ["f"])
    #expect(result.pointsDeducted == 5)
    #expect(full.score == 105)
  }

  @Test func objectiveNotMetUnderARequirementLevelMetStillFails() throws {
    let result = try report(
      "AC.L2-3.1.1",
      [
        GapFixture.observation("AC.L2-3.1.1", .met),
        GapFixture.observation("AC.L2-3.1.1", .notMet, objective: "c"),
      ]
    ).result("AC.L2-3.1.1")
    #expect(result.status == .notMet)
    #expect(result.failingObjectives == ["c"])
    #expect(result.objectives["a"] == .met)
  }

  @Test func notApplicableObjectiveCountsAsMet() throws {
    var observations = ["b", "c", "d", "e", "f"].map { GapFixture.observation("AC.L2-3.1.1", .met, objective: $0) }
    observations.append(GapFixture.observation("AC.L2-3.1.1", .notApplicable, objective: "a"))
    let full = report("AC.L2-3.1.1", observations)
    #expect(try full.result("AC.L2-3.1.1").status == .met)
    #expect(full.score == 110 && full.status == .final)
  }

  @Test func everyObjectiveNotApplicableMakesTheRequirementNotApplicable() throws {
    let observations = ["a", "b"].map { GapFixture.observation("PE.L2-3.10.6", .notApplicable, objective: $0) }
    let full = report("PE.L2-3.10.6", observations)
    #expect(try full.result("PE.L2-3.10.6").status == .notApplicable)
    #expect(full.counts.notApplicable == 1 && full.status == .final)
  }

  /// Some objectives MET and the rest without evidence: the requirement cannot be credited, but
  /// nothing says it failed, so it is not assessed (scored as NOT MET, listed apart).
  @Test func objectivesWithoutEvidenceLeaveTheRequirementNotAssessed() throws {
    let observations = ["a", "b"].map { GapFixture.observation("AC.L2-3.1.1", .met, objective: $0) }
    let full = report("AC.L2-3.1.1", observations)
    let result = try full.result("AC.L2-3.1.1")
    #expect(result.status == .notAssessed)
    #expect(result.objectives["a"] == .met && result.objectives["c"] == .notAssessed)
    #expect(result.pointsDeducted == 5)
    #expect(full.score == 105 && full.status == .notEligible)
    #expect(full.notAssessed.map(\.id) == ["AC.L2-3.1.1"] && full.gaps.isEmpty)
    #expect(full.counts.notAssessed == 1 && full.counts.notMet == 0)
  }

  @Test func sameRequirementOnTwoAssetsWorstWinsAndBothAreEvidence() throws {
    let full = report(
      "AC.L2-3.1.7",
      [
        GapFixture.observation("AC.L2-3.1.7", .met, asset: "web01", source: "web01.ckl"),
        GapFixture.observation("AC.L2-3.1.7", .notMet, asset: "db01", source: "db01.ckl"),
      ])
    let result = try full.result("AC.L2-3.1.7")
    #expect(result.status == .notMet)
    #expect(result.evidence.map(\.asset) == ["db01", "web01"])  // by source: db01.ckl, web01.ckl
    #expect(result.evidence.map(\.status) == [.notMet, .met])
    #expect(full.score == 109 && full.status == .conditional)
    // Different assets disagreeing is normal, not a contradiction.
    #expect(!full.diagnostics.contains { $0.code == .contradictoryAssessors })
  }

  @Test func notApplicableOnOneAssetAndMetOnAnotherIsMet() throws {
    let result = try report(
      "AC.L2-3.1.7",
      [
        GapFixture.observation("AC.L2-3.1.7", .notApplicable, asset: "printer01"),
        GapFixture.observation("AC.L2-3.1.7", .met, asset: "web01"),
      ]
    ).result("AC.L2-3.1.7")
    #expect(result.status == .met)
  }

  @Test func duplicateRowsDeductOnce() throws {
    let row = GapFixture.observation("SI.L2-3.14.1", .notMet, line: 40)
    let full = report("SI.L2-3.14.1", [row, row])
    let result = try full.result("SI.L2-3.14.1")
    #expect(result.evidence.count == 2)
    #expect(result.pointsDeducted == 5)
    #expect(full.score == 105)
    #expect(full.counts.notMet == 1)
  }

  @Test func contradictoryRowsForTheSameAssetAreReportedAndTheWorstCounts() throws {
    let full = report(
      "AC.L2-3.1.3",
      [
        GapFixture.observation("AC.L2-3.1.3", .met, line: 7),
        GapFixture.observation("AC.L2-3.1.3", .notMet, line: 88),
      ])
    #expect(try full.result("AC.L2-3.1.3").status == .notMet)
    let warning = try #require(full.diagnostics.first { $0.code == .contradictoryAssessors })
    #expect(warning.severity == .warning)
    #expect(warning.location == "88")
    #expect(
      warning.message.contains("MET at assessment.csv:7") && warning.message.contains("NOT MET at assessment.csv:88"))
  }

  @Test(arguments: GapOptions.EvidencePolicy.allCases)
  func assessorMetAgainstFailingScan(_ policy: GapOptions.EvidencePolicy) throws {
    let full = report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation("AC.L2-3.1.8", .met, comments: "Lockout after 3 attempts (GPO)"),
        GapFixture.observation("AC.L2-3.1.8", .notMet, kind: .automated, asset: "web01", source: "scan.xml"),
      ], policy: policy)
    let result = try full.result("AC.L2-3.1.8")
    #expect(result.status == (policy == .assessor ? .met : .notMet))
    #expect(result.conflicts.count == 1)
    let conflict = try #require(result.conflicts.first)
    #expect(conflict.contains("AC.L2-3.1.8 (all objectives)") && conflict.contains("scan.xml on web01"))
    #expect(conflict.contains(policy == .assessor ? "the assessor's determination stands" : "overrides"))
    #expect(full.diagnostics.contains { $0.severity == .warning && $0.location == "AC.L2-3.1.8" })
    #expect(full.evidencePolicy == policy.rawValue)
    #expect(full.score == (policy == .assessor ? 110 : 109))
  }

  @Test(arguments: GapOptions.EvidencePolicy.allCases)
  func assessorNotMetStandsAgainstPassingScan(_ policy: GapOptions.EvidencePolicy) throws {
    let result = try report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation("AC.L2-3.1.8", .notMet),
        GapFixture.observation("AC.L2-3.1.8", .met, kind: .automated, source: "scan.xml"),
      ], policy: policy
    ).result("AC.L2-3.1.8")
    #expect(result.status == .notMet)
    #expect(result.conflicts.count == 1)
    #expect(result.conflicts[0].contains("the assessor's determination stands"))
  }

  @Test func conflictOnOneObjectiveNamesIt() throws {
    let result = try report(
      "AC.L2-3.1.1",
      [
        GapFixture.observation("AC.L2-3.1.1", .met),
        GapFixture.observation("AC.L2-3.1.1", .notMet, objective: "d", kind: .automated, source: "scan.xml"),
      ], policy: .strict
    ).result("AC.L2-3.1.1")
    #expect(result.status == .notMet && result.failingObjectives == ["d"])
    #expect(
      result.conflicts == [
        "AC.L2-3.1.1[d]: the assessor's determination is MET but automated evidence (scan.xml) says NOT MET; the failing automated evidence overrides it (evidence policy: strict)"
      ])
  }

  @Test func agreementIsNoConflict() throws {
    let full = report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation("AC.L2-3.1.8", .met),
        GapFixture.observation("AC.L2-3.1.8", .notApplicable, kind: .automated),
        GapFixture.observation("AC.L2-3.1.8", .notAssessed, kind: .automated),
      ])
    #expect(try full.result("AC.L2-3.1.8").conflicts.isEmpty)
    #expect(try full.result("AC.L2-3.1.8").status == .met)
  }

  @Test func scannerResultsWithoutADeterminationAreIgnoredBesideOnesWithOne() throws {
    let passing = try report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation("AC.L2-3.1.8", .met, kind: .automated),
        GapFixture.observation("AC.L2-3.1.8", .notAssessed, kind: .automated),
      ]
    ).result("AC.L2-3.1.8")
    #expect(passing.status == .met)
    let nothing = try report("AC.L2-3.1.8", [GapFixture.observation("AC.L2-3.1.8", .notAssessed, kind: .automated)])
      .result("AC.L2-3.1.8")
    #expect(nothing.status == .notAssessed && nothing.evidence.count == 1)
  }

  @Test func assessorWithoutAConclusionYieldsToAutomatedEvidence() throws {
    let result = try report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation("AC.L2-3.1.8", .notAssessed),
        GapFixture.observation("AC.L2-3.1.8", .notMet, kind: .automated),
      ]
    ).result("AC.L2-3.1.8")
    #expect(result.status == .notMet && result.conflicts.isEmpty)
  }

  @Test func unrecognisedStatusIsKeptAsEvidenceButCreditsNothing() throws {
    let result = try report("AC.L2-3.1.8", [GapFixture.observation("AC.L2-3.1.8", nil)]).result("AC.L2-3.1.8")
    #expect(result.status == .notAssessed)
    #expect(result.evidence.count == 1 && result.evidence[0].status == nil && result.evidence[0].rawStatus == "banana")
  }

  @Test func indirectEvidenceIsMarked() throws {
    let full = report(
      "AC.L2-3.1.8", [GapFixture.observation("AC.L2-3.1.8", .met, kind: .automated, via: .cci, source: "rhel.ckl")])
    let result = try full.result("AC.L2-3.1.8")
    #expect(result.indirect && result.evidence[0].indirect && result.evidence[0].via == .cci)
    let mixed = try report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation("AC.L2-3.1.8", .met, kind: .automated, via: .sp80053),
        GapFixture.observation("AC.L2-3.1.8", .met),
      ]
    ).result("AC.L2-3.1.8")
    #expect(!mixed.indirect)
    #expect(mixed.evidence.map(\.indirect) == [true, false])
  }

  @Test func levelThreeObjectivesIncludeODPStatementsOnlyWhenNamed() throws {
    let plain = GapFixture.evaluate(
      GapFixture.scope(.three, notMet: [], extra: []), level: .three)
    #expect(try plain.result("SC.L3-3.13.4e").objectives.keys.sorted() == ["a"])
    var observations = GapFixture.scope(.three).filter { $0.targets[0].requirement != "SC.L3-3.13.4e" }
    observations += [
      GapFixture.observation("SC.L3-3.13.4e", .met, objective: "a"),
      GapFixture.observation("SC.L3-3.13.4e", .notMet, objective: "ODP2"),
    ]
    let named = try GapFixture.evaluate(observations, level: .three).result("SC.L3-3.13.4e")
    #expect(named.objectives == ["a": .met, "ODP2": .notMet])
    #expect(named.status == .notMet)
  }

  @Test func evidenceIsSortedBySourceThenFileOrderWithEveryField() throws {
    let result = try report(
      "AC.L2-3.1.8",
      [
        GapFixture.observation(
          "AC.L2-3.1.8", .notMet, objective: "b", asset: "web01", source: "b.csv", line: 9,
          comments: "  Lockout   disabled\non web01  "),
        GapFixture.observation("AC.L2-3.1.8", .met, objective: "a", source: "a.csv", line: 3),
        GapFixture.observation("AC.L2-3.1.8", .met, objective: "c", source: "b.csv", line: 2),
      ]
    ).result("AC.L2-3.1.8")
    #expect(result.evidence.map(\.source) == ["a.csv", "b.csv", "b.csv"])
    #expect(result.evidence.map(\.line) == [3, 9, 2])
    let first = result.evidence[1]
    #expect(first.line == 9 && first.location == "9" && first.objective == "b" && first.asset == "web01")
    #expect(first.detail == "Lockout disabled on web01")
    #expect(first.kind == .assessor && first.rawStatus == "NOT MET")
  }
}
