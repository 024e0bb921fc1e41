import Foundation
import Testing

@testable import POAMKit

/// The gap report's JSON is written one requirement at a time; the bytes must be those of the
/// whole-document encoding.
struct GapReportJSONTests {
  static func whole(_ report: GapReport) throws -> Data { Data(try JSONOutput.string(report).utf8) }

  @Test(arguments: [
    ("assessments/level2-conditional.json", CMMCLevel.two), ("assessments/level1-self-assessment.json", .one),
    ("assessments/level3-assessment.json", .three), ("poam/walkthrough/assessment.json", .two),
  ])
  func requirementByRequirementEqualsTheWholeDocument(_ fixture: String, _ level: CMMCLevel) throws {
    let report = try GapFixture.evaluateFile(fixture, level: level)
    #expect(report.requirements.count > 10)
    #expect(try report.jsonData() == Self.whole(report))
  }

  /// Nothing assessed: every requirement empty-handed, empty arrays nested in each element.
  @Test func aReportWithoutEvidenceToo() throws {
    let report = GapFixture.evaluate([])
    #expect(try report.jsonData() == Self.whole(report))
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func theSamplesReportToo() throws {
    let catalog = TestCatalog.shared
    let evidence = try EvidenceLoader.load(
      [Paths.sharedFile("samples").path], options: ImportOptions(keepGoing: true), catalog: catalog,
      cciList: Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml").path)
    let report = GapEngine(
      catalog: catalog, options: GapOptions(level: .two, assessmentDate: CalendarDate(iso: GapFixture.date)!)
    )
    .evaluate(evidence.resolved.observations, inputs: evidence.inputNames, diagnostics: evidence.diagnostics)
    #expect(report.requirements.contains { $0.unlistedEvidence > 0 })
    #expect(try report.jsonData() == Self.whole(report))
  }

  @Test func anEmptyArrayIsLeftAsTheEncoderWritesIt() throws {
    struct Document: Encodable {
      var name = "x"
      var items: [Int] = []
    }
    let expected = Data(try JSONOutput.string(Document()).utf8)
    #expect(try JSONOutput.data(Document(), filling: "items", with: [Int]()) == expected)
    #expect(
      try JSONOutput.data(Document(), filling: "items", with: [1, 2])
        == Data(try JSONOutput.string(Document(items: [1, 2])).utf8))
  }

  /// A writer that cannot do its job throws: a document without the empty array to fill (a
  /// nested one, another key, or one already filled) is never returned with the elements dropped.
  @Test func aDocumentWithoutTheArrayToFillThrows() throws {
    struct Nested: Encodable {
      struct Inner: Encodable { var items: [Int] = [] }
      var inner = Inner()
    }
    struct Filled: Encodable { var items = [7] }
    #expect(throws: EncodingError.self) { try JSONOutput.data(Nested(), filling: "items", with: [1]) }
    #expect(throws: EncodingError.self) { try JSONOutput.data(Filled(), filling: "items", with: [1]) }
    #expect(throws: EncodingError.self) { try JSONOutput.data(Filled(), filling: "other", with: [1]) }
  }
}

/// Diagnostic codes are stable names: unique, documented, and read back from reports.
struct DiagnosticCodeTests {
  @Test func everyCodeIsUniqueWellFormedAndDocumented() throws {
    let codes = Diagnostic.Code.all.map(\.rawValue)
    #expect(Set(codes).count == codes.count)
    let docs = try String(
      contentsOf: Paths.root.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
    for code in codes {
      #expect(code.wholeMatch(of: /[a-z]+\.[a-z]+(-[a-z]+)*/) != nil, "\(code)")
      #expect(docs.contains("`\(code)`"), "docs/diagnostics.md does not list \(code)")
    }
  }

  @Test func aReportWrittenBeforeCodesReadsBack() throws {
    let old = #"{"severity": "warning", "source": "a.csv", "location": "3", "message": "odd"}"#
    let diagnostic = try JSONDecoder().decode(Diagnostic.self, from: Data(old.utf8))
    #expect(diagnostic.code == .unspecified)
    let now = try JSONDecoder().decode(Diagnostic.self, from: try JSONEncoder().encode(diagnostic))
    #expect(now == diagnostic)
  }

  @Test func theTerminalLineEndsWithTheCode() {
    let diagnostic = Diagnostic(.warning, .unknownStatus, source: "a.csv", location: "3", message: "unknown status 'x'")
    #expect(diagnostic.description == "a.csv:3: warning: unknown status 'x' [import.unknown-status]")
  }

  /// Importers and the resolver tag what they say: the same file gives the same codes.
  @Test func importersAndTheResolverTagTheirDiagnostics() throws {
    let catalog = TestCatalog.shared
    let evidence = try EvidenceLoader.load(
      [Paths.fixtures.appendingPathComponent("cklb/web01-overrides.cklb").path], options: ImportOptions(),
      catalog: catalog, cciList: nil)
    let codes = Set(evidence.diagnostics.map(\.code))
    #expect(codes.isSuperset(of: [.unknownStatus, .malformedEntry, .nothingToImport, .noCCIList, .unmapped]))
    #expect(!codes.contains(.unspecified))
  }
}
