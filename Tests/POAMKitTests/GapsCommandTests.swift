import Foundation
import Testing

@testable import POAMKit

/// `poam gaps` run as a process, as a user would.
struct GapsCommandTests {
  static func fixture(_ name: String) -> String {
    Paths.fixtures.appendingPathComponent("assessments/\(name).json").path
  }

  static let runs: [(file: String, level: String, score: Int?, status: String)] = [
    ("level2-self-assessment", "2", 96, "not-eligible"),
    ("level2-conditional", "2", 103, "conditional"),
    ("level1-self-assessment", "1", nil, "not-eligible"),
    ("level3-assessment", "3", 22, "conditional"),
  ]

  @Test(arguments: runs.map(\.file))
  func everyFormatOnEveryFixture(_ file: String) throws {
    let run = try #require(Self.runs.first { $0.file == file })
    let base = ["gaps", Self.fixture(file), "--level", run.level, "--assessment-date", "2026-11-02"]

    let json = try CLI.run(base + ["--format", "json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["status"] as? String == run.status)
    #expect(object["level"] as? Int == Int(run.level))
    #expect(object["assessment_date"] as? String == "2026-11-02")
    if let score = run.score { #expect(object["score"] as? Int == score) } else { #expect(object["score"] is NSNull) }
    // An input under the working directory is named relative to it.
    #expect((object["inputs"] as? [String]) == ["Fixtures/assessments/\(file).json"])

    let text = try CLI.run(base)
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.hasPrefix("CMMC Level \(run.level) gap analysis\n"))
    #expect(text.stdout.contains("Status: \(run.status == "conditional" ? "CONDITIONAL" : "NOT ELIGIBLE")"))
    #expect(!text.stdout.contains("\u{1B}["))  // not a terminal: no colour
    #expect(text.stderr.isEmpty)

    let markdown = try CLI.run(base + ["--format", "markdown"])
    #expect(markdown.status == 0)
    #expect(markdown.stdout.hasPrefix("# CMMC Level \(run.level) gap analysis\n"))
    if let score = run.score { #expect(markdown.stdout.contains("| Score | **\(score) of ")) }
  }

  @Test func sameInputGivesByteIdenticalJSON() throws {
    let arguments = [
      "gaps", Self.fixture("level2-self-assessment"), "--format", "json", "--assessment-date", "2026-11-02",
    ]
    let first = try CLI.run(arguments)
    let second = try CLI.run(arguments)
    #expect(first.status == 0 && first.stdout == second.stdout)
  }

  @Test func defaultsAreLevelTwoTodayAndAssessorPolicy() throws {
    let result = try CLI.run(["gaps", Self.fixture("level2-conditional"), "--format", "json"])
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["level"] as? Int == 2)
    #expect(object["evidence_policy"] as? String == "assessor")
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.locale = Locale(identifier: "en_US_POSIX")
    let today = formatter.string(from: Date())
    let yesterday = formatter.string(from: Date().addingTimeInterval(-60))  // a run that straddles midnight
    #expect([today, yesterday].contains(object["assessment_date"] as? String ?? ""))
  }

  @Test func strictPolicyFromTheCommandLineAndStandardInput() throws {
    let input = """
      {"format": "poam-results", "results": [
        {"requirement": "AC.L2-3.1.8", "status": "Implemented"},
        {"requirement": "AC.L2-3.1.8", "status": "fail", "kind": "automated", "asset": "web01"}]}
      """
    for (policy, expected) in [("assessor", "met"), ("strict", "not-met")] {
      let result = try CLI.run(
        ["gaps", "-", "--format", "json", "--evidence-policy", policy, "--assessment-date", "2026-11-02"],
        stdin: Data(input.utf8))
      #expect(result.status == 0, "\(result.stderr)")
      let report = try JSONDecoder().decode(GapReport.self, from: Data(result.stdout.utf8))
      #expect(try report.result("AC.L2-3.1.8").status == (expected == "met" ? .met : .notMet))
      #expect(try report.result("AC.L2-3.1.8").conflicts.count == 1)
      #expect(report.inputs == ["-"])
    }
  }

  @Test func inputDiagnosticsAreCountedOnStandardErrorForText() throws {
    let input = """
      {"format": "poam-results", "results": [
        {"requirement": "AC.L2-3.1.8", "status": "banana"},
        {"requirement": "AC.L2-3.1.99", "status": "met"}]}
      """
    let text = try CLI.run(["gaps", "-", "--assessment-date", "2026-11-02"], stdin: Data(input.utf8))
    #expect(text.status == 0)
    // The digest (issue 15): each warning of a kind seen once, in full; the unmapped result by its ID.
    #expect(text.stderr.contains("warning: -:results[0]: unknown status 'banana'"))
    #expect(
      text.stderr.contains(
        "warning: 1 result maps to no CMMC requirement and is not scored: AC.L2-3.1.99 [resolve.unmapped]\n"))
    let json = try CLI.run(
      ["gaps", "-", "--format", "json", "--assessment-date", "2026-11-02"], stdin: Data(input.utf8))
    #expect(json.status == 0 && json.stderr.isEmpty)
    let report = try JSONDecoder().decode(GapReport.self, from: Data(json.stdout.utf8))
    #expect(report.diagnostics.contains { $0.message.contains("banana") })
    #expect(report.diagnostics.contains { $0.message.contains("AC.L2-3.1.99") })
  }

  @Test(arguments: ["2026-02-30", "2026-13-01", "26-11-02", "2026-11-2", "yesterday", "2026-11-02T00:00"])
  func badDateExitsTwo(_ date: String) throws {
    let result = try CLI.run(["gaps", Self.fixture("level2-conditional"), "--assessment-date", date])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.contains(
        "The value '\(date)' is invalid for '--assessment-date <YYYY-MM-DD>': expected a calendar date written YYYY-MM-DD"
      ))
  }

  @Test func badInputAndUsageExitTwo() throws {
    let missing = try CLI.run(["gaps", "/nonexistent/results.json"])
    #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/results.json"))
    let broken = try CLI.run(
      ["gaps", "-"], stdin: Data(#"{"format": "poam-results", "results": [{"status": 3}]}"#.utf8))
    #expect(broken.status == 2 && broken.stderr.contains("poam: error:"))
    #expect(try CLI.run(["gaps"]).status == 2)
    #expect(try CLI.run(["gaps", Self.fixture("level2-conditional"), "--level", "4"]).status == 2)
    #expect(try CLI.run(["gaps", Self.fixture("level2-conditional"), "--format", "yaml"]).status == 2)
    #expect(try CLI.run(["gaps", Self.fixture("level2-conditional"), "--evidence-policy", "lenient"]).status == 2)
  }

  static let script = URL(fileURLWithPath: "/usr/bin/script")

  /// On a terminal (util-linux `script` gives the command one) text is coloured unless NO_COLOR is set.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script.path), "needs util-linux script(1) for a TTY"))
  func colourOnATerminalUnlessNoColor() throws {
    let command = "\(CLI.executable.path) gaps \(Self.fixture("level2-conditional")) --assessment-date 2026-11-02"
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = nil
    let coloured = try CLI.run(["-qc", command, "/dev/null"], executable: Self.script, environment: environment)
    #expect(coloured.status == 0)
    #expect(coloured.stdout.contains("\u{1B}[33mCONDITIONAL\u{1B}[0m"))
    environment["NO_COLOR"] = "1"
    let plain = try CLI.run(["-qc", command, "/dev/null"], executable: Self.script, environment: environment)
    #expect(plain.status == 0)
    #expect(plain.stdout.contains("Status: CONDITIONAL") && !plain.stdout.contains("\u{1B}["))
  }

  @Test func userCatalogGivesTheSameScore() throws {
    let result = try CLI.run([
      "gaps", Self.fixture("level2-self-assessment"), "--catalog", Paths.controls.path, "--format", "json",
      "--assessment-date", "2026-11-02",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try JSONDecoder().decode(GapReport.self, from: Data(result.stdout.utf8))
    #expect(report.score == 96 && report.status == .notEligible)
    let bad = try CLI.run(["gaps", Self.fixture("level2-self-assessment"), "--catalog", "/nonexistent/catalog"])
    #expect(bad.status == 2 && bad.stderr.contains("poam: error:"))
  }

  /// The catalog loads on another core while the inputs are read; its error still comes first.
  @Test func aBadCatalogIsReportedBeforeABadInput() throws {
    for command in ["gaps", "import"] {
      let result = try CLI.run([command, "/no/such/input.csv", "--catalog", "/nonexistent/catalog"])
      #expect(result.status == 2, "\(command): \(result.stderr)")
      #expect(result.stderr.contains("/nonexistent/catalog"), "\(command): \(result.stderr)")
      #expect(!result.stderr.contains("/no/such/input.csv"), "\(command): \(result.stderr)")
    }
  }

  @Test func helpNamesTheOptions() throws {
    let help = try CLI.run(["gaps", "--help"])
    #expect(help.status == 0)
    for option in ["--level", "--format", "--evidence-policy", "--assessment-date", "--catalog"] {
      #expect(help.stdout.contains(option), "help lacks \(option)")
    }
  }
}
