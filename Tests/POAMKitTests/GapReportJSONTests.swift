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
    let report = GapEngine(catalog: catalog, options: GapOptions(level: .two, assessmentDate: GapFixture.date))
      .evaluate(evidence.resolved.observations, inputs: evidence.inputNames, diagnostics: evidence.diagnostics)
    #expect(report.requirements.contains { $0.evidence.count > 20 })
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
