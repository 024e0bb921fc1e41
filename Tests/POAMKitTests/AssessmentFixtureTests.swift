import CSV
import Foundation
import Testing

@testable import POAMKit

/// The complete self-assessments in Fixtures/assessments, read through the real import and
/// resolve stages. Expected numbers are computed by hand in Fixtures/assessments/README.md.
struct AssessmentFixtureTests {
  struct Expected: Sendable, CustomTestStringConvertible {
    var file: String
    var level: CMMCLevel
    var score: Int?
    var status: CertificationStatus
    var counts: GapCounts
    var notMet: [String]
    var testDescription: String { file }
  }

  static let expected: [Expected] = [
    Expected(
      file: "level2-self-assessment", level: .two, score: 96, status: .notEligible,
      counts: GapCounts(met: 100, notMet: 6, notApplicable: 4),
      notMet: ["AC.L2-3.1.1", "AC.L2-3.1.9", "CM.L2-3.4.9", "IA.L2-3.5.3", "MP.L2-3.8.4", "SC.L2-3.13.11"]),
    Expected(
      file: "level2-conditional", level: .two, score: 103, status: .conditional,
      counts: GapCounts(met: 104, notMet: 5, notApplicable: 1),
      notMet: ["AU.L2-3.3.4", "IA.L2-3.5.8", "MP.L2-3.8.9", "SC.L2-3.13.9", "SC.L2-3.13.11"]),
    Expected(
      file: "level1-self-assessment", level: .one, score: nil, status: .notEligible,
      counts: GapCounts(met: 13, notMet: 1, notApplicable: 1), notMet: ["PE.L1-b.1.ix"]),
    Expected(
      file: "level3-assessment", level: .three, score: 22, status: .conditional,
      counts: GapCounts(met: 22, notMet: 2), notMet: ["AT.L3-3.2.1e", "CM.L3-3.4.3e"]),
  ]

  @Test(arguments: expected)
  func scoresAsComputedByHand(_ expected: Expected) throws {
    let report = try GapFixture.evaluateFile("assessments/\(expected.file).json", level: expected.level)
    #expect(report.score == expected.score)
    #expect(report.status == expected.status)
    #expect(report.counts == expected.counts)
    #expect(report.gaps.map(\.id).sorted() == expected.notMet.sorted())
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    #expect(report.requirements.allSatisfy { !$0.evidence.isEmpty })
  }

  /// The same hand-computed results from the CSV sources, read by the CSV importer.
  @Test(arguments: expected)
  func csvSourcesScoreTheSame(_ expected: Expected) throws {
    let report = try GapFixture.evaluateFile("assessments/\(expected.file).csv", level: expected.level)
    #expect(report.score == expected.score)
    #expect(report.status == expected.status)
    #expect(report.counts == expected.counts)
    #expect(report.gaps.map(\.id).sorted() == expected.notMet.sorted())
    #expect(report.diagnostics.allSatisfy { $0.severity == .note }, "\(report.diagnostics)")
  }

  /// A workbook written by an independent producer (Scripts/make-xlsx-fixture.py): a cover sheet,
  /// banner rows, shared and inline strings. The XLSX importer finds the assessment sheet.
  @Test func xlsxWorkbookScoresLikeItsCSV() throws {
    let report = try GapFixture.evaluateFile("xlsx/level2-conditional.xlsx", level: .two)
    let expected = Self.expected[1]
    #expect(report.score == expected.score)
    #expect(report.status == expected.status)
    #expect(report.counts == expected.counts)
    #expect(report.gaps.map(\.id).sorted() == expected.notMet.sorted())
    let evidence = try #require(report.requirements.first { $0.id == "AU.L2-3.3.4" }?.evidence.first)
    #expect(evidence.location.hasPrefix("Assessment row "))
    #expect(report.diagnostics.contains { $0.message.contains("other sheets not read: Cover") })
  }

  @Test func levelTwoDetails() throws {
    let report = try GapFixture.evaluateFile("assessments/level2-self-assessment.json", level: .two)
    #expect(
      report.gaps.map(\.id) == [
        "AC.L2-3.1.1", "IA.L2-3.5.3", "SC.L2-3.13.11", "AC.L2-3.1.9", "CM.L2-3.4.9", "MP.L2-3.8.4",
      ])
    let access = try report.result("AC.L2-3.1.1")
    #expect(access.failingObjectives == ["c"] && access.evidence.count == 6)
    let mfa = try report.result("IA.L2-3.5.3")
    #expect(mfa.partial && mfa.pointsDeducted == 3 && !mfa.poamEligible)
    let fips = try report.result("SC.L2-3.13.11")
    #expect(fips.partial && fips.pointsDeducted == 3 && fips.poamEligible)
    let markings = try report.result("MP.L2-3.8.4")
    #expect(markings.evidence.count == 2 && markings.pointsDeducted == 1)
    #expect(try report.result("PE.L2-3.10.6").status == .notApplicable)
    #expect(report.reasons.contains { $0.contains("AC.L2-3.1.1 (5 pt)") && $0.contains("IA.L2-3.5.3 (partial, 3 pt)") })
  }

  @Test func levelThreeDetails() throws {
    let report = try GapFixture.evaluateFile("assessments/level3-assessment.json", level: .three)
    let prerequisite = try #require(report.prerequisite)
    #expect(prerequisite.score == 110 && prerequisite.status == .final)
    #expect(prerequisite.counts == GapCounts(met: 108, notApplicable: 2))
    #expect(report.requirements.count == 134)
    #expect(try report.result("SC.L3-3.13.4e").objectives == ["a": .met, "ODP1": .met])
  }

  /// The native JSON twins carry exactly the CSV rows (Scripts/assessment-csv-to-native.py).
  @Test(arguments: expected.map(\.file))
  func jsonTwinMatchesTheCSV(_ name: String) throws {
    let folder = Paths.fixtures.appendingPathComponent("assessments")
    let csvText = try String(contentsOf: folder.appendingPathComponent("\(name).csv"), encoding: .utf8)
    let reader = try CSVReader(string: csvText, hasHeaderRow: true)
    #expect(reader.headerRow == ["Requirement", "Title", "Status", "Objective", "Comments"])
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }

    struct Twin: Decodable {
      struct Result: Decodable {
        var requirement: String
        var status: String
        var title: String
        var comments: String
      }
      var format: String
      var results: [Result]
    }
    let twin = try JSONDecoder().decode(
      Twin.self, from: Data(contentsOf: folder.appendingPathComponent("\(name).json")))
    #expect(twin.format == "poam-results")
    try #require(twin.results.count == rows.count)
    for (row, result) in zip(rows, twin.results) {
      let requirement = row[3].isEmpty ? row[0] : "\(row[0])[\(row[3])]"
      #expect(result.requirement == requirement)
      #expect(result.title == row[1] && result.status == row[2] && result.comments == row[4])
    }
  }

  @Test func evaluatingTwiceGivesByteIdenticalJSON() throws {
    for expected in Self.expected {
      let first = try GapFixture.evaluateFile("assessments/\(expected.file).json", level: expected.level)
      let second = try GapFixture.evaluateFile("assessments/\(expected.file).json", level: expected.level)
      #expect(try JSONOutput.data(first) == JSONOutput.data(second))
    }
    let observations = GapFixture.scope(.two, notMet: ["AC.L2-3.1.1", "AC.L2-3.1.3"])
    #expect(
      try JSONOutput.data(GapFixture.evaluate(observations)) == JSONOutput.data(GapFixture.evaluate(observations)))
  }

  @Test func gapReportJSONHasTheDocumentedKeys() throws {
    let report = try GapFixture.evaluateFile("assessments/level2-self-assessment.json", level: .two)
    let object = try #require(
      try JSONSerialization.jsonObject(with: JSONOutput.data(report)) as? [String: Any])
    for key in [
      "tool_version", "catalog_version", "level", "assessment_date", "score", "max_score", "min_score", "status",
      "reasons", "counts", "requirements", "diagnostics",
    ] {
      #expect(object[key] != nil, "missing \(key)")
    }
    #expect(object["status"] as? String == "not-eligible")
    let counts = try #require(object["counts"] as? [String: Int])
    #expect(counts == ["met": 100, "not_met": 6, "not_applicable": 4, "not_assessed": 0])
    let requirements = try #require(object["requirements"] as? [[String: Any]])
    #expect(requirements.count == 110)
    for key in ["id", "status", "points_deducted", "poam_eligible", "objectives", "evidence"] {
      #expect(requirements.allSatisfy { $0[key] != nil }, "requirements lack \(key)")
    }
    let access = try #require(requirements.first { $0["id"] as? String == "AC.L2-3.1.1" })
    #expect((access["objectives"] as? [String: String])?["c"] == "not-met")
    let evidence = try #require((access["evidence"] as? [[String: Any]])?.first)
    for key in ["source", "location", "status", "detail"] { #expect(evidence[key] != nil, "evidence lacks \(key)") }
    #expect(try JSONDecoder().decode(GapReport.self, from: JSONOutput.data(report)) == report)
  }
}
