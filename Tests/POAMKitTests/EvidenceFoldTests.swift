import Foundation
import Testing

@testable import POAMKit

/// Folding results as they are read: the report is the same whatever the order of the inputs
/// or the number of readers, it lists at most 20 pieces of evidence per requirement and counts
/// the rest, and every result reaches the evidence file.
struct EvidenceFoldTests {
  static let date = CalendarDate(year: 2025, month: 1, day: 15)!
  static let cciList = Paths.fixtures.appendingPathComponent("cci/U_CCI_List-excerpt.xml").path

  /// Fixtures of every kind of input, and `copies` copies of a STIG checklist, each for a host
  /// of its own (`host01`...): the copies give requirements with more evidence than a report lists.
  static func inputs(in directory: URL, copies: Int) throws -> [String] {
    let fixtures = [
      "ckl/two-stigs-bom-crlf.ckl", "ckl/stig-viewer-manual-review.ckl", "cklb/web01-overrides.cklb",
      "hdf/overlay-and-statuses.json", "xccdf/testresult-target-facts.xml", "oscal/cmmc-assessment-results.json",
      "poam/walkthrough/assessment.json", "assessments/level2-self-assessment.csv", "nessus/acas-scan.nessus",
    ].map { Paths.fixtures.appendingPathComponent($0).path }
    let checklist = try String(
      contentsOf: Paths.fixtures.appendingPathComponent("ckl/stig-viewer-manual-review.ckl"), encoding: .utf8)
    var copied: [String] = []
    for number in 1...copies {
      let host = String(format: "host%02d", number)
      let url = directory.appendingPathComponent("\(host).ckl")
      try checklist.replacingOccurrences(
        of: "<HOST_NAME>fileserver02</HOST_NAME>", with: "<HOST_NAME>\(host)</HOST_NAME>"
      )
      .write(to: url, atomically: true, encoding: .utf8)
      copied.append(url.path)
    }
    return fixtures + copied
  }

  /// The gap report's JSON and the evidence file's text for one way of reading the inputs.
  static func assess(_ inputs: [String], readers: Int, in directory: URL) throws -> (
    report: GapReport, json: Data, rows: String
  ) {
    var pipeline = ImportPipeline()
    pipeline.readers = readers
    let file = try EvidenceFile()
    let request = AssessmentRequest(
      inputs: inputs, cciList: cciList, gapOptions: GapOptions(level: .two, assessmentDate: date))
    let assessment = try AssessmentWorkflow.assess(
      request, catalog: TestCatalog.shared, pipeline: pipeline, evidenceFile: file)
    let url = directory.appendingPathComponent("evidence-\(UUID().uuidString).jsonl.gz")
    try file.assemble(to: url)
    let rows = try #require(EvidenceFile.text(of: try Data(contentsOf: url)))
    return (assessment.report, try assessment.report.jsonData(), rows)
  }

  @Test func theReportIsTheSameWhateverTheOrderOfTheInputsOrTheNumberOfReaders() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputs = try Self.inputs(in: directory, copies: 24)
    var generator = SplitMix64(seed: 16)
    let orders = [inputs, inputs.reversed(), inputs.shuffled(using: &generator), inputs.shuffled(using: &generator)]
    let first = try Self.assess(orders[0], readers: 1, in: directory)
    // The copies give more evidence than a report lists: the exemplars and their tie-breaks count.
    #expect(first.report.requirements.contains { $0.unlistedEvidence > 0 })
    #expect(first.rows.split(separator: "\n").count > 300)
    for (number, order) in orders.enumerated() {
      for readers in [1, 2, 3] where number > 0 || readers > 1 {
        let other = try Self.assess(order, readers: readers, in: directory)
        #expect(other.json == first.json, "order \(number), \(readers) readers: gap-report.json differs")
        #expect(other.rows == first.rows, "order \(number), \(readers) readers: the evidence file differs")
      }
    }
    // Runs of 7 results at a time within each input (the CSV and the scan read in batches of 7,
    // each folded on another thread while the next is read) give the same report and rows.
    let shortFile = try EvidenceFile()
    let (_, short) = try EvidenceLoader.fold(
      inputs, options: ImportOptions(), level: .two, runLength: 7, loadingCatalog: { TestCatalog.shared },
      cciList: Self.cciList, evidenceFile: shortFile)
    let engine = GapEngine(catalog: TestCatalog.shared, options: GapOptions(level: .two, assessmentDate: Self.date))
    let folded = try #require(short.folded)
    #expect(
      try engine.evaluate(folded.outcome, inputs: short.inputNames, diagnostics: short.diagnostics).jsonData()
        == first.json)
    let shortURL = directory.appendingPathComponent("evidence-short.jsonl.gz")
    try shortFile.assemble(to: shortURL)
    let shortRows = EvidenceFile.text(of: try Data(contentsOf: shortURL))
    #expect(shortRows == first.rows)
    // Folding as read gives what scoring every observation at once gives.
    let loaded = try EvidenceLoader.load(
      inputs.sorted { ImportPipeline.shownName($0) < ImportPipeline.shownName($1) }, options: ImportOptions(),
      catalog: TestCatalog.shared, cciList: Self.cciList)
    let whole = engine.evaluate(
      loaded.resolved.observations, inputs: loaded.inputNames, diagnostics: loaded.diagnostics)
    #expect(try whole.jsonData() == first.json)
  }

  @Test func aRequirementWithMoreThanTwentyResultsListsTheWorstTwentyAndCountsTheRest() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // 30 assessor rows on AC.L2-3.1.1[a], one per host: 25 MET, then 5 NOT MET.
    var csv = "Requirement,Objective,Status,Asset,Comments\n"
    for number in 1...30 {
      csv +=
        "AC.L2-3.1.1,a,\(number <= 25 ? "Implemented" : "Not Implemented"),\(String(format: "host%02d", number)),row \(number)\n"
    }
    let input = directory.appendingPathComponent("hosts.csv")
    try csv.write(to: input, atomically: true, encoding: .utf8)
    let out = directory.appendingPathComponent("out")
    let request = AnalyzeRequest(
      assessment: AssessmentRequest(
        inputs: [input.path], gapOptions: GapOptions(level: .two, assessmentDate: Self.date)),
      outputDirectory: out)
    let report = try AnalyzeWorkflow.run(request, catalog: TestCatalog.shared).assessment.report
    let result = try #require(report.requirements.first { $0.id == "AC.L2-3.1.1" })
    #expect(result.status == .notMet)
    #expect(result.evidence.count == 20)
    #expect(result.evidenceCount == 30 && result.unlistedEvidence == 10)
    // Worst first: the 5 NOT MET rows, then the first 15 MET rows in file order; listed in file order.
    #expect(result.evidence.filter { $0.status == .notMet }.count == 5)
    #expect(result.evidence.map(\.location) == (1...15).map { "line \($0 + 1)" } + (26...30).map { "line \($0 + 1)" })
    let summary = try #require(result.evidenceSummary)
    #expect(summary.byStatus == ["met": ["assessor": 25], "not-met": ["assessor": 5]])
    #expect(summary.assets == 30 && summary.assetsByStatus == ["met": 25, "not-met": 5])
    #expect(result.affectedAssets == ["host26", "host27", "host28", "host29", "host30"])
    #expect(result.affectedAssetCount == 5)
    #expect(report.evidenceFile == "evidence.jsonl.gz")
    let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(
      markdown.contains(
        "30 results on 30 assets; the worst 20 are listed in gap-report.json and 10 more are in evidence.jsonl.gz."))
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("10 more are in evidence.jsonl.gz"))
    let poam = try String(contentsOf: out.appendingPathComponent("poam.json"), encoding: .utf8)
    #expect(poam.contains("10 more are in evidence.jsonl.gz"))
    // The JSON carries the counts and says where the rest are.
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("gap-report.json")))
        as? [String: Any])
    #expect(json["evidence_file"] as? String == "evidence.jsonl.gz")
    let manifest = try Data(contentsOf: out.appendingPathComponent(".poam/manifest.json"))
    #expect(String(decoding: manifest, as: UTF8.self).contains("evidence.jsonl.gz"))
  }

  @Test func theEvidenceFileHoldsEveryResult() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputs = try Self.inputs(in: directory, copies: 3)
    let imported = try ImportPipeline().run(inputs)
    let (report, _, text) = try Self.assess(inputs, readers: 2, in: directory)
    var results = Set<String>()
    var scored = 0
    for line in text.split(separator: "\n") {
      let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(Set(row.keys) == Set(EvidenceRow.keys))
      results.insert("\(row["input"]!)#\(row["result"]!)")
      if !(row["requirement"] is NSNull) { scored += 1 }
    }
    // One result each observation `poam import` reads, and one row per requirement or
    // objective it reaches: as many as the report counts.
    #expect(results.count == imported.observations.count)
    #expect(scored == report.requirements.reduce(0) { $0 + $1.evidenceCount })
  }

  /// A gap on more assets than the report names: the first 100 by name, the count, and the
  /// POA&M's weakness says how many there are.
  @Test func aGapOnManyAssetsNamesTheFirstHundredAndCountsThemAll() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var csv = "Requirement,Status,Asset\n"
    for number in 1...120 { csv += "AC.L2-3.1.5,Not Implemented,\(String(format: "host%03d", number))\n" }
    let input = directory.appendingPathComponent("hosts.csv")
    try csv.write(to: input, atomically: true, encoding: .utf8)
    let request = AssessmentRequest(
      inputs: [input.path], gapOptions: GapOptions(level: .two, assessmentDate: Self.date))
    let report = try AssessmentWorkflow.assess(request, catalog: TestCatalog.shared).report
    let result = try #require(report.requirements.first { $0.id == "AC.L2-3.1.5" })
    #expect(result.affectedAssetCount == 120)
    #expect(result.affectedAssets == (1...100).map { String(format: "host%03d", $0) })
    let item = POAMDrafter(catalog: TestCatalog.shared).draftItem(result, date: Self.date)
    #expect(item.devicesAffected.count == 100 && item.devicesAffectedTotal == 120)
    #expect(
      POAMTable.devicesAffected(item.devicesAffected, total: item.devicesAffectedTotal).hasSuffix(
        "host100\nand 20 more (see evidence.jsonl.gz)"))
    #expect(
      item.weakness.contains(
        "It affects 120 assets; the POA&M names the first 100, and the evidence file names them all."
      ))
  }

  /// The evidence file is poam's record, not merged back: an edited one is kept beside the new one.
  @Test func anEditedEvidenceFileIsKeptBesideTheNewOne() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    let request = AnalyzeRequest(
      assessment: AssessmentRequest(
        inputs: [Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json").path],
        gapOptions: GapOptions(level: .two, assessmentDate: Self.date)),
      outputDirectory: out)
    _ = try AnalyzeWorkflow.run(request, catalog: TestCatalog.shared)
    let file = out.appendingPathComponent(EvidenceFile.fileName)
    let written = try Data(contentsOf: file)
    try Data("edited\n".utf8).write(to: file)
    let rerun = try AnalyzeWorkflow.run(request, catalog: TestCatalog.shared)
    #expect(try Data(contentsOf: file) == written)
    let kept = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains(".edited-") }
    #expect(kept.count == 1 && kept[0].hasPrefix("evidence.jsonl.edited-"))
    #expect(try Data(contentsOf: out.appendingPathComponent(kept[0])) == Data("edited\n".utf8))
    #expect(rerun.summary.changes.diagnostics.contains { $0.code == .keptCopy })
  }

  @Test func aGapReportWithoutSummariesStillReads() throws {
    let path = Paths.fixtures.appendingPathComponent("check/gap-report-without-summary.json").path
    let report = try BaselineLoader(catalog: TestCatalog.shared).decodeGapReport(
      Data(contentsOf: URL(fileURLWithPath: path)), path: path)
    #expect(report.evidenceFile == nil)
    let gap = try #require(report.requirements.first { $0.status == .notMet })
    #expect(gap.evidenceSummary == nil)
    #expect(gap.evidenceCount == gap.evidence.count && gap.unlistedEvidence == 0)
    #expect(gap.affectedAssetCount == gap.affectedAssets.count)
  }
}

/// The evidence file's JSON strings read back as the text that was written.
struct EvidenceRowEscapeTests {
  @Test func everyKindOfCharacterRoundTrips() throws {
    let samples = [
      "", "plain", "say \"no\"", #"C:\path\file"#, "tab\there\nline\rret", "\u{01}\u{1F}\u{7F}end",
      "é — 中文 🔒", String(repeating: "long run of text ", count: 200) + "\"",
    ]
    for sample in samples {
      var out: [UInt8] = []
      EvidenceRow.escape(sample, into: &out)
      let decoded = try JSONDecoder().decode(String.self, from: Data(out))
      #expect(decoded == sample)
      #expect(!out.dropFirst().dropLast().contains { $0 < 0x20 })
    }
  }
}
