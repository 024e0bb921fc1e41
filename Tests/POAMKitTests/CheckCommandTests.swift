import Foundation
import Testing

@testable import POAMKit

/// Whether the built binary has `poam check` (it is enabled once the gap engine is on main).
enum CheckCommandProbe {
  /// `poam --help` lists the subcommands, one per line, indented by two spaces.
  static let available: Bool = {
    guard let help = try? CLI.run(["--help"]).stdout else { return false }
    return help.split(separator: "\n").contains { $0.hasPrefix("  check ") }
  }()
  static let reason: Comment =
    "poam check is not registered yet: it waits for GapEngine.evaluate (see Sources/poam/CheckCommand.swift.txt)"
}

/// `poam check` end to end, run as a process. Inputs are poam-results JSON written by the tests;
/// the baseline is bootstrapped the way a team would: from a worst-case seed, ratcheted once.
/// Expected outcomes follow from the CMMC scoring rules (docs/ci.md, 32 CFR 170.24), not from
/// poam's output.
@Suite(.enabled(if: CheckCommandProbe.available, CheckCommandProbe.reason))
struct CheckCommandTests {
  /// A workspace with a baseline made from `baselineResults`.
  struct Workspace {
    let directory: URL

    init(level: CMMCLevel = .two, baselineResults: [String: String], partial: [String: Int] = [:]) throws {
      directory = try makeTemporaryDirectory()
      // Seed: every requirement NOT ASSESSED, the lowest score and status. Nothing can be worse,
      // so the first ratcheted run replaces it with a real baseline.
      var seed = HandReports.make(
        level: level, score: TestCatalog.shared.scoring(level)?.minScore, status: .notEligible,
        statuses: Dictionary(uniqueKeysWithValues: TestCatalog.shared.scope(of: level).map { ($0.id, .notAssessed) }))
      seed.inputs = []
      _ = try HandReports.write(seed, to: directory, name: "baseline.json")
      try write("baseline-scan.json", baselineResults, partial: partial)
      let bootstrap = try run(["baseline-scan.json", "--update-baseline"])
      #expect(bootstrap.status == 0, "bootstrap: \(bootstrap.stdout)\(bootstrap.stderr)")
      #expect(bootstrap.stdout.contains("baseline: updated"), "\(bootstrap.stdout)")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes poam-results JSON: requirement → status word (and partial points).
    func write(_ name: String, _ results: [String: String], partial: [String: Int] = [:]) throws {
      let rows = results.sorted { $0.key < $1.key }.map { id, status -> [String: Any] in
        var row: [String: Any] = ["requirement": id, "status": status, "details": "\(id) checked by the test"]
        if let points = partial[id] { row["partial_points"] = points }
        return row
      }
      let document: [String: Any] = ["format": "poam-results", "version": 1, "results": rows]
      try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]).write(
        to: directory.appendingPathComponent(name))
    }

    func run(_ arguments: [String], baseline: String = "baseline.json", environment: [String: String]? = nil) throws
      -> CLI.Result
    {
      var env = environment ?? ProcessInfo.processInfo.environment
      env.removeValue(forKey: "GITHUB_STEP_SUMMARY")
      return try CLI.run(["check"] + arguments + ["--baseline", baseline], cwd: directory, environment: env)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
  }

  /// Partial coverage: six Level 2 requirements assessed, AC.L2-3.1.2 (5 points) NOT MET.
  static let partialCoverage: [String: String] = [
    "AC.L2-3.1.1": "met", "AC.L2-3.1.2": "not met", "AC.L2-3.1.3": "met", "AC.L2-3.1.4": "met",
    "AC.L2-3.1.5": "met", "AC.L2-3.1.6": "met",
  ]

  /// Full coverage: all 110 Level 2 requirements MET except SC.L2-3.13.11, encryption employed but
  /// not FIPS-validated (3 points, POA&M-eligible): score 107, conditional.
  static var fullCoverage: [String: String] {
    var results = Dictionary(uniqueKeysWithValues: TestCatalog.shared.scope(of: .two).map { ($0.id, "met") })
    results["SC.L2-3.13.11"] = "partial"
    return results
  }

  func firstLine(_ result: CLI.Result) -> String { String(result.stdout.split(separator: "\n").first ?? "") }

  @Test func cleanRunPasses() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    try workspace.write("scan.json", Self.partialCoverage)
    let result = try workspace.run(["scan.json", "--fail-on", "new-gaps,score-drop,eligibility-lost,not-assessed"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(firstLine(result).hasPrefix("PASS: nothing selected got worse"))
  }

  @Test func newGapsFailsAlone() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    // AC.L2-3.1.1 (5 points) breaks while AC.L2-3.1.2 (5 points) is fixed: same score and status.
    var scan = Self.partialCoverage
    scan["AC.L2-3.1.1"] = "not met"
    scan["AC.L2-3.1.2"] = "met"
    try workspace.write("scan.json", scan)
    let failing = try workspace.run(["scan.json", "--fail-on", "new-gaps"])
    #expect(failing.status == 1, "\(failing.stdout)\(failing.stderr)")
    #expect(firstLine(failing) == "FAIL: new-gaps (AC.L2-3.1.1) against baseline.json")
    for other in ["score-drop", "eligibility-lost", "not-assessed"] {
      let result = try workspace.run(["scan.json", "--fail-on", other])
      #expect(result.status == 0, "\(other): \(result.stdout)")
    }
  }

  @Test func scoreDropAndEligibilityLost() throws {
    let workspace = try Workspace(baselineResults: Self.fullCoverage, partial: ["SC.L2-3.13.11": 3])
    defer { workspace.remove() }
    // SC.L2-3.13.11 goes from partial (3 points, may be on a POA&M) to NOT MET (5 points, may not):
    // 107 → 105 and conditional → not eligible, with no new gap and no evidence lost.
    var scan = Self.fullCoverage
    scan["SC.L2-3.13.11"] = "not met"
    try workspace.write("scan.json", scan)
    #expect(try workspace.run(["scan.json", "--fail-on", "new-gaps,not-assessed"]).status == 0)
    let drop = try workspace.run(["scan.json", "--fail-on", "score-drop"])
    #expect(drop.status == 1, "\(drop.stdout)\(drop.stderr)")
    #expect(firstLine(drop) == "FAIL: score-drop (SC.L2-3.13.11) against baseline.json")
    #expect(drop.stdout.contains("score 107 → 105"))
    let lost = try workspace.run(["scan.json", "--fail-on", "eligibility-lost"])
    #expect(lost.status == 1)
    #expect(firstLine(lost).hasPrefix("FAIL: eligibility-lost (SC.L2-3.13.11"))
    for other in ["new-gaps", "not-assessed"] {
      #expect(try workspace.run(["scan.json", "--fail-on", other]).status == 0, "\(other)")
    }
  }

  @Test func belowMinScore() throws {
    let workspace = try Workspace(baselineResults: Self.fullCoverage, partial: ["SC.L2-3.13.11": 3])
    defer { workspace.remove() }
    try workspace.write("scan.json", Self.fullCoverage, partial: ["SC.L2-3.13.11": 3])
    let below = try workspace.run(["scan.json", "--fail-on", "new-gaps", "--min-score", "108"])
    #expect(below.status == 1, "\(below.stdout)\(below.stderr)")
    #expect(firstLine(below) == "FAIL: below-min-score (the score 107 is below --min-score 108) against baseline.json")
    #expect(try workspace.run(["scan.json", "--min-score", "107"]).status == 0)
  }

  @Test func notAssessedFailsAlone() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    var scan = Self.partialCoverage
    scan.removeValue(forKey: "AC.L2-3.1.4")
    try workspace.write("scan.json", scan)
    let failing = try workspace.run(["scan.json", "--fail-on", "not-assessed"])
    #expect(failing.status == 1, "\(failing.stdout)\(failing.stderr)")
    #expect(firstLine(failing) == "FAIL: not-assessed (AC.L2-3.1.4) against baseline.json")
    #expect(try workspace.run(["scan.json", "--fail-on", "new-gaps,eligibility-lost"]).status == 0)
  }

  @Test func overdueAgainstAPOAMBaseline() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    try workspace.write(
      "scan.json", ["AC.L2-3.1.10": "not met", "AC.L2-3.1.14": "not met", "AT.L2-3.2.3": "not met"])
    let overdue = try workspace.run(
      ["scan.json", "--fail-on", "overdue", "--as-of", "2025-01-01"], baseline: POAMFixtures.baselinePath)
    #expect(overdue.status == 1, "\(overdue.stdout)\(overdue.stderr)")
    #expect(firstLine(overdue) == "FAIL: overdue (AC.L2-3.1.10, AT.L2-3.2.3) against \(POAMFixtures.baselinePath)")
    let newGaps = try workspace.run(
      ["scan.json", "--fail-on", "new-gaps", "--as-of", "2025-01-01"], baseline: POAMFixtures.baselinePath)
    #expect(newGaps.status == 0, "\(newGaps.stdout)")
  }

  @Test func badBaselinesAndUsageExitTwo() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    try workspace.write("scan.json", Self.partialCoverage)
    try Data("{\"results\": []}".utf8).write(to: workspace.directory.appendingPathComponent("foreign.json"))
    let foreign = try workspace.run(["scan.json"], baseline: "foreign.json")
    #expect(foreign.status == 2)
    #expect(foreign.stderr.hasPrefix("poam: error: foreign.json: not a gap report or POA&M that poam wrote"))
    let missing = try workspace.run(["scan.json"], baseline: "nope.json")
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.json: cannot read: no such file or directory"))
    let unknown = try workspace.run(["scan.json", "--fail-on", "new-gaps,typo"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("'typo'"))
    let level = try workspace.run(["scan.json", "--level", "3"])
    #expect(level.status == 2)
    #expect(level.stderr.contains("the baseline is for Level 2 but this run checks Level 3"))
    let overdue = try workspace.run(["scan.json", "--fail-on", "overdue"])
    #expect(overdue.status == 2)
    #expect(overdue.stderr.contains("is a gap report, which has no POA&M due dates"))
  }

  @Test(.enabled(if: PythonScript.available, PythonScript.reason))
  func reportsValidateAndTheRatchetHolds() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    var scan = Self.partialCoverage
    scan["AC.L2-3.1.1"] = "not met"
    try workspace.write("scan.json", scan)
    let before = try Data(contentsOf: workspace.directory.appendingPathComponent("baseline.json"))
    let result = try workspace.run([
      "scan.json", "--junit", "out/junit.xml", "--sarif", "out/poam.sarif", "--summary", "out/summary.md",
      "--update-baseline", "--history", "out/history.sqlite",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.contains("baseline: not updated (got worse: new-gaps, score-drop"))
    #expect(try Data(contentsOf: workspace.directory.appendingPathComponent("baseline.json")) == before)
    let junit = try PythonScript.run("validate-junit.py", [workspace.path("out/junit.xml")])
    #expect(junit.status == 0, "\(junit.stderr)")
    let sarif = try PythonScript.run("validate-sarif.py", [workspace.path("out/poam.sarif")])
    #expect(sarif.status == 0, "\(sarif.stderr)")
    // AC.L2-3.1.1 and AC.L2-3.1.2 are NOT MET: two results, pointing at scan.json.
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("out/poam.sarif"))))
        as? [String: Any])
    let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
    #expect(results.compactMap { $0["ruleId"] as? String } == ["AC.L2-3.1.1", "AC.L2-3.1.2"])
    let uri = ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
      .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
    #expect(uri == "scan.json")
    #expect(
      try String(contentsOfFile: workspace.path("out/summary.md"), encoding: .utf8).hasPrefix("**FAIL** new-gaps"))
    let history = try CLI.run(["history", "--history", workspace.path("out/history.sqlite"), "--format", "csv"])
    #expect(history.stdout.contains(",check,2,"))
    #expect(history.stdout.contains(",fail,"))
  }

  @Test func concurrentChecksRecordEveryRun() throws {
    let workspace = try Workspace(baselineResults: Self.partialCoverage)
    defer { workspace.remove() }
    try workspace.write("scan.json", Self.partialCoverage)
    let results = LockedResults()
    DispatchQueue.concurrentPerform(iterations: 6) { _ in
      results.append(Result { try workspace.run(["scan.json", "--history", "h.sqlite"]) })
    }
    for result in results.all { #expect(try result.get().status == 0) }
    let listed = try CLI.run(["history", "--history", workspace.path("h.sqlite"), "--format", "json"])
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 6)
  }

  /// The example workflows call `poam check` with options it really has.
  @Test func exampleWorkflowsUseRealOptions() throws {
    let help = try CLI.run(["check", "--help"]).stdout
    for file in ["Examples/github-actions.yml", "Examples/gitlab-ci.yml"] {
      let text = try String(contentsOf: Paths.root.appendingPathComponent(file), encoding: .utf8)
      let options = Set(
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.hasPrefix("--") && !$0.hasPrefix("---") })
      let checkOptions = options.filter {
        ["--baseline", "--fail-on", "--junit", "--sarif", "--summary"].contains(String($0))
      }
      #expect(!checkOptions.isEmpty)
      for option in checkOptions { #expect(help.contains(String(option)), "\(file): \(option)") }
    }
  }
}
