import Foundation
import Testing

@testable import POAMKit

/// Reading baselines: gap reports and poam's OSCAL POA&Ms are recognized; anything else is an
/// error naming the file and what was expected.
struct BaselineLoaderTests {
  let loader = BaselineLoader(catalog: TestCatalog.shared)

  @Test func readsThePOAMFixture() throws {
    let snapshot = try loader.load(path: POAMFixtures.baselinePath)
    // Values read by hand from Fixtures/check/poam-baseline.json.
    #expect(snapshot.kind == .poam)
    #expect(snapshot.level == .two)
    #expect(snapshot.score == 107)
    #expect(snapshot.maxScore == 110)
    #expect(snapshot.status == .conditional)
    #expect(snapshot.assessmentDate == "2025-05-01")
    #expect(!snapshot.coversAllRequirements)
    let items = Dictionary(uniqueKeysWithValues: snapshot.items.map { ($0.itemID.prefix(8), $0) })
    #expect(items.count == 4)
    #expect(items["11111111"]?.requirementIDs == ["AC.L2-3.1.10"])
    #expect(items["11111111"]?.scheduledCompletion == "2020-06-30")
    #expect(items["11111111"]?.isOpen == true)
    // "3.1.14" is canonicalized; the due date comes from the related risk's deadline.
    #expect(items["22222222"]?.requirementIDs == ["AC.L2-3.1.14"])
    #expect(items["22222222"]?.scheduledCompletion == "2999-12-31")
    #expect(items["33333333"]?.isOpen == false)
    // No date prop and no risk deadline: the milestone's end date.
    #expect(items["44444444"]?.scheduledCompletion == "2021-03-31")
    #expect(snapshot.gapIDs == ["AC.L2-3.1.10", "AC.L2-3.1.14", "AT.L2-3.2.3"])
    #expect(snapshot.status(of: "AC.L2-3.1.11") == .met)
    #expect(snapshot.status(of: "AC.L2-3.1.1") == .met, "a requirement the POA&M does not mention had no gap")
  }

  @Test func readsAGapReportPoamWrote() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = HandReports.make(score: 104, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet])
    let path = try HandReports.write(report, to: directory)
    let snapshot = try loader.load(path: path)
    #expect(snapshot.kind == .gapReport)
    #expect(snapshot.report == report)
    #expect(snapshot.gapIDs == ["AC.L2-3.1.1"])
    #expect(snapshot.requirements.count == 110)
    #expect(snapshot.requirements["AC.L2-3.1.2"]?.hasEvidence == true)
  }

  /// Writes `text` to a temporary file and returns the loader's error message for it.
  func message(for text: String, name: String = "baseline.json") throws -> String {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    do {
      _ = try loader.load(path: url.path)
    } catch {
      #expect(error.localizedDescription.hasPrefix(url.path + ": "))
      return error.localizedDescription
    }
    Issue.record("expected an error for \(text.prefix(40))")
    return ""
  }

  @Test func badBaselinesNameTheFileAndWhatWasExpected() throws {
    #expect(try message(for: "").contains("the file is empty"))
    #expect(try message(for: "  \n").contains("the file is empty"))
    #expect(try message(for: "{\"tool_version\": ").contains("not valid JSON"))
    #expect(try message(for: "[1, 2]").contains("found a JSON array at the top level"))
    let foreign = try message(for: "{\"name\": \"x\", \"version\": 3}")
    #expect(foreign.contains("not a gap report or POA&M that poam wrote"))
    #expect(foreign.contains("found top-level keys name, version"))
    #expect(
      try message(
        for: """
          {"tool_version": "0.1.0", "level": 2, "requirements": []}
          """
      ).contains("gap report: missing required key 'catalog_version'"))
    // A real report with one value broken: the message names the field.
    let report =
      try JSONSerialization.jsonObject(
        with: JSONOutput.data(HandReports.make(score: 110, status: .final))) as! [String: Any]
    var wrongLevel = report
    wrongLevel["level"] = "two"
    #expect(
      try message(for: String(decoding: try JSONSerialization.data(withJSONObject: wrongLevel), as: UTF8.self))
        .contains("gap report: level: expected a value of type integer"))
    var wrongStatus = report
    var requirements = report["requirements"] as! [[String: Any]]
    requirements[3]["status"] = "bogus"
    wrongStatus["requirements"] = requirements
    #expect(
      try message(for: String(decoding: try JSONSerialization.data(withJSONObject: wrongStatus), as: UTF8.self))
        .contains("gap report: requirements[3].status: unexpected value"))
  }

  @Test func missingFile() {
    do {
      _ = try loader.load(path: "/nonexistent/baseline.json")
      Issue.record("expected an error")
    } catch {
      #expect(error.localizedDescription == "/nonexistent/baseline.json: cannot read: no such file or directory")
    }
  }

  @Test func poamProblemsNameTheItemAndProp() throws {
    func poam(_ props: String) -> String {
      """
      {"plan-of-action-and-milestones": {"uuid": "u", "metadata": {"title": "t"},
       "poam-items": [{"uuid": "i", "title": "x", "props": [\(props)]}]}}
      """
    }
    #expect(
      try message(for: poam("{\"name\": \"title-only\", \"value\": \"x\"}")).contains(
        "poam-items[0]: no requirement-id prop"))
    #expect(
      try message(
        for: poam(
          "{\"name\": \"requirement-id\", \"value\": \"AC.L2-3.1.1\"}, {\"name\": \"scheduled-completion-date\", \"value\": \"soon\"}"
        )
      ).contains("poam-items[0].props scheduled-completion-date: 'soon' is not a date"))
    #expect(
      try message(for: poam("{\"name\": \"requirement-id\", \"value\": \"AC.L2-3.1.99\"}")).contains(
        "poam-items[0].props requirement-id"))
    #expect(
      try message(
        for: """
          {"plan-of-action-and-milestones": {"metadata": {"props": [{"name": "cmmc-level", "value": "4"}]}, "poam-items": []}}
          """
      ).contains("metadata.props cmmc-level: '4' is not a level"))
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func thirdPartyOSCALIsForeign() throws {
    // An assessment-results file is not a baseline.
    let results = Paths.sharedFile("samples/oscal/nist_ifa_assessment-results-example.json").path
    do {
      _ = try loader.load(path: results)
      Issue.record("expected an error")
    } catch {
      #expect(error.localizedDescription.contains("found top-level keys assessment-results"))
    }
    // NIST's example POA&M has no poam props: it cannot be a drift baseline.
    let nist = Paths.sharedFile("samples/oscal/nist_ifa_plan-of-action-and-milestones.json").path
    do {
      _ = try loader.load(path: nist)
      Issue.record("expected an error")
    } catch {
      #expect(error.localizedDescription.contains("OSCAL POA&M: poam-items[0]: no requirement-id prop"))
      #expect(error.localizedDescription.contains("was this POA&M written by poam?"))
    }
  }
}
