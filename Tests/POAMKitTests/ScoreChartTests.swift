import Foundation
import Testing

@testable import POAMKit

/// report.html's score over time: drawn from the run history from two runs on, read (not written)
/// from an existing `OUT/.poam/history.sqlite`, and never a reason for `poam analyze` to fail
/// when it only reads.
struct ScoreChartTests {
  let catalog = TestCatalog.shared

  static func trend(_ directory: URL) throws -> String? {
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    return html.firstMatch(of: #/<svg class="chart trend".*?</svg>/#.dotMatchesNewlines()).map { String($0.output) }
  }

  static func points(_ svg: String) -> Int { svg.matches(of: #/<circle /#).count }

  /// Level 2, three 1-point gaps and one 5-point gap: 110 - 8 = 102, not eligible.
  static func report(date: String, fixed: Bool = false) -> GapReport {
    var builder = GapReportBuilder(date: date)
    builder.notMet("AU.L2-3.3.4")
    builder.notMet("MP.L2-3.8.9")
    builder.notMet("CM.L2-3.4.9")
    if !fixed { builder.notMet("AC.L2-3.1.1") }
    return builder.build()
  }

  @Test func drawnFromTheSecondRecordedRun() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let history = try #require(
      AnalyzeHistory.resolve(historyPath: nil, record: true, outputDirectory: out, inputs: [], workingDirectory: root))
    #expect(history.path == out.appendingPathComponent(".poam/history.sqlite").path)
    _ = try POAMWorkflow.run(
      report: Self.report(date: "2025-01-15"), catalog: catalog, prior: nil, outputDirectory: out, history: history)
    #expect(try Self.trend(out) == nil, "one run: no chart")
    let summary = try POAMWorkflow.run(
      report: Self.report(date: "2025-02-15", fixed: true), catalog: catalog, prior: nil, outputDirectory: out,
      history: history)
    #expect(summary.historyRunID == 2)
    let svg = try #require(try Self.trend(out))
    #expect(Self.points(svg) == 2)
    // 102 (not eligible), then 107 (three 1-point gaps, conditional).
    #expect(svg.contains("class=\"trend-point not-eligible\""))
    #expect(svg.contains("class=\"trend-point conditional current\""))
    #expect(svg.contains(">102</text>") && svg.contains(">107</text>"))
    #expect(svg.contains(">2025-01-15</text>") && svg.contains(">2025-02-15</text>"))
    #expect(svg.contains("Conditional ≥ 88") && svg.contains("Maximum 110"))
  }

  @Test func anExistingHistoryIsReadButNotWritten() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    #expect(AnalyzeHistory.resolve(historyPath: nil, record: false, outputDirectory: out, inputs: []) == nil)
    let recording = try #require(
      AnalyzeHistory.resolve(historyPath: nil, record: true, outputDirectory: out, inputs: []))
    _ = try POAMWorkflow.run(
      report: Self.report(date: "2025-01-15"), catalog: catalog, prior: nil, outputDirectory: out, history: recording)

    let reading = try #require(
      AnalyzeHistory.resolve(historyPath: nil, record: false, outputDirectory: out, inputs: []))
    #expect(!reading.record)
    let summary = try POAMWorkflow.run(
      report: Self.report(date: "2025-03-01", fixed: true), catalog: catalog, prior: nil, outputDirectory: out,
      history: reading)
    #expect(summary.historyRunID == nil && !summary.text.contains("Recorded run"))
    let svg = try #require(try Self.trend(out))
    #expect(Self.points(svg) == 2, "the recorded run and this one")
    #expect(try HistoryStore(path: reading.path, create: false).runs().count == 1)
  }

  @Test func anUnreadableHistoryOnlyCostsTheChartUnlessRecording() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let path = out.appendingPathComponent(".poam/history.sqlite")
    try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("these are notes, not a database\n".utf8).write(to: path)

    let reading = try #require(
      AnalyzeHistory.resolve(historyPath: nil, record: false, outputDirectory: out, inputs: []))
    let summary = try POAMWorkflow.run(
      report: Self.report(date: "2025-01-15"), catalog: catalog, prior: nil, outputDirectory: out, history: reading)
    #expect(summary.text.contains("report.html has no score over time"), "\(summary.text)")
    #expect(try Self.trend(out) == nil)
    #expect(try String(contentsOf: path, encoding: .utf8) == "these are notes, not a database\n")

    let recording = AnalyzeHistory(path: path.path, record: true)
    #expect(throws: HistoryError.self) {
      try POAMWorkflow.run(
        report: Self.report(date: "2025-02-01"), catalog: catalog, prior: nil, outputDirectory: out,
        history: recording)
    }
    // Refused before writing: the outputs are still the January ones.
    let gapReport = try JSONDecoder().decode(
      GapReport.self, from: Data(contentsOf: out.appendingPathComponent("gap-report.json")))
    #expect(gapReport.assessmentDate.iso == "2025-01-15")
  }

  @Test func levelOneCountsRequirementsMetAndHasNoThreshold() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = AnalyzeHistory(path: root.appendingPathComponent("h.sqlite").path, record: true)
    var builder = GapReportBuilder(level: .one, date: "2025-01-15")
    builder.notMet("AC.L1-b.1.i")
    builder.notAssessed("SI.L1-b.1.xii")
    _ = try POAMWorkflow.run(
      report: builder.build(), catalog: catalog, prior: nil, outputDirectory: root, history: history)
    builder.date = "2025-02-15"
    builder.findings["SI.L1-b.1.xii"] = nil
    _ = try POAMWorkflow.run(
      report: builder.build(), catalog: catalog, prior: nil, outputDirectory: root, history: history)
    let html = try String(contentsOf: root.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("<h2>Requirements met over time</h2>"))
    let svg = try #require(try Self.trend(root))
    // 13 of 15, then 14 of 15; Level 1 allows no POA&M, so no conditional line.
    #expect(svg.contains(">13</text>") && svg.contains(">14</text>") && svg.contains("Maximum 15"))
    #expect(!svg.contains("Conditional"))
    #expect(!html.contains("Conditional minimum"))
  }

  @Test func pointsFollowTheAssessmentDateAndStopAtSixty() {
    func run(_ id: Int64?, _ date: String, _ score: Int) -> HistoryRun {
      HistoryRun(
        id: id, recordedAt: "2026-01-01T00:00:00Z", command: "check", toolVersion: "0.1.0", catalogVersion: "x",
        level: .two, assessmentDate: date, score: score, maxScore: 110, status: .conditional,
        counts: GapCounts(met: 100, notMet: 10), inputs: [], requirements: [:])
    }
    // Recorded out of date order (a backfill with history --add came last); two runs on one day.
    let runs = [
      run(1, "2025-03-01", 95), run(2, "2025-03-01", 96), run(3, "2025-01-01", 90), run(nil, "2025-02-01", 93),
    ]
    let points = SVGScoreChart.points(runs, current: runs[3])
    #expect(points.map(\.value) == [90, 93, 95, 96])
    #expect(points.map(\.isCurrent) == [false, true, false, false])
    #expect(points[1].detail == "2025-02-01 · this run · 93 / 110 · Conditional")
    #expect(points[0].detail == "2025-01-01 · run 3, check · 90 / 110 · Conditional")

    var many: [HistoryRun] = []
    for number in 1...70 {
      let month = (number - 1) / 28 + 1
      let day = (number - 1) % 28 + 1
      let date = "2025-0\(month)-" + (day < 10 ? "0\(day)" : "\(day)")
      many.insert(run(Int64(number), date, number), at: 0)
    }
    let kept = SVGScoreChart.points(many, current: nil)
    #expect(kept.count == 60)
    #expect(kept.map { $0.value } == Array(11...70))
  }
}
