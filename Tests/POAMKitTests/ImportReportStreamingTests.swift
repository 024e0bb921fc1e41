import Foundation
import Testing

@testable import POAMKit

/// `poam import --format json` streams its JSON one observation at a time; the bytes must be
/// those of the whole-document encoding.
@Suite struct ImportReportStreamingTests {
  static func report(_ inputs: [String], level: CMMCLevel? = nil) throws -> ImportReport {
    let catalog = TestCatalog.shared
    let cciList = Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml").path
    let evidence = try EvidenceLoader.load(
      inputs, options: ImportOptions(keepGoing: true), catalog: catalog,
      cciList: FileManager.default.fileExists(atPath: cciList) ? cciList : nil)
    return ImportReport(imported: evidence.imported, resolved: evidence.resolved, catalog: catalog, level: level)
  }

  static func streamed(_ report: ImportReport, chunkSize: Int) throws -> (text: String, chunks: Int) {
    var bytes = Data()
    var chunks = 0
    try report.writeJSON(chunkSize: chunkSize) { piece in
      bytes.append(piece)
      chunks += 1
    }
    return (String(decoding: bytes, as: UTF8.self), chunks)
  }

  @Test(arguments: [
    ["poam/walkthrough/assessment.json"],
    ["assessments/level2-conditional.csv", "assessments/level3-assessment.json"],
    ["ckl", "xccdf"],
    ["bad/zero-byte.csv"],
  ])
  func streamedBytesEqualTheWholeDocument(_ names: [String]) throws {
    let inputs = names.map { Paths.fixtures.appendingPathComponent($0).path }
    for level in [nil, CMMCLevel.one] {
      let report = try Self.report(inputs, level: level)
      let whole = try report.json()
      for chunkSize in [1, 4096, 1 << 20] {
        let (text, chunks) = try Self.streamed(report, chunkSize: chunkSize)
        #expect(text == whole, "\(names) level \(String(describing: level)) chunk \(chunkSize)")
        if chunkSize == 1 { #expect(chunks >= report.observations.count) }
      }
    }
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func streamedBytesEqualTheWholeDocumentOnTheSamples() throws {
    let samples = Paths.sharedFile("samples")
    let report = try Self.report([samples.path])
    #expect(report.observations.count > 500)
    #expect(try Self.streamed(report, chunkSize: 1 << 16).text == report.json())
  }
}
