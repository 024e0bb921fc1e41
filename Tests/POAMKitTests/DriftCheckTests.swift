import Foundation
import Testing

@testable import POAMKit

/// The drift gate at library level: each condition fails on its own scenario and only there.
struct DriftCheckTests {
  /// A scenario in which exactly one condition gets worse (every other one passes or cannot be judged).
  struct Scenario: Sendable, CustomTestStringConvertible {
    var condition: DriftCondition
    var baseline: AssessmentSnapshot
    var current: GapReport
    var minScore: Int?
    var expectedIDs: [String]
    var testDescription: String { condition.rawValue }
  }

  static let asOf = "2025-01-01"

  static func gapReport(_ report: GapReport, _ name: String = "baseline.json") -> AssessmentSnapshot {
    AssessmentSnapshot(report: report, source: name)
  }

  static var scenarios: [Scenario] {
    var list: [Scenario] = []
    // new-gaps: AC.L2-3.1.1 (5 points) opens while AC.L2-3.1.2 (5 points) closes: score and status unchanged.
    list.append(
      Scenario(
        condition: .newGaps,
        baseline: gapReport(HandReports.make(score: 105, status: .notEligible, statuses: ["AC.L2-3.1.2": .notMet])),
        current: HandReports.make(score: 105, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet]),
        expectedIDs: ["AC.L2-3.1.1"]))
    // score-drop: IA.L2-3.5.3 stays NOT MET but its deduction grows from 3 (partial) to 5.
    list.append(
      Scenario(
        condition: .scoreDrop,
        baseline: gapReport(
          HandReports.make(
            score: 107, status: .notEligible, statuses: ["IA.L2-3.5.3": .notMet], partial: ["IA.L2-3.5.3"],
            deductions: ["IA.L2-3.5.3": 3])),
        current: HandReports.make(score: 105, status: .notEligible, statuses: ["IA.L2-3.5.3": .notMet]),
        expectedIDs: ["IA.L2-3.5.3"]))
    // below-min-score: nothing changed, but 109 < 110.
    let conditional = HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.3": .notMet])
    list.append(
      Scenario(
        condition: .belowMinScore, baseline: gapReport(conditional), current: conditional, minScore: 110,
        expectedIDs: []))
    // eligibility-lost: same findings and score, status conditional → not eligible.
    list.append(
      Scenario(
        condition: .eligibilityLost, baseline: gapReport(conditional),
        current: HandReports.make(score: 109, status: .notEligible, statuses: ["AC.L2-3.1.3": .notMet]),
        expectedIDs: []))
    // overdue: the POA&M baseline's open items for AC.L2-3.1.10 (due 2020-06-30) and AT.L2-3.2.3 (milestone
    // ends 2021-03-31) are past due on 2025-01-01; AC.L2-3.1.14 is due 2999-12-31; AC.L2-3.1.11 is closed.
    list.append(
      Scenario(
        condition: .overdue, baseline: POAMFixtures.baseline,
        current: HandReports.make(
          score: 107, status: .conditional,
          statuses: ["AC.L2-3.1.10": .notMet, "AC.L2-3.1.14": .notMet, "AT.L2-3.2.3": .notMet]),
        expectedIDs: ["AC.L2-3.1.10", "AT.L2-3.2.3"]))
    // not-assessed: AC.L2-3.1.4 loses its evidence while AC.L2-3.1.3 (also 1 point) is fixed.
    list.append(
      Scenario(
        condition: .notAssessed, baseline: gapReport(conditional),
        current: HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.4": .notAssessed]),
        expectedIDs: ["AC.L2-3.1.4"]))
    return list
  }

  @Test(arguments: scenarios)
  func eachConditionFailsAloneOnItsScenario(_ scenario: Scenario) {
    let current = AssessmentSnapshot(report: scenario.current, source: "current run")
    let selected = DriftCheck(failOn: [scenario.condition], minScore: scenario.minScore, asOf: Self.asOf)
      .evaluate(baseline: scenario.baseline, current: current)
    #expect(!selected.passed)
    #expect(selected.failures.map(\.condition) == [scenario.condition])
    #expect(selected.failures.first?.requirementIDs == scenario.expectedIDs)
    #expect(selected.headline.hasPrefix("FAIL: \(scenario.condition.rawValue)"))
    for other in DriftCondition.allCases where other != scenario.condition && other != .belowMinScore {
      let verdict = DriftCheck(failOn: [other], asOf: Self.asOf).evaluate(baseline: scenario.baseline, current: current)
      #expect(verdict.passed, "\(other.rawValue) should not fail on the \(scenario.condition.rawValue) scenario")
      #expect(verdict.conditions.first { $0.condition == other }?.outcome != .failed)
    }
  }

  @Test func cleanComparisonPasses() {
    let report = HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.3": .notMet])
    let check = DriftCheck(failOn: Set(DriftCondition.allCases).subtracting([.overdue]), minScore: 100, asOf: Self.asOf)
    let verdict = check.evaluate(
      baseline: AssessmentSnapshot(report: report, source: "baseline.json"),
      current: AssessmentSnapshot(report: report, source: "current run"))
    #expect(verdict.passed)
    #expect(verdict.failures.isEmpty)
    #expect(verdict.improvements.isEmpty)
    #expect(!verdict.gotWorse)
    #expect(verdict.headline.hasPrefix("PASS: nothing selected got worse against baseline.json"))
    #expect(verdict.text.split(separator: "\n").first.map(String.init) == verdict.headline)
  }

  @Test func improvementsAreReported() {
    let before = HandReports.make(
      score: 103, status: .notEligible,
      statuses: ["AC.L2-3.1.1": .notMet, "AC.L2-3.1.3": .notMet, "AC.L2-3.1.4": .notMet])
    let after = HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.4": .notMet])
    let verdict = DriftCheck(asOf: Self.asOf).evaluate(
      baseline: AssessmentSnapshot(report: before, source: "b.json"),
      current: AssessmentSnapshot(report: after, source: "current run"))
    #expect(verdict.passed)
    #expect(verdict.diff.gapsClosed == ["AC.L2-3.1.1", "AC.L2-3.1.3"])
    #expect(verdict.diff.scoreChange == 6)
    #expect(verdict.diff.improved && !verdict.diff.gotWorse)
    #expect(verdict.improvements.contains("score 103 → 109 (+6)"))
    #expect(verdict.improvements.contains("status not-eligible → conditional"))
    #expect(verdict.improvements.contains("2 gaps closed: AC.L2-3.1.1, AC.L2-3.1.3"))
  }

  @Test func unselectedFailuresAreShownButDoNotFail() {
    let scenario = Self.scenarios[0]
    let verdict = DriftCheck(failOn: [.scoreDrop], asOf: Self.asOf).evaluate(
      baseline: scenario.baseline, current: AssessmentSnapshot(report: scenario.current, source: "current run"))
    #expect(verdict.passed)
    #expect(verdict.unselectedFailures.map(\.condition) == [.newGaps])
    #expect(verdict.gotWorse)
    #expect(verdict.text.contains("also (not in --fail-on): new-gaps"))
  }

  @Test func overdueJudgesTheDayAndIgnoresFixedRequirements() {
    let current = HandReports.make(
      score: 108, status: .conditional, statuses: ["AC.L2-3.1.14": .notMet, "AT.L2-3.2.3": .notMet])
    let snapshot = AssessmentSnapshot(report: current, source: "current run")
    // AC.L2-3.1.10 is MET now: its overdue item no longer fails the gate.
    let verdict = DriftCheck(failOn: [.overdue], asOf: "2025-01-01").evaluate(
      baseline: POAMFixtures.baseline, current: snapshot)
    #expect(verdict.failures.first?.requirementIDs == ["AT.L2-3.2.3"])
    // Before the milestone ended, nothing was overdue.
    let early = DriftCheck(failOn: [.overdue], asOf: "2021-03-31").evaluate(
      baseline: POAMFixtures.baseline, current: snapshot)
    #expect(early.passed)
  }

  @Test func newGapAgainstAPOAMMeansNotAnOpenItem() {
    let current = HandReports.make(
      score: 106, status: .conditional,
      statuses: ["AC.L2-3.1.10": .notMet, "AC.L2-3.1.14": .notMet, "AT.L2-3.2.3": .notMet, "AC.L2-3.1.11": .notMet])
    let verdict = DriftCheck(failOn: [.newGaps], asOf: "2025-01-01").evaluate(
      baseline: POAMFixtures.baseline, current: AssessmentSnapshot(report: current, source: "current run"))
    // AC.L2-3.1.11's item was closed: it is satisfied in the baseline and NOT MET again.
    #expect(verdict.failures.first?.requirementIDs == ["AC.L2-3.1.11"])
    #expect(verdict.diff.itemsReopened.map(\.itemID) == ["33333333-3333-4333-8333-333333333333"])
  }

  @Test func minScoreSelectsBelowMinScore() {
    #expect(DriftCheck(failOn: [.newGaps], minScore: 88, asOf: "2025-01-01").failOn == [.newGaps, .belowMinScore])
    #expect(DriftCheck(failOn: [.newGaps], asOf: "2025-01-01").failOn == [.newGaps])
  }

  @Test func failOnListParsing() throws {
    #expect(try DriftCondition.parseList("new-gaps, score-drop") == [.newGaps, .scoreDrop])
    #expect(try DriftCondition.parseList("OVERDUE") == [.overdue])
    #expect(throws: DriftConditionListError.self) { try DriftCondition.parseList("new-gaps,gaps") }
    do {
      _ = try DriftCondition.parseList("new-gaps,,score-drop")
      Issue.record("an empty entry must be rejected")
    } catch {
      #expect(error.message.contains("an empty entry"))
      #expect(error.message.contains("below-min-score"))
    }
  }

  @Test func levelOneHasNoScoreToCompare() {
    let report = HandReports.make(level: .one, score: nil, status: .final)
    let verdict = DriftCheck(asOf: "2025-01-01").evaluate(
      baseline: AssessmentSnapshot(report: report, source: "b.json"),
      current: AssessmentSnapshot(report: report, source: "current run"))
    #expect(verdict.passed)
    #expect(verdict.conditions.first { $0.condition == .scoreDrop }?.outcome == .notEvaluated)
    #expect(verdict.text.contains("not evaluated: score-drop"))
  }
}

/// The POA&M fixtures, loaded once.
enum POAMFixtures {
  static let baselinePath = Paths.fixtures.appendingPathComponent("check/poam-baseline.json").path
  static let laterPath = Paths.fixtures.appendingPathComponent("check/poam-later.json").path
  static let baseline: AssessmentSnapshot = {
    do { return try BaselineLoader(catalog: TestCatalog.shared).load(path: baselinePath) } catch {
      fatalError("\(error)")
    }
  }()
}
