import Foundation
import Testing

@testable import POAMKit

/// The workflows the commands are thin shells over, called in process.
struct WorkflowTests {
  static let walkthrough = Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json").path
  static let date = CalendarDate(year: 2025, month: 1, day: 15)!

  /// `analyze` in process writes exactly what the command line wrote into the golden references.
  @Test func analyzeInProcessMatchesTheCommandLine() throws {
    let out = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let request = AnalyzeRequest(
      assessment: AssessmentRequest(
        inputs: ["Fixtures/poam/walkthrough/assessment.json"],
        gapOptions: GapOptions(level: .two, assessmentDate: Self.date)),
      outputDirectory: out, ownersPath: Paths.fixtures.appendingPathComponent("poam/owners.yml").path)
    let previous = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(Paths.root.path)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    let response = try AnalyzeWorkflow.run(request, catalog: TestCatalog.shared)
    #expect(response.assessment.report.score == 106)
    #expect(!response.assessment.skippedInputs)
    #expect(response.summary.text.contains("106 of 110"))
    let references = Paths.root.appendingPathComponent("Tests/POAMKitTests/References/analyze-walkthrough")
    for name in ["gap-report.json", "poam.json", "poam.csv", "report.md"] {
      let written = try Data(contentsOf: out.appendingPathComponent(name))
      let recorded = try Data(contentsOf: references.appendingPathComponent(name))
      #expect(written == recorded, "\(name) differs from the command line's reference")
    }
  }

  /// `gaps` and `check` share one assessment step: the same request gives the same report
  /// whether the catalog is given or loaded beside the reading.
  @Test func assessingWithALoadedOrLoadingCatalogAgrees() throws {
    let request = AssessmentRequest(
      inputs: [Self.walkthrough], gapOptions: GapOptions(level: .two, assessmentDate: Self.date))
    var stages: [String] = []
    let direct = try AssessmentWorkflow.assess(request, catalog: TestCatalog.shared, stage: { stages.append($0) })
    let (_, loading) = try AssessmentWorkflow.assess(request, loadingCatalog: { TestCatalog.shared })
    #expect(try direct.report.jsonData() == loading.report.jsonData())
    #expect(direct.report.assessmentDate.iso == "2025-01-15")
    #expect(stages == ["scoring 110 results"])
  }
}
