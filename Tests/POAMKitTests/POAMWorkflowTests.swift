import Foundation
import Testing

@testable import POAMKit

/// The library entry point behind `poam analyze`: six files, atomically, and reruns that never
/// lose an item or a person's words.
struct POAMWorkflowTests {
  let catalog = TestCatalog.shared
  static let files = ["gap-report.json", "poam.json", "poam.csv", "poam.xlsx", "report.md", "report.html"]

  @Test func writesSixFilesAndASummary() throws {
    let directory = try makeTemporaryDirectory().appendingPathComponent("out/nested")
    defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
    let summary = try POAMWorkflow.run(
      report: POAMDraftTests.report(), catalog: catalog, prior: nil, outputDirectory: directory)
    // The six files, and poam's record of them (.poam/manifest.json).
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == (Self.files + [".poam"]).sorted())
    #expect(summary.outputs.map { URL(fileURLWithPath: $0).lastPathComponent } == Self.files)
    #expect(summary.changes.new.count == 5 && summary.open == 5 && summary.total == 5)
    #expect(summary.text.contains("Score       100 of 110\n"))
    #expect(summary.text.contains("Status      Not eligible\n"))
    #expect(summary.text.contains("Wrote gap-report.json, poam.json, poam.csv, poam.xlsx, report.md, report.html to"))
    // gap-report.json is the report itself.
    let decoded = try JSONDecoder().decode(
      GapReport.self, from: Data(contentsOf: directory.appendingPathComponent("gap-report.json")))
    #expect(decoded == POAMDraftTests.report())
  }

  struct Interrupted: POAMExporter {
    struct Failure: Error {}
    var fileName: String { "poam.json" }
    func render(_ context: ExportContext) throws -> Data { throw Failure() }
  }

  @Test func anInterruptedRunLeavesThePreviousOutputsIntact() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try POAMWorkflow.run(report: POAMDraftTests.report(), catalog: catalog, prior: nil, outputDirectory: directory)
    let before = try Self.files.map { try Data(contentsOf: directory.appendingPathComponent($0)) }
    var later = POAMDraftTests.report()
    later.assessmentDate = CalendarDate(iso: "2025-05-01")!
    #expect(throws: Interrupted.Failure.self) {
      try POAMWorkflow.run(
        report: later, catalog: catalog, prior: nil, outputDirectory: directory,
        exporters: Exporters.all + [Interrupted()])
    }
    let after = try Self.files.map { try Data(contentsOf: directory.appendingPathComponent($0)) }
    #expect(before == after)
    // The six files, and poam's record of them (.poam/manifest.json).
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == (Self.files + [".poam"]).sorted())
  }

  /// Ten reruns over a year: requirements fail and get fixed in turn, a person edits the POA&M
  /// between runs (through the JSON or the CSV), and nothing is ever lost.
  @Test func tenRerunsLoseNothing() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let pool = ["AC.L2-3.1.9", "AC.L2-3.1.10", "AU.L2-3.3.4", "CM.L2-3.4.9", "MP.L2-3.8.9", "AT.L2-3.2.3"]
    var expectedComments: [String: String] = [:]
    var seen = Set<String>()
    var historyLength: [String: Int] = [:]
    var previous: URL?
    let start = CalendarDate(iso: "2025-01-06")!
    var lastReport: GapReport?
    for run in 0..<10 {
      var builder = GapReportBuilder(date: start.adding(days: 30 * run).iso)
      var failing = Set<String>()
      for (index, id) in pool.enumerated() where (index + run) % 3 != 0 {
        builder.notMet(id, objectives: [TestCatalog.shared.requirement(id: id)!.objectives[0].id])
        failing.insert(id)
      }
      for id in pool where !failing.contains(id) {
        builder.met(id, evidence: [GapReportBuilder.evidence("run\(run).csv", status: .met, detail: "fixed")])
      }
      let report = builder.build()
      lastReport = report
      var prior: POAMDocument?
      if let previous {
        let file = run % 2 == 0 ? "poam.json" : "poam.csv"
        var document = try POAMWorkflow.loadPrior(path: previous.appendingPathComponent(file).path, catalog: catalog).0
        // A person writes a comment on one item each time.
        let index = run % document.items.count
        document.items[index].comments += "\nrun \(run): checked by Maria, \"ok\"; =not a formula"
        expectedComments[document.items[index].id] = document.items[index].comments
        prior = document
      }
      let directory = root.appendingPathComponent("run\(run)")
      let summary = try POAMWorkflow.run(report: report, catalog: catalog, prior: prior, outputDirectory: directory)
      let result = try POAMWorkflow.loadPrior(
        path: directory.appendingPathComponent("poam.json").path, catalog: catalog
      ).0
      let ids = Set(result.items.map(\.id))
      #expect(seen.isSubset(of: ids), "run \(run) lost \(seen.subtracting(ids))")
      seen.formUnion(ids)
      for item in result.items {
        let requirement = item.requirementID
        #expect(item.status == (failing.contains(requirement) ? .open : .closed), "run \(run) \(item.id)")
        if let comments = expectedComments[item.id] { #expect(item.comments == comments, "run \(run) \(item.id)") }
        #expect(item.history.count >= historyLength[item.id] ?? 0)
        historyLength[item.id] = item.history.count
      }
      #expect(summary.total == seen.count)
      previous = directory
    }
    #expect(seen.count == pool.count)
    #expect(expectedComments.count >= 5)
    // An item that failed, was fixed and failed again carries the whole story.
    let finalDocument = try POAMWorkflow.loadPrior(
      path: previous!.appendingPathComponent("poam.json").path, catalog: catalog
    ).0
    let story = try #require(finalDocument.item(id: "POAM-AC.L2-3.1.9")).history.map(\.kind)
    #expect(story.contains(.closed) && story.contains(.reopened))

    // Rerunning the last assessment on its own output changes nothing.
    let again = root.appendingPathComponent("again")
    let summary = try POAMWorkflow.run(
      report: lastReport!, catalog: catalog, prior: finalDocument, outputDirectory: again)
    #expect(summary.changes.new.isEmpty && summary.changes.closed.isEmpty && summary.changes.reopened.isEmpty)
    for file in ["poam.json", "poam.csv", "poam.xlsx"] {
      #expect(
        try Data(contentsOf: again.appendingPathComponent(file))
          == Data(contentsOf: previous!.appendingPathComponent(file)), "\(file) is stable")
    }
  }

  /// The README walkthrough's input: 110 results, one per Level 2 requirement, four NOT MET.
  @Test func walkthroughFixtureImportsAndResolves() throws {
    let path = Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json").path
    let imported = try ImportPipeline().run([path])
    #expect(imported.diagnostics.isEmpty, "\(imported.diagnostics)")
    let resolved = ObservationResolver(catalog: catalog).resolve(imported.observations)
    let targets = Set(resolved.observations.flatMap { $0.targets.map(\.requirement) })
    #expect(targets == Set(catalog.requirements(level: .two).map(\.id)))
    let failing = resolved.observations.filter { $0.observation.status == .notMet }.map { $0.targets[0].requirement }
    #expect(failing.sorted() == ["AC.L2-3.1.10", "AC.L2-3.1.9", "AU.L2-3.3.4", "CM.L2-3.4.9"])
  }
}
