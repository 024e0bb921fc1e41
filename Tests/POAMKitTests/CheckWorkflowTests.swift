import Foundation
import Testing

@testable import POAMKit

/// `poam check` after the gap engine: outputs, the ratchet, history, and usage errors.
struct CheckWorkflowTests {
  static let baseline = HandReports.make(
    score: 103, status: .notEligible,
    statuses: ["AC.L2-3.1.1": .notMet, "AC.L2-3.1.3": .notMet, "AC.L2-3.1.4": .notMet])
  static let improved = HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.4": .notMet])
  static let regressed = HandReports.make(
    score: 98, status: .notEligible,
    statuses: ["AC.L2-3.1.1": .notMet, "AC.L2-3.1.2": .notMet, "AC.L2-3.1.3": .notMet, "AC.L2-3.1.4": .notMet])

  struct Workspace {
    let directory: URL
    let baselinePath: String

    init() throws {
      directory = try makeTemporaryDirectory()
      baselinePath = try HandReports.write(CheckWorkflowTests.baseline, to: directory, name: "baseline.json")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func options(
      failOn: Set<DriftCondition>? = nil, minScore: Int? = nil, update: Bool = false, summary: Bool = true,
      environment: [String: String] = [:], history: String? = nil, baseline: String? = nil
    ) -> CheckOptions {
      CheckOptions(
        baselinePath: baseline ?? baselinePath, failOn: failOn, minScore: minScore, junitPath: path("out/junit.xml"),
        sarifPath: path("out/poam.sarif"), summaryPath: summary ? path("out/summary.md") : nil,
        updateBaseline: update, historyPath: history, asOf: "2025-01-01", workingDirectory: directory,
        environment: environment, inputs: ["scans/assessment.csv"])
    }

    func run(_ current: GapReport, _ options: CheckOptions) throws -> CheckOutcome {
      let workflow = CheckWorkflow(catalog: TestCatalog.shared, options: options)
      let snapshot = try workflow.loadBaseline(level: current.level)
      return try workflow.run(current: current, baseline: snapshot)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
  }

  @Test func failingRunWritesEveryOutput() throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let outcome = try workspace.run(Self.regressed, workspace.options())
    #expect(outcome.exitCode == 1)
    let lines = outcome.output.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("FAIL: new-gaps (AC.L2-3.1.2); score-drop (AC.L2-3.1.2)"))
    #expect(lines.contains("failed: new-gaps: 1 requirement satisfied in the baseline and NOT MET now"))
    #expect(lines.contains("junit: \(workspace.path("out/junit.xml"))"))
    for name in ["out/junit.xml", "out/poam.sarif", "out/summary.md"] {
      #expect(FileManager.default.fileExists(atPath: workspace.path(name)), "\(name)")
    }
    let summary = try String(contentsOfFile: workspace.path("out/summary.md"), encoding: .utf8)
    #expect(summary.hasPrefix("**FAIL** new-gaps (AC.L2-3.1.2)"))
    #expect(summary.contains("| Score | 103 / 110 | 98 / 110 |"))
    #expect(summary.contains("- `new-gaps`: 1 requirement satisfied in the baseline and NOT MET now: AC.L2-3.1.2"))
    #expect(summary.contains("| AC.L2-3.1.2 | Transaction & Function Control | −5 | not eligible | new |"))
    // No temporary files are left beside the outputs.
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty)
  }

  @Test func stepSummaryIsAppendedWhenNoFileIsGiven() throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let stepSummary = workspace.path("step-summary.md")
    try Data("## earlier step\n".utf8).write(to: stepSummary.asFileURL)
    let options = workspace.options(summary: false, environment: ["GITHUB_STEP_SUMMARY": stepSummary])
    _ = try workspace.run(Self.improved, options)
    _ = try workspace.run(Self.improved, options)
    let text = try String(contentsOfFile: stepSummary, encoding: .utf8)
    #expect(text.hasPrefix("## earlier step\n**PASS** "))
    #expect(text.components(separatedBy: "**PASS** ").count - 1 == 2)
  }

  @Test func ratchetUpdatesOnlyWhenNothingGotWorseAndSomethingImproved() throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let original = try Data(contentsOf: workspace.baselinePath.asFileURL)
    // Worse: the baseline is left byte for byte.
    let worse = try workspace.run(Self.regressed, workspace.options(update: true))
    #expect(worse.baselineUpdate == .kept(reason: "got worse: new-gaps, score-drop"))
    #expect(try Data(contentsOf: workspace.baselinePath.asFileURL) == original)
    // Same as the baseline: nothing to lock in.
    let same = try workspace.run(Self.baseline, workspace.options(update: true))
    #expect(same.baselineUpdate == .kept(reason: "nothing improved, nothing to lock in"))
    #expect(try Data(contentsOf: workspace.baselinePath.asFileURL) == original)
    // Better: the baseline becomes the current report.
    let better = try workspace.run(Self.improved, workspace.options(update: true))
    #expect(better.exitCode == 0)
    #expect(better.baselineUpdate == .updated)
    #expect(better.output.contains("baseline: updated \(workspace.baselinePath)"))
    let rewritten = try JSONDecoder().decode(GapReport.self, from: Data(contentsOf: workspace.baselinePath.asFileURL))
    #expect(rewritten == Self.improved)
    // The new baseline now gates: going back to the old state fails.
    let back = try workspace.run(Self.baseline, workspace.options())
    #expect(back.exitCode == 1)
    #expect(back.verdict.failures.first?.requirementIDs == ["AC.L2-3.1.1", "AC.L2-3.1.3"])
  }

  @Test func recordsTheRunWithInputHashes() throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let scans = workspace.directory.appendingPathComponent("scans")
    try FileManager.default.createDirectory(at: scans, withIntermediateDirectories: true)
    try Data("abc".utf8).write(to: scans.appendingPathComponent("assessment.csv"))
    let outcome = try workspace.run(Self.regressed, workspace.options(history: "ci/history.sqlite"))
    #expect(outcome.historyRunID == 1)
    let store = try HistoryStore(path: workspace.path("ci/history.sqlite"), create: false)
    let run = try #require(try store.runs().first)
    #expect(run.command == "check" && run.verdict == "fail")
    // The SHA-256 of "abc" (FIPS 180-4 example).
    #expect(
      run.inputs == [
        HistoryInput(
          name: "scans/assessment.csv", sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
      ])
    #expect(run.score == 98 && run.requirements["AC.L2-3.1.2"] == .notMet)
    // --record alone uses .poam/history.sqlite in the working directory.
    var options = workspace.options()
    options.record = true
    #expect(options.resolvedHistoryPath == workspace.path(".poam/history.sqlite"))
  }

  func usageError(_ workspace: Workspace, _ current: GapReport, _ options: CheckOptions) -> String {
    do {
      _ = try workspace.run(current, options)
      Issue.record("expected a usage error")
      return ""
    } catch {
      return error.localizedDescription
    }
  }

  @Test func requestsThatCannotBeJudgedAreUsageErrors() throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    #expect(
      usageError(workspace, Self.improved, workspace.options(failOn: [.overdue])).contains(
        "--fail-on overdue: the baseline \(workspace.baselinePath) is a gap report, which has no POA&M due dates"))
    #expect(
      usageError(workspace, Self.improved, workspace.options(failOn: [.belowMinScore])).contains(
        "--fail-on below-min-score needs --min-score N"))
    let poam = POAMFixtures.baselinePath
    #expect(
      usageError(workspace, Self.improved, workspace.options(failOn: [.notAssessed], baseline: poam)).contains(
        "is a POA&M, which does not record evidence"))
    #expect(
      usageError(workspace, Self.improved, workspace.options(update: true, baseline: poam)).contains(
        "--update-baseline: \(poam) is a POA&M"))
    let levelThree = HandReports.make(level: .three, score: 24, status: .final)
    #expect(
      usageError(workspace, levelThree, workspace.options()).contains(
        "the baseline is for Level 2 but this run checks Level 3"))
    let levelOne = HandReports.make(level: .one, score: nil, status: .final)
    let levelOneBaseline = try HandReports.write(levelOne, to: workspace.directory, name: "l1.json")
    #expect(
      usageError(workspace, levelOne, workspace.options(minScore: 10, baseline: levelOneBaseline)).contains(
        "--min-score: Level 1 has no score"))
  }

  @Test func aPOAMBaselineGatesOverdueItems() throws {
    let workspace = try Workspace()
    defer { workspace.remove() }
    let current = HandReports.make(
      score: 107, status: .conditional,
      statuses: ["AC.L2-3.1.10": .notMet, "AC.L2-3.1.14": .notMet, "AT.L2-3.2.3": .notMet])
    let outcome = try workspace.run(
      current, workspace.options(failOn: [.overdue, .newGaps], baseline: POAMFixtures.baselinePath))
    #expect(outcome.exitCode == 1)
    #expect(outcome.output.hasPrefix("FAIL: overdue (AC.L2-3.1.10, AT.L2-3.2.3) against \(POAMFixtures.baselinePath)"))
    #expect(outcome.output.contains("Enable session lock on engineering workstations (due 2020-06-30)"))
  }
}
