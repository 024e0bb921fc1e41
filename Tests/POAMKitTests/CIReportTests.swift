import Foundation
import Testing

@testable import POAMKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// JUnit and SARIF output: shape, counts, escaping, locations, fingerprints, and validation by
/// Scripts/validate-junit.py and Scripts/validate-sarif.py.
struct CIReportTests {
  /// Level 2: three NOT MET (one partial), two NOT ASSESSED, one N/A, the rest MET.
  static let report = HandReports.make(
    score: 94, status: .notEligible,
    statuses: [
      "AC.L2-3.1.1": .notMet, "AC.L2-3.1.10": .notMet, "IA.L2-3.5.3": .notMet, "AU.L2-3.3.1": .notAssessed,
      "SC.L2-3.13.1": .notAssessed, "AC.L2-3.1.12": .notApplicable,
    ], partial: ["IA.L2-3.5.3"], deductions: ["IA.L2-3.5.3": 3])

  @Test func junitCountsAndShape() throws {
    let xml = JUnitReport.render(Self.report, catalog: TestCatalog.shared)
    let document = try XMLDocument(data: Data(xml.utf8))
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    let suites = root.elements(forName: "testsuite")
    #expect(suites.count == 1)
    let suite = try #require(suites.first)
    // 110 Level 2 requirements; 3 NOT MET; 2 NOT ASSESSED (set above).
    #expect(suite.attribute(forName: "tests")?.stringValue == "110")
    #expect(suite.attribute(forName: "failures")?.stringValue == "3")
    #expect(suite.attribute(forName: "skipped")?.stringValue == "2")
    #expect(suite.attribute(forName: "errors")?.stringValue == "0")
    let cases = suite.elements(forName: "testcase")
    #expect(cases.count == 110)
    let failing = cases.filter { !$0.elements(forName: "failure").isEmpty }
    #expect(
      failing.compactMap { $0.attribute(forName: "name")?.stringValue?.split(separator: " ").first }.map(String.init)
        == ["AC.L2-3.1.1", "AC.L2-3.1.10", "IA.L2-3.5.3"])
    let first = try #require(failing.first)
    #expect(first.attribute(forName: "classname")?.stringValue == "AC")
    let failure = try #require(first.elements(forName: "failure").first)
    let message = try #require(failure.attribute(forName: "message")?.stringValue)
    #expect(message.hasPrefix("AC.L2-3.1.1 Authorized Access Control is NOT MET; −5 points; objectives not met: [a] "))
    #expect(message.contains("may not be on a POA&M"))
    #expect(
      failure.stringValue?.contains("- scans/assessment.csv:2 [enclave] NOT MET: AC.L2-3.1.1 assessed NOT MET") == true)
    let partial = try #require(
      failing.last?.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue)
    #expect(partial.contains("is NOT MET (partially implemented); −3 points"))
    let skipped = cases.filter { !$0.elements(forName: "skipped").isEmpty }
    #expect(skipped.count == 2)
    #expect(
      skipped.first?.elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue
        == "NOT ASSESSED: no evidence; scored as NOT MET (−5 points) until assessed")
    let notApplicable = try #require(
      cases.first { $0.attribute(forName: "name")?.stringValue?.hasPrefix("AC.L2-3.1.12 ") == true })
    #expect(notApplicable.childCount == 0)
  }

  @Test func junitEscapesEveryValue() throws {
    var report = Self.report
    let index = try #require(report.requirements.firstIndex { $0.id == "AC.L2-3.1.1" })
    report.requirements[index].title = #"Access <"admins"> & 'ops'"#
    report.requirements[index].evidence[0].detail = "rule ]]> <script>&amp; \u{07}bell \"quoted\"\nnext line"
    report.requirements[index].evidence[0].asset = "host<1>"
    let xml = JUnitReport.render(report, catalog: TestCatalog.shared)
    #expect(!xml.contains("<script>"))
    let document = try XMLDocument(data: Data(xml.utf8))
    let cases = try #require(
      document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase"))
    let testcase = try #require(cases.first { $0.attribute(forName: "classname")?.stringValue == "AC" })
    #expect(testcase.attribute(forName: "name")?.stringValue == #"AC.L2-3.1.1 Access <"admins"> & 'ops'"#)
    let body = try #require(testcase.elements(forName: "failure").first?.stringValue)
    #expect(body.contains("[host<1>]"))
    #expect(body.contains("rule ]]> <script>&amp; \u{FFFD}bell \"quoted\"\nnext line"))
  }

  @Test(.enabled(if: PythonScript.available, PythonScript.reason))
  func junitValidatesWithTheScript() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("junit.xml")
    try Data(JUnitReport.render(Self.report, catalog: TestCatalog.shared).utf8).write(to: good)
    let result = try PythonScript.run("validate-junit.py", [good.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("valid JUnit XML (110 test cases)"))
    // The script is not a rubber stamp: a wrong count is caught.
    let bad = directory.appendingPathComponent("bad.xml")
    try Data(
      JUnitReport.render(Self.report).replacingOccurrences(
        of: "failures=\"3\" errors=\"0\" skipped", with: "failures=\"2\" errors=\"0\" skipped"
      )
      .utf8
    ).write(to: bad)
    let rejected = try PythonScript.run("validate-junit.py", [bad.path])
    #expect(rejected.status == 1)
    #expect(rejected.stderr.contains("failures='2' but the suite holds 3"))
  }

  func sarif(_ report: GapReport = CIReportTests.report, newGaps: Set<String> = []) throws -> [String: Any] {
    let reporter = SARIFReport(
      catalog: TestCatalog.shared, workingDirectory: URL(fileURLWithPath: "/work/repo"), newGaps: newGaps)
    let text = try reporter.render(report)
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func sarifResultsRulesAndLocations() throws {
    let log = try sarif(newGaps: ["AC.L2-3.1.10"])
    #expect(log["version"] as? String == "2.1.0")
    #expect((log["$schema"] as? String)?.hasSuffix("sarif-schema-2.1.0.json") == true)
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "poam")
    #expect(driver["version"] as? String == ToolInfo.version)
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.map { $0["id"] as? String } == ["AC.L2-3.1.1", "AC.L2-3.1.10", "IA.L2-3.5.3"])
    let help = try #require((rules[0]["help"] as? [String: Any])?["text"] as? String)
    let catalogRequirement = try #require(TestCatalog.shared.requirement(id: "AC.L2-3.1.1"))
    #expect(help.hasPrefix(catalogRequirement.description))
    #expect(help.contains("- [a] " + catalogRequirement.objectives[0].description))
    #expect((rules[0]["shortDescription"] as? [String: Any])?["text"] as? String == "Authorized Access Control")
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == 3)
    for (index, result) in results.enumerated() {
      #expect(result["ruleIndex"] as? Int == index)
      #expect(result["ruleId"] as? String == rules[index]["id"] as? String)
    }
    // AC.L2-3.1.1 (5 points) cannot be on a POA&M: error. AC.L2-3.1.10 (1 point) could, but is new: error.
    // IA.L2-3.5.3 cannot be on a POA&M: error.
    #expect(results.map { $0["level"] as? String } == ["error", "error", "error"])
    let location = try #require((results[0]["locations"] as? [[String: Any]])?.first)
    let physical = try #require(location["physicalLocation"] as? [String: Any])
    #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "scans/assessment.csv")
    // AC.L2-3.1.1 is the first Level 2 requirement: HandReports puts its evidence on line 2.
    #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 2)
  }

  @Test func sarifLevelsAndFingerprints() throws {
    let eligible = HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.10": .notMet])
    let first = try #require((try sarif(eligible)["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
    #expect(first.first?["level"] as? String == "warning")
    // Evidence moves to another file and line: the fingerprint stays.
    var moved = eligible
    let index = try #require(moved.requirements.firstIndex { $0.id == "AC.L2-3.1.10" })
    moved.requirements[index].evidence[0].source = "/work/repo/other/scan results.csv"
    moved.requirements[index].evidence[0].line = 40
    let second = try #require((try sarif(moved)["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
    let fingerprint = { (result: [String: Any]?) in
      (result?["partialFingerprints"] as? [String: String])?["cmmcRequirement/v1"]
    }
    #expect(fingerprint(first.first) != nil)
    #expect(fingerprint(first.first) == fingerprint(second.first))
    #expect(fingerprint(first.first) == SHA256Digest.hex("CMMC 2 AC.L2-3.1.10"))
    let location = (second.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
    // An absolute path under the working directory becomes relative, percent-encoded.
    #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "other/scan%20results.csv")
  }

  @Test func sarifURIs() {
    let reporter = SARIFReport(catalog: TestCatalog.shared, workingDirectory: URL(fileURLWithPath: "/work/repo"))
    #expect(reporter.relativeURI("./scans/a.ckl") == "scans/a.ckl")
    #expect(reporter.relativeURI("/work/repo/scans/a.ckl") == "scans/a.ckl")
    #expect(reporter.relativeURI("/elsewhere/a b.ckl") == "file:///elsewhere/a%20b.ckl")
    #expect(reporter.relativeURI("../shared/x.xml") == "../shared/x.xml")
    #expect(reporter.relativeURI("c:drive.csv") == "c%3Adrive.csv")
  }

  @Test(.enabled(if: PythonScript.available, PythonScript.reason))
  func sarifValidatesWithTheScript() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("poam.sarif")
    let reporter = SARIFReport(catalog: TestCatalog.shared, workingDirectory: directory)
    try Data(try reporter.render(Self.report).utf8).write(to: file)
    // SARIF_SCHEMA (a local copy of the official schema) is passed through when CI sets it.
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    let result = try PythonScript.run("validate-sarif.py", [file.path], environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("valid SARIF 2.1.0 (3 results"))
    // A broken ruleIndex is caught.
    var log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    var runs = try #require(log["runs"] as? [[String: Any]])
    var results = try #require(runs[0]["results"] as? [[String: Any]])
    results[0]["ruleIndex"] = 2
    runs[0]["results"] = results
    log["runs"] = runs
    try JSONSerialization.data(withJSONObject: log).write(to: file)
    let rejected = try PythonScript.run("validate-sarif.py", [file.path], environment: environment)
    #expect(rejected.status == 1)
    #expect(rejected.stderr.contains("does not match rules[2].id"))
  }
}
