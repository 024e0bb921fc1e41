import Foundation
import Testing

@testable import POAMKit

/// A CSV read a row at a time and handed over in batches gives what reading it whole gives.
struct CSVBatchTests {
  /// What reading a file whole gives: its rows split first, then the table read from the rows.
  static func whole(_ input: InputFile) -> Result<ImportResult, ImportError> {
    Result {
      let text = try CSVImporter.decode(try input.readAll(), file: input.displayName)
      let rows = try DelimitedText.parse(text, delimiter: DelimitedText.sniff(text), limits: .current)
      return try TabularAssessment(source: input.displayName).read(
        rows.map { TabularAssessment.Row(number: $0.line, cells: $0.cells) })
    }.mapError { error in
      switch error {
      case let error as ImportError: return error
      case let error as UnterminatedQuote:
        return .malformed(
          file: input.displayName, line: error.line, column: error.column,
          expected: "a closing double quote for the field opened here; the file ends inside it")
      default: return .unreadable(file: input.displayName, reason: "\(error)")
      }
    }
  }

  /// Reads in batches of `size`: the batches in order, then the rest, and how many batches came.
  static func batched(_ input: InputFile, size: Int) -> (result: Result<ImportResult, ImportError>, batches: [Int]) {
    var observations: [Observation] = []
    var batches: [Int] = []
    let result = Result {
      var rest = try CSVImporter().read(input, options: ImportOptions(), batchSize: size) { batch in
        batches.append(batch.count)
        observations += batch
      }
      rest.observations = observations + rest.observations
      return rest
    }.mapError { $0 as? ImportError ?? .unreadable(file: input.displayName, reason: "\($0)") }
    return (result, batches)
  }

  @Test(
    arguments: [
      "csv/assessor-banner.csv", "csv/stig-viewer-checklist.csv", "csv/semicolon.csv", "csv/utf16le.csv",
      "csv/utf8-bom-crlf.csv", "csv/formula-injection.csv", "assessments/level2-self-assessment.csv",
      "assessments/level3-assessment.csv", "bad/missing-id.csv", "bad/points-1e300.csv", "bad/missing-status.csv",
      "bad/unterminated-quote.csv", "bad/whitespace-only.csv", "bad/zero-byte.csv",
    ])
  func batchesGiveTheSameObservationsAndDiagnosticsAsAWholeRead(_ name: String) throws {
    let input = CSVImporterTests.fixture(name)
    let expected = Self.whole(input)
    for size in [1, 2, 3, 7, EvidenceLoader.runLength] {
      let (got, batches) = Self.batched(input, size: size)
      switch (expected, got) {
      case (.success(let want), .success(let have)):
        #expect(have.observations == want.observations, "\(name), batches of \(size)")
        #expect(have.diagnostics == want.diagnostics, "\(name), batches of \(size)")
        #expect(batches == Array(repeating: size, count: want.observations.count / size))
      case (.failure(let want), .failure(let have)):
        #expect(have == want, "\(name), batches of \(size)")
      default:
        Issue.record(
          "\(name), batches of \(size): \(String(describing: got)) but a whole read gives \(String(describing: expected))"
        )
      }
    }
    // The importer's own whole read agrees too.
    let importer = Result { try CSVImporter().read(input) }.mapError {
      $0 as? ImportError ?? .unreadable(file: name, reason: "\($0)")
    }
    #expect(importer.map(\.observations) == expected.map(\.observations))
  }

  /// The fixtures above cover banner rows before the header, blank rows and bad rows.
  @Test func theFixturesHaveBannersBlankRowsAndBadRows() throws {
    let banner = try Self.whole(CSVImporterTests.fixture("csv/assessor-banner.csv")).get()
    #expect(banner.diagnostics.contains { $0.message.hasPrefix("header row found after") })
    let all = try [
      "csv/assessor-banner.csv", "assessments/level2-self-assessment.csv", "assessments/level3-assessment.csv",
      "csv/stig-viewer-checklist.csv",
    ].map { try Self.whole(CSVImporterTests.fixture($0)).get() }
    #expect(
      all.contains {
        $0.diagnostics.contains {
          $0.message.hasPrefix("skipped") && $0.message.hasSuffix("blank row") || $0.message.hasSuffix("blank rows")
        }
      })
    #expect(all.contains { $0.diagnostics.contains { $0.code == .noReferences } })
  }

  @Test func aTableLongerThanABatchIsHandedOverInSeveralBatchesAsItIsRead() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var csv = "CMMC Level 2 self-assessment\n\nRequirement,Objective,Status,Asset\n"
    // Past the rows held for the header search, so that batches go out while the rows are read.
    for number in 1...250 { csv += "AC.L2-3.1.1,a,\(number % 3 == 0 ? "Not Met" : "Met"),host\(number)\n" }
    csv += "\nAC.L2-3.1.2,,Bogus,host1\n"
    let url = directory.appendingPathComponent("long.csv")
    try csv.write(to: url, atomically: true, encoding: .utf8)
    let input = InputFile(displayName: "long.csv", content: .file(url))
    // Batches go out while the file is read: a quote left open on the last line is found
    // after they have.
    let open = directory.appendingPathComponent("open.csv")
    try (csv + "AC.L2-3.1.3,,Met,\"host\n").write(to: open, atomically: true, encoding: .utf8)
    let broken = Self.batched(InputFile(displayName: "open.csv", content: .file(open)), size: 4)
    #expect(broken.batches == Array(repeating: 4, count: 62))
    #expect(throws: ImportError.self) { try broken.result.get() }
    let (got, batches) = Self.batched(input, size: 4)
    #expect(batches == Array(repeating: 4, count: 62))
    let result = try got.get()
    #expect(result.observations.count == 251)
    #expect(result.observations.map(\.line) == Array(4...253).map { Optional($0) } + [255])
    let whole = try Self.whole(input).get()
    #expect(result.observations == whole.observations && result.diagnostics == whole.diagnostics)
    #expect(result.diagnostics.contains { $0.code == .unknownStatus })

    // Folded in runs of 4: the same report and evidence file as one run, and a CSV that fails
    // part way under --keep-going leaves none of its batches behind.
    try "Requirement,Status,Points\n".appending(String(repeating: "AC.L2-3.1.1,Met,\n", count: 9))
      .appending("IA.L2-3.5.3,Not Met,1e300\n").write(
        to: directory.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
    func fold(_ names: [String], runLength: Int) throws -> (json: Data, rows: String, failures: Int) {
      let file = try EvidenceFile()
      let options = ImportOptions(keepGoing: true)
      let (_, evidence) = try EvidenceLoader.fold(
        names.map { directory.appendingPathComponent($0).path }, options: options, level: .two, runLength: runLength,
        loadingCatalog: { TestCatalog.shared }, evidenceFile: file)
      let engine = GapEngine(
        catalog: TestCatalog.shared, options: GapOptions(level: .two, assessmentDate: EvidenceFoldTests.date))
      let folded = try #require(evidence.folded)
      let report = engine.evaluate(folded.outcome, inputs: evidence.inputNames, diagnostics: [])
      let out = directory.appendingPathComponent("evidence-\(UUID().uuidString).jsonl.gz")
      try file.assemble(to: out)
      return (
        try report.jsonData(), try #require(EvidenceFile.text(of: try Data(contentsOf: out))),
        evidence.imported.failures.count
      )
    }
    let one = try fold(["long.csv"], runLength: 1_000)
    let runs = try fold(["long.csv"], runLength: 4)
    #expect(runs.json == one.json)
    #expect(runs.rows == one.rows)
    #expect(runs.rows.split(separator: "\n").count >= 26)
    let failing = try fold(["bad.csv", "long.csv"], runLength: 4)
    #expect(failing.failures == 1)
    #expect(failing.rows == one.rows)
    #expect(failing.json == one.json)
  }
}
