import Foundation
import Testing

@testable import POAMKit

/// Text and Markdown renderings of the gap report.
struct GapReportRendererTests {
  let renderer = GapReportRenderer(catalog: TestCatalog.shared)

  func fixture(_ name: String, level: CMMCLevel) throws -> GapReport {
    try GapFixture.evaluateFile("assessments/\(name).json", level: level)
  }

  @Test func textLeadsWithScoreAndStatusThenReasonsTableAndGapsWorstFirst() throws {
    let text = try renderer.render(try fixture("level2-self-assessment", level: .two), format: .text)
    let lines = text.components(separatedBy: "\n")
    #expect(lines[0] == "CMMC Level 2 gap analysis")
    #expect(lines[3] == "Score: 96 of 110 (minimum -203) · evidence for 320 of 320 objectives    Status: NOT ELIGIBLE")
    #expect(lines[4] == "Met 100 · N/A 4 · Not met 6 · Not assessed 0")
    let why = try #require(lines.firstIndex(of: "Why"))
    let family = try #require(lines.firstIndex(of: "By family"))
    let gaps = try #require(lines.firstIndex(of: "Gaps, worst first (6)"))
    #expect(why < family && family < gaps)
    #expect(lines.contains { $0.hasPrefix("  AC  Access Control") && $0.hasSuffix("6") })
    #expect(lines.contains { $0.hasPrefix("  Total") && $0.contains("100") && $0.hasSuffix("14") })
    // Worst first: the 5-point gap, then the two 3-point ones (ineligible first), then 1-pointers.
    let order = lines.filter { $0.hasPrefix("   -") }.map {
      $0.split(separator: " ", omittingEmptySubsequences: true)[1]
    }
    #expect(order == ["AC.L2-3.1.1", "IA.L2-3.5.3", "SC.L2-3.13.11", "AC.L2-3.1.9", "CM.L2-3.4.9", "MP.L2-3.8.4"])
    #expect(text.contains("objectives not met: c"))
    #expect(text.contains("No inventory of devices authorized to connect"))
    #expect(!text.contains("\u{1B}["))
    #expect(text.hasSuffix("\n"))
  }

  @Test func colourOnlyWhenAsked() throws {
    let report = try fixture("level2-conditional", level: .two)
    let plain = try renderer.render(report, format: .text, color: false)
    let coloured = try renderer.render(report, format: .text, color: true)
    #expect(!plain.contains("\u{1B}["))
    #expect(coloured.contains("\u{1B}[33mCONDITIONAL\u{1B}[0m"))
    let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    #expect(stripped == plain)
  }

  @Test func textShowsNotAssessedConflictsAndDiagnostics() throws {
    var observations = GapFixture.all(.met, level: .two, except: ["AC.L2-3.1.1", "AC.L2-3.1.8", "CA.L2-3.12.4"])
    observations += ["a", "b"].map { GapFixture.observation("AC.L2-3.1.1", .met, objective: $0) }
    observations += [
      GapFixture.observation("AC.L2-3.1.8", .met),
      GapFixture.observation("AC.L2-3.1.8", .notMet, kind: .automated, source: "scan.xml"),
    ]
    let report = GapFixture.evaluate(
      observations, diagnostics: [Diagnostic(.warning, .badValue, source: "x.csv", location: "3", message: "odd row")])
    let text = try renderer.render(report, format: .text)
    #expect(text.contains("Not assessed: no evidence, scored as NOT MET (2)"))
    #expect(text.contains("AC.L2-3.1.1  Authorized Access Control  (no evidence for objectives c, d, e, f)"))
    #expect(text.contains("  CA.L2-3.12.4  System Security Plan"))
    #expect(text.contains("Conflicts between assessor and automated evidence (1)"))
    #expect(text.contains("Diagnostics: 2 warnings"))
  }

  @Test func levelOneAndLevelThreeHeadlines() throws {
    let one = try renderer.render(try fixture("level1-self-assessment", level: .one), format: .text)
    #expect(
      one.contains(
        "Score: none (Level 1 requirements are MET or NOT MET in full) · evidence for 59 of 59 objectives    Status: NOT ELIGIBLE"
      ))
    #expect(one.contains("PE.L1-b.1.ix  Manage Visitors & Physical Access  NOT MET"))
    #expect(!one.contains("POA&M-eligible"))
    let three = try renderer.render(try fixture("level3-assessment", level: .three), format: .text)
    #expect(three.contains("Score: 22 of 24 (minimum 0) · evidence for 81 of 81 objectives    Status: CONDITIONAL"))
    #expect(three.contains("Level 2 prerequisite: score 110 of 110    Status: FINAL"))
    #expect(three.contains("By family (Level 2)") && three.contains("By family (Level 3)"))
  }

  @Test func markdownHasTheSameSections() throws {
    let markdown = try renderer.render(try fixture("level2-self-assessment", level: .two), format: .markdown)
    #expect(markdown.hasPrefix("# CMMC Level 2 gap analysis\n"))
    #expect(markdown.contains("| Score | **96 of 110 (minimum -203)** · evidence for 320 of 320 objectives |"))
    #expect(markdown.contains("| Status | **Not eligible** |"))
    #expect(markdown.contains("## Why"))
    #expect(markdown.contains("| AC Access Control | 18 | 2 | 2 | 0 | 6 |"))
    #expect(markdown.contains("| **Total** | 100 | 4 | 6 | 0 | 14 |"))
    let rows = markdown.components(separatedBy: "\n").filter { $0.hasPrefix("| AC.L2-") || $0.hasPrefix("| IA.L2-") }
    #expect(rows.first?.hasPrefix("| AC.L2-3.1.1 | Authorized Access Control | 5 | not eligible | c |") == true)
    #expect(markdown.contains("| IA.L2-3.5.3 | Multifactor Authentication | 3 (partial) | not eligible |"))
    #expect(!markdown.contains("\u{1B}["))
  }

  @Test func markdownEscapesCellsAndCapsDiagnostics() throws {
    let diagnostics = (1...60).map {
      Diagnostic(.note, .readNote, source: "a|b.csv", location: "\($0)", message: "row *\($0)*")
    }
    let report = GapFixture.evaluate(GapFixture.all(.met, level: .two), diagnostics: diagnostics)
    let markdown = try renderer.render(report, format: .markdown)
    #expect(markdown.contains("| note | `import.read-note` | a\\|b.csv:1 | row \\*1\\* |"))
    #expect(markdown.contains("10 more diagnostics in the JSON report"))
    #expect(!markdown.contains("a\\|b.csv:51 "))
  }

  @Test func jsonIsTheReport() throws {
    let report = try fixture("level2-conditional", level: .two)
    let json = try renderer.render(report, format: .json)
    #expect(json == (try JSONOutput.string(report)))
    #expect(try JSONDecoder().decode(GapReport.self, from: Data(json.utf8)) == report)
  }
}
