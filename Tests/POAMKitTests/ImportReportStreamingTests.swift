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
    // A bad file beside a good one (a run in which every input is skipped exits 2: no inputs found).
    ["bad/zero-byte.csv", "assessments/level2-conditional.csv"],
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

  /// The hand-written entry writer against `JSONEncoder` on strings that need escaping, every
  /// optional field present or absent, empty and nested lists.
  @Test func entriesWithHostileStringsAreWrittenAsTheEncoderWritesThem() throws {
    var strings = [
      "", "plain", "quote \" and backslash \\", "slash / and </tag>", "tab\tnew\nline\rcr", "\u{08}\u{0C}",
      "\u{00}\u{01}\u{1F}\u{7F}", "é ü 漢字 🙂", "\u{2028}\u{2029}", "&amp; <b>", "trailing space ", "\\u0041",
    ]
    strings += (0..<32).map { String(UnicodeScalar(UInt8($0))) + "x" }
    var entries: [ImportReport.Entry] = []
    for (index, text) in strings.enumerated() {
      let observation = Observation(
        source: text, location: "row \(index)", line: index % 3 == 0 ? nil : index,
        asset: index % 4 == 0
          ? nil
          : Asset(
            hostName: index % 2 == 0 ? text + "h" : nil, ip: "10.0.0.\(index)",
            fqdn: index % 3 == 0 ? "x.\(index)" : nil),
        producer: index % 5 == 0 ? nil : Producer(tool: text + "t", version: index % 2 == 0 ? nil : "1.\(index)"),
        kind: index % 2 == 0 ? .assessor : .automated,
        refs: index % 6 == 0 ? [] : [Reference(.cci, "CCI-000015"), Reference(.other, text)], rawStatus: text,
        status: index % 7 == 0 ? nil : .notMet, severity: index % 2 == 0 ? text : nil,
        title: index % 3 == 0 ? nil : text, details: index % 2 == 0 ? nil : text, comments: index % 4 == 1 ? text : nil,
        partialPoints: index % 5 == 1 ? 3 : nil)
      let targets: [RequirementTarget] =
        index % 3 == 0
        ? [] : [RequirementTarget(requirement: "AC.L2-3.1.1", objective: index % 2 == 0 ? "a" : nil, via: .direct)]
      entries.append(ImportReport.Entry(observation: observation, targets: targets))
    }
    let encoder = JSONOutput.encoder()
    for entry in entries {
      let expected = String(decoding: try encoder.encode(entry), as: UTF8.self)
      var bytes: [UInt8] = []
      ImportEntryJSON.append(entry, indent: 0, to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(entry.observation.source.debugDescription)")
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
