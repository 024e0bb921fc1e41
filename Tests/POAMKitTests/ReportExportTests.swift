import Foundation
import Testing

@testable import POAMKit

/// report.html and report.md: self-contained, escaped, and saying what a manager needs.
struct ReportExportTests {
  let catalog = TestCatalog.shared
  static let hostile = "<script>alert('x')</script> & \"quotes\""

  /// A run whose evidence, owner and comments carry markup. Both runs are recorded in a run history
  /// that already holds a run with a hostile date and command, so report.html draws the score over time.
  func outputs() throws -> URL {
    var builder = GapReportBuilder(date: "2025-01-15")
    builder.notMet(
      "AC.L2-3.1.9", objectives: ["b"],
      evidence: [
        GapReportBuilder.evidence("<b>scan</b>.ckl", asset: Self.hostile, status: .notMet, detail: Self.hostile)
      ])
    builder.notMet("AC.L2-3.1.1")
    builder.notMet("SC.L2-3.13.11", partialPoints: 3)
    builder.notAssessed("AU.L2-3.3.4")
    let first = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: first) }
    let historyPath = first.appendingPathComponent("history/history.sqlite").path
    try HistoryStore(path: historyPath).record(
      HistoryRun(
        recordedAt: "2025-01-01T00:00:00Z", command: "<i>check</i>", toolVersion: "0.1.0", catalogVersion: "x",
        level: .two, assessmentDate: "2024-12-01" + Self.hostile, score: 90, maxScore: 110, status: .conditional,
        counts: GapCounts(met: 108, notMet: 2), inputs: [], requirements: [:]))
    let history = AnalyzeHistory(path: historyPath, record: true)
    _ = try POAMWorkflow.run(
      report: builder.build(), catalog: catalog, prior: nil, outputDirectory: first, history: history)
    var prior = try POAMWorkflow.loadPrior(path: first.appendingPathComponent("poam.json").path, catalog: catalog).0
    prior.items[0].pointOfContact = Self.hostile
    prior.items[0].comments = Self.hostile
    prior.items[0].milestones[0].description = Self.hostile
    prior.items[0].scheduledCompletion = "2025-02-01"
    var next = builder
    next.date = "2025-03-01"
    next.met("SC.L2-3.13.11", evidence: [GapReportBuilder.evidence("fips.txt", status: .met, detail: "FIPS mode on")])
    let directory = try makeTemporaryDirectory()
    _ = try POAMWorkflow.run(
      report: next.build(), catalog: catalog, prior: prior, outputDirectory: directory, history: history)
    return directory
  }

  @Test func htmlIsSelfContainedEscapedAndComplete() throws {
    let directory = try outputs()
    defer { try? FileManager.default.removeItem(at: directory) }
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    // Nothing fetched from anywhere: no URLs, no external references, no scripts.
    for forbidden in [
      "http://", "https://", "//cdn", "src=", "href=", "@import", "url(", "<script", "<link", "<iframe",
    ] {
      #expect(!html.lowercased().contains(forbidden), "found \(forbidden)")
    }
    #expect(html.contains("<style>"))
    // Every hostile value arrives escaped.
    #expect(!html.contains("<b>scan</b>"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
    // The chart: inline SVG with one bar per family that lost points (AC 5+1; AU 1 = three gaps in two
    // families after SC.L2-3.13.11 closed).
    #expect(html.contains("<svg class=\"chart\""))
    let svg = try #require(html.firstMatch(of: #/<svg class="chart".*?</svg>/#.dotMatchesNewlines()))
    #expect(svg.output.matches(of: #/fill="#c2410c"/#).count == 2)
    #expect(svg.output.contains(">6</text>") && svg.output.contains(">1</text>"))
    // The score over time: the hostile run (90, conditional), the first run (100: AC.L2-3.1.1 blocks
    // Conditional) and this one (103), in order of assessment date, with the 88 line.
    let trend = try #require(html.firstMatch(of: #/<svg class="chart trend".*?</svg>/#.dotMatchesNewlines())).output
    let classes = trend.matches(of: #/<circle [^>]*class="trend-point ([a-z-]+)( current)?"/#).map {
      String($0.output.1) + ($0.output.2 == nil ? "" : "*")
    }
    #expect(classes == ["conditional", "not-eligible", "not-eligible*"])
    let dates = trend.matches(of: #/class="trend-date">([^<]*)</#).map { String($0.output.1) }
    #expect(
      dates == [
        "2024-12-01&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;", "2025-01-15",
        "2025-03-01",
      ])
    #expect(trend.contains("run 1, &lt;i&gt;check&lt;/i&gt;"))
    #expect(trend.contains("Conditional ≥ 88"))
    // Higher scores sit higher (smaller y); the 88 line is below the lowest point, 90.
    let line = try #require(trend.firstMatch(of: #/<polyline class="trend-line" points="([^"]*)"/#)).output.1
    let ys = line.split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) }
    #expect(ys.count == 3 && ys[0] > ys[1] && ys[1] > ys[2])
    let threshold = try #require(trend.firstMatch(of: #/y1="([0-9.]+)"[^>]*class="trend-threshold"/#)).output.1
    #expect(Double(threshold)! > ys[0])
    #expect(html.contains("Score over time"))
    // Score and status at the top: 110 - 5 - 1 - 1 = 103; AC.L2-3.1.1 blocks Conditional.
    let top = try #require(html.range(of: "</header>")).lowerBound
    let header = String(html[..<top])
    #expect(header.contains("103 / 110"))
    #expect(header.contains("Not eligible"))
    #expect(header.contains("+3 since 2025-01-15"), "score went from 100 (3.13.11 at 3 points) to 103")
    // What changed, the gap table and the POA&M with dates.
    #expect(html.contains("What changed since the last run"))
    #expect(html.contains("<code>POAM-SC.L2-3.13.11</code>"))
    #expect(html.contains("Closed items"))
    // AC.L2-3.1.1 (ineligible) was drafted on 2025-01-15: first milestone +14 days, kept on rerun.
    #expect(html.contains("<span class=\"when\">2025-01-29</span>"))
    // Its scheduled completion was edited to 2025-02-01, before the 2025-03-01 assessment.
    #expect(html.contains("<tr class=\"overdue\"><td><code>POAM-AC.L2-3.1.1</code>"))
  }

  @Test func markdownEscapesTableCells() throws {
    let directory = try outputs()
    defer { try? FileManager.default.removeItem(at: directory) }
    let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(markdown.hasPrefix("# CMMC Level 2 gap analysis and POA&M"))
    #expect(markdown.contains("**Score: 103 / 110** · **Status: Not eligible** · Score change: +3 since 2025-01-15"))
    #expect(!markdown.contains("<script>"))
    #expect(markdown.contains("\\<script\\>"))
    #expect(markdown.contains("| Closed (1) | POAM-SC.L2-3.13.11 |"))
    #expect(markdown.contains("| AC Access Control | 2 | 6 |"))
  }

  @Test func levelOneReportCountsRequirementsNotPoints() throws {
    var builder = GapReportBuilder(level: .one, date: "2025-01-15")
    builder.notMet("AC.L1-b.1.i")
    builder.notAssessed("SI.L1-b.1.xii")
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try POAMWorkflow.run(report: builder.build(), catalog: catalog, prior: nil, outputDirectory: directory)
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("<div class=\"score\">13 / 15 met</div>"))
    #expect(!html.contains("<svg class=\"chart trend\""), "no run history, no score over time")
    #expect(html.contains("Gaps by family"))
    #expect(!html.contains(">Points</th>"))
    #expect(!html.contains("SPRS score"))
    // Level 1 posts no score in SPRS.
    #expect(html.contains("<h2>SPRS entry</h2>") && !html.contains("<dt>Score</dt>"))
    let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(markdown.contains("| Requirement | Title | Finding | POA&M eligible | Objectives not met |"))
    #expect(markdown.contains("**Score: 13 / 15 met**"))
  }
}
