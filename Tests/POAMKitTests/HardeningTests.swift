import Foundation
import GRDB
import Testing
import ZIPFoundation

@testable import POAMKit

/// Issue 17, "Hold under attack": one crafted value never traps, small files never do
/// unbounded work, control characters never reach a terminal or a report. Each test is a
/// reproduction of an attack that crashed, hung or exhausted memory before the fix.
struct HardeningTests {
  static func fixture(_ name: String) -> InputFile {
    InputFile(displayName: "Fixtures/\(name)", content: .file(Paths.fixtures.appendingPathComponent(name)))
  }

  static func csv(_ text: String, name: String = "attack.csv") -> InputFile {
    InputFile(displayName: name, content: .data(Data(text.utf8)))
  }

  /// Runs `body` with one limit changed.
  static func with<T>(_ name: ResourceLimits.Name, _ value: Int, _ body: () throws -> T) rethrows -> T {
    var limits = ResourceLimits.standard
    limits[name] = value
    return try ResourceLimits.$current.withValue(limits, operation: body)
  }

  static func expectLimit(_ name: ResourceLimits.Name, _ body: () throws -> Void) {
    do {
      try body()
      Issue.record("expected the \(name.rawValue) limit to stop the input")
    } catch {
      let message = error.localizedDescription
      #expect(message.contains("limit \(name.rawValue)"), "\(message)")
      #expect(message.contains("--limit \(name.rawValue)=N"), "\(message)")
    }
  }

  // MARK: - Crashes from one value

  @Test(arguments: ["bad/points-1e300.csv", "bad/points-int-min.csv", "bad/points-9.3e18.csv"])
  func aHugePointsCellIsAnErrorWithItsLine(name: String) throws {
    let file = Self.fixture(name)
    let error = #expect(throws: ImportError.self) { try CSVImporter().read(file) }
    guard case .malformed(_, let line, _, let expected)? = error else {
      Issue.record("expected a malformed-input error, got \(String(describing: error))")
      return
    }
    #expect(line == (name == "bad/points-1e300.csv" ? 3 : 2))
    #expect(expected.contains("a whole number of points from -1000 to 1000"))
  }

  @Test func ordinaryPointsStillRead() {
    #expect(TabularAssessment.points("3") == 3)
    #expect(TabularAssessment.points("-5") == 5)
    #expect(TabularAssessment.points("3.0") == 3)
    #expect(TabularAssessment.points("Yes") == nil)
    #expect(TabularAssessment.pointsOutOfRange("1e300"))
    #expect(TabularAssessment.pointsOutOfRange("-9223372036854775808"))
    #expect(!TabularAssessment.pointsOutOfRange("1000"))
  }

  static func workbook(sheet: String, extraSheets: Int = 0, sharedStrings: String? = nil) throws -> Data {
    var parts = XLSXWorkbookTests.workbookParts(date1904: false)
    for index in parts.indices {
      switch parts[index].0 {
      case "xl/worksheets/sheet1.xml":
        parts[index].1 = XLSXWorkbookTests.part(
          "<worksheet xmlns=\"\(XLSXWorkbookTests.main)\"><sheetData>\(sheet)</sheetData></worksheet>")
      case "xl/sharedStrings.xml" where sharedStrings != nil:
        parts[index].1 = XLSXWorkbookTests.part(sharedStrings!)
      case "xl/workbook.xml" where extraSheets > 0:
        let entries = (0..<extraSheets).map { "<sheet name=\"Copy\($0)\" sheetId=\"\($0 + 3)\" rel:id=\"rId1\"/>" }
        parts[index].1 = XLSXWorkbookTests.part(
          """
          <workbook xmlns="\(XLSXWorkbookTests.main)" xmlns:rel="\(XLSXWorkbookTests.relationships)">\
          <sheets><sheet name="Assessment" sheetId="1" rel:id="rId1"/>\(entries.joined())</sheets></workbook>
          """)
      default: break
      }
    }
    return try XLSXWorkbookTests.zip(parts)
  }

  @Test func aRowNumberNearIntMaxIsAnError() throws {
    let data = try Self.workbook(
      sheet: #"<row r="9223372036854775807"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#)
    let workbook = try XLSXWorkbook(data: data, displayName: "rows.xlsx")
    let error = #expect(throws: ImportError.self) { try workbook.sheets() }
    #expect(error?.localizedDescription.contains("a row number r from 1 to 1048576") == true)
  }

  @Test func aGapReportScoreNearIntMaxIsAnErrorNotATrap() throws {
    for value in [Int.max, Int.min, 1_000_001] {
      var report = HandReports.make(score: 100, status: .conditional, statuses: [:])
      report.score = value
      let data = try JSONEncoder().encode(report)
      let error = #expect(throws: BaselineError.self) {
        try BaselineLoader(catalog: nil).load(data: data, path: "baseline.json")
      }
      #expect(error?.localizedDescription.contains("score") == true)
      #expect(error?.localizedDescription.contains("-1000000 to 1000000") == true)
    }
  }

  @Test func aHistoryScoreNearIntMaxIsAnErrorNotATrap() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: directory.appendingPathComponent("history.sqlite").path)
    var report = HandReports.make(score: 100, status: .conditional, statuses: [:])
    report.score = Int.max
    try store.record(HistoryRun(report: report, command: "analyze", inputs: []))
    let error = #expect(throws: HistoryError.self) { try store.runs() }
    #expect(error?.localizedDescription.contains("score") == true)
  }

  // MARK: - Unbounded work

  @Test func severalSheetEntriesNamingOnePartReadItOnce() throws {
    let data = try Self.workbook(
      sheet: #"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#, extraSheets: 39)
    let workbook = try XLSXWorkbook(data: data, displayName: "forty.xlsx")
    #expect(workbook.sheetNames.count == 40)
    #expect(try workbook.sheets().count == 1)
  }

  @Test func farColumnsAreBoundedPerRowAndPerTable() throws {
    let rows = (1...20).map { #"<row r="\#($0)"><c r="XFD\#($0)" t="inlineStr"><is><t>x</t></is></c></row>"# }
    let data = try Self.workbook(sheet: rows.joined())
    let workbook = try XLSXWorkbook(data: data, displayName: "xfd.xlsx")
    Self.expectLimit(.tableCells) { try Self.with(.tableCells, 100_000) { _ = try workbook.sheets() } }
    Self.expectLimit(.cellsPerRow) { try Self.with(.cellsPerRow, 1_000) { _ = try workbook.sheets() } }
    // The defaults read it: 20 rows of 16,384 cells is a real (if odd) sheet.
    #expect(try workbook.sheets().first?.rows.count == 20)
  }

  @Test func aSharedStringAssembledFromRunsIsBounded() throws {
    let run = String(repeating: "a", count: 200_000)
    let runs = String(repeating: "<r><t>\(run)</t></r>", count: 51)
    let data = try Self.workbook(
      sheet: "", sharedStrings: "<sst xmlns=\"\(XLSXWorkbookTests.main)\"><si>\(runs)</si></sst>")
    let error = #expect(throws: ImportError.self) { try XLSXWorkbook(data: data, displayName: "runs.xlsx") }
    #expect(error?.localizedDescription.contains("at most 10000000 bytes") == true)
  }

  @Test func archivesCountInflatedBytesAcrossTheRun() throws {
    let path = Paths.fixtures.appendingPathComponent("zip/inflates-3MiB.zip").path
    Self.expectLimit(.inflatedBytes) {
      try Self.with(.inflatedBytes, 1 << 20) { _ = try ImportPipeline().run([path]) }
    }
  }

  @Test func standardInputIsBounded() throws {
    let result = try CLI.run(
      ["gaps", "-", "--assessment-date", "2025-01-15", "--limit", "stdin-bytes=1K"],
      stdin: Data(repeating: 0, count: 5000))
    #expect(result.status == 2)
    #expect(result.stderr.contains("standard input exceeds the limit stdin-bytes (1024 bytes)"))
    #expect(result.stderr.contains("--limit stdin-bytes=N"))
  }

  @Test func aBadLimitOptionIsAUsageError() throws {
    let result = try CLI.run(["gaps", "x.csv", "--limit", "table-rows=lots"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--limit table-rows expects a whole number of rows"))
  }

  @Test func limitValuesTakeBinarySuffixes() throws {
    var limits = ResourceLimits.standard
    try limits.apply("table-bytes=64K")
    try limits.apply("INFLATED-BYTES = 2G")
    #expect(limits[.tableBytes] == 65_536)
    #expect(limits[.inflatedBytes] == 2 << 30)
    #expect(throws: LimitError.self) { try limits.apply("table-rows=0") }
    #expect(throws: LimitError.self) { try limits.apply("table-rows=99999999999999999999G") }
  }

  @Test func csvTablesAreBoundedInRowsCellsAndBytes() throws {
    let text = "Requirement,Status\n" + String(repeating: "AC.L2-3.1.1,Met\n", count: 10)
    Self.expectLimit(.tableRows) { try Self.with(.tableRows, 5) { _ = try CSVImporter().read(Self.csv(text)) } }
    Self.expectLimit(.tableCells) { try Self.with(.tableCells, 9) { _ = try CSVImporter().read(Self.csv(text)) } }
    Self.expectLimit(.tableBytes) { try Self.with(.tableBytes, 100) { _ = try CSVImporter().read(Self.csv(text)) } }
    let wide = "Requirement,Status" + String(repeating: ",x", count: 50) + "\nAC.L2-3.1.1,Met\n"
    Self.expectLimit(.cellsPerRow) {
      try Self.with(.cellsPerRow, 20) { _ = try CSVImporter().read(Self.csv(wide)) }
    }
    #expect(try CSVImporter().read(Self.csv(text)).observations.count == 10)
  }

  /// 100,000 quoted fields on one line took 40 s: the column was recounted from the line start
  /// for every field. Linear now (well under a second in a debug build).
  @Test func manyQuotedFieldsOnOneLineAreLinear() throws {
    let line = Array(repeating: "\"é\"", count: 100_000).joined(separator: ",")
    let start = Date()
    let rows = try DelimitedText.parse(line + "\n", delimiter: ",")
    #expect(rows.first?.cells.count == 100_000)
    _ = DelimitedText.sniff(line)
    #expect(Date().timeIntervalSince(start) < 10)
    // The column of an unterminated quote is still exact.
    #expect(throws: UnterminatedQuote(line: 1, column: 400_001)) {
      try DelimitedText.parse(line + ",\"open", delimiter: ",")
    }
  }

  /// The sniffer and header detection look at a bounded prefix even when the first row never ends.
  @Test func detectionOnOneHugeLineReadsAPrefix() {
    let line = String(repeating: "abc,", count: 2_000_000)
    let start = Date()
    #expect(DelimitedText.parsePrefix(line, delimiter: ",", byteLimit: 64 * 1024).isEmpty)
    _ = DelimitedText.sniff(line)
    #expect(!TabularAssessment.hasHeaderRow(line))
    #expect(Date().timeIntervalSince(start) < 10)
  }

  /// One long shared string on every row made the header search run for minutes.
  @Test func theHeaderSearchSkipsLongCells() throws {
    let long = String(repeating: "Status ", count: 300_000)
    let rows = (1...200).map { TabularAssessment.Row(number: $0, cells: [long, long, long]) }
    let start = Date()
    #expect(TabularAssessment(source: "long").findHeader(rows) == nil)
    #expect(Date().timeIntervalSince(start) < 10)
  }

  @Test func yamlAnchorsAndAliasesAreRefusedBeforeParsing() throws {
    let catalog = TestCatalog.shared
    let bomb = "a: &a [x, x]\nb: &b [*a, *a]\n*b : Jane\n"
    let error = #expect(throws: OwnersError.self) { try Owners.parse(bomb, file: "owners.yml", catalog: catalog) }
    #expect(error?.line == 1)
    #expect(error?.localizedDescription.contains("anchors and aliases") == true)
    #expect(Owners.firstAnchorOrAlias("AC: R&D team\nIA: 'Jane *Doe'\nSC: Jane *Doe # *x\n") == nil)
    #expect(Owners.firstAnchorOrAlias("AC: Jane\nIA: *jane\n") == 2)
    #expect(Owners.firstAnchorOrAlias("- &x AC\n") == 1)
  }

  @Test func diagnosticsAreCutWithAnEllipsis() {
    let diagnostic = Diagnostic(
      .warning, .unspecified, source: "a.csv", message: "rule " + String(repeating: "R", count: 9_000_000))
    #expect(diagnostic.message.count == 1_000)
    #expect(diagnostic.message.hasSuffix("…"))
    let error = ImportError.unsupported(file: "a.csv", reason: String(repeating: "x", count: 50_000))
    #expect(error.localizedDescription.count == 1_000)
  }

  @Test func aCKLWithALargeInternalDTDIsDetectedAndRead() throws {
    let file = Self.fixture("limits/large-internal-dtd.ckl")
    #expect(FormatDetector.detect(try file.prefix(FormatDetector.prefixLength)) == .format(.ckl))
    let plain = try CKLImporter().read(Self.fixture("ckl/two-stigs-bom-crlf.ckl"))
    let result = try CKLImporter().read(file)
    #expect(result.observations.count == plain.observations.count)
    #expect(!result.observations.isEmpty)
  }

  // MARK: - Terminal and file hygiene

  @Test func controlCharactersNeverReachTerminalsOrReports() throws {
    let result = try CSVImporter().read(Self.fixture("bad/control-characters.csv"))
    #expect(result.observations.first?.comments == "]0;ownedreviewed[2J\tby Zoë")
    #expect(CSVText.field("a\u{1B}[31mb\u{07}") == "a[31mb")
    #expect(Markdown.escape("x\u{9B}y\u{7F}") == "xy")
    #expect(ControlCharacters.strip("keep\ttab\nand\r\nbreaks") == "keep\ttab\nand\r\nbreaks")
    #expect(ControlCharacters.strip("one\tline\n", keepingLayout: false) == "oneline")
    #expect(
      InputFile(displayName: "evil\u{1B}]0;x\u{07}.csv", content: .data(Data())).displayName
        == "evil\u{FFFD}]0;x\u{FFFD}.csv")
    let gaps = try CLI.run([
      "gaps", Self.fixture("bad/control-characters.csv").path!, "--assessment-date", "2025-01-15",
    ])
    #expect(gaps.status == 0)
    #expect(!gaps.stdout.contains("\u{1B}") && !gaps.stderr.contains("\u{1B}") && !gaps.stdout.contains("\u{07}"))
  }

  @Test func assessmentDatesOutsideOSCALsRangeAreRefused() throws {
    for text in ["9999-12-31", "2999-07-05", "1899-12-31"] {
      let error = #expect(throws: InvalidDate.self) { try CalendarDate.validated(text, field: "--assessment-date") }
      #expect(error?.outOfRange == true)
    }
    #expect(try CalendarDate.validated("2999-07-04", field: "--assessment-date").iso == "2999-07-04")
    #expect(try CalendarDate.validated("1900-01-01", field: "--assessment-date").iso == "1900-01-01")
    let result = try CLI.run(
      ["gaps", Self.fixture("csv/semicolon.csv").path!, "--assessment-date", "9999-12-31"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("expected a date from 1900-01-01 to 2999-07-04"))
  }
}

/// Crashes the fuzz targets found (docs/fuzzing.md); each input is in `Fixtures/bad/`.
struct FuzzFindingTests {
  /// FuzzXLSX, 17 inputs in: a central directory pointing past the end of the bytes made
  /// ZIPFoundation's in-memory archive trap ("Range requires lowerBound <= upperBound") for an
  /// XLSX from standard input, a `--prior` workbook and every ZIP input.
  @Test func aZIPWhoseOffsetsPointPastTheEndIsAnError() throws {
    let url = Paths.fixtures.appendingPathComponent("bad/zip-offset-past-end.xlsx")
    let data = try Data(contentsOf: url)
    #expect(ZIPBounds.problem(in: data) == "its central directory lies outside the file")
    let error = #expect(throws: ImportError.self) { try XLSXWorkbook(data: data, displayName: "prior.xlsx") }
    #expect(error?.localizedDescription.contains("its central directory lies outside the file") == true)
    let archive = InputFile(displayName: "scans.zip", content: .data(data))
    #expect(throws: ImportError.self) { try ArchiveReader.members(of: archive) }
  }

  @Test func wellFormedArchivesPassTheBoundsCheck() throws {
    for name in ["zip/checklists.zip", "zip/inflates-3MiB.zip", "xlsx/level2-conditional.xlsx"] {
      let data = try Data(contentsOf: Paths.fixtures.appendingPathComponent(name))
      #expect(ZIPBounds.problem(in: data) == nil, "\(name)")
    }
    let workbook = try HardeningTests.workbook(sheet: "")
    #expect(ZIPBounds.problem(in: workbook) == nil)
    #expect(ZIPBounds.problem(in: Data("PK\u{5}\u{6}".utf8)) == "it is too short to be a ZIP archive")
    // Every truncation of a real archive is an error, never a trap.
    for cut in stride(from: 0, to: workbook.count, by: 97) {
      _ = ZIPBounds.problem(in: workbook.prefix(cut))
      _ = try? XLSXWorkbook(data: workbook.prefix(cut), displayName: "cut.xlsx")
    }
  }
}

/// ZIP members are inflated by poam itself (``ZIPContainer``), each from its own bytes with its
/// output capped at its declared size: found by FuzzXLSX in a 90-second run.
struct ZIPMemberTests {
  static let neverEnds = Paths.fixtures.appendingPathComponent("bad/zip-deflate-never-ends.xlsx")

  /// A deflated member whose stream does not end inside its bytes (`xl/worksheets/sheet2.xml`
  /// of this 6.7 KB workbook; a truncated download looks the same) made ZIPFoundation 0.9.20
  /// loop forever on Linux: its zlib loop ignored the member's compressed size, read on to the
  /// end of the archive and then spun on empty reads (`Data.decode` in Data+Compression.swift).
  @Test func aDeflateStreamThatNeverEndsIsAnError() throws {
    let workbook = try XLSXWorkbook(path: Self.neverEnds.path)
    let error = #expect(throws: ImportError.self) { try workbook.sheets() }
    let message = error?.localizedDescription ?? ""
    #expect(message.contains("zip-deflate-never-ends.xlsx:xl/worksheets/sheet2.xml"), "\(message)")
    #expect(message.contains("ends before the stream does"), "\(message)")
  }

  /// The same bytes through every way poam reads a ZIP: an XLSX input, standard input, a `.zip`
  /// archive of inputs and a `--prior` workbook: exit 2 naming the archive and member, no hang.
  @Test func everyWayInReportsTheMemberAndExitsTwo() throws {
    let data = try Data(contentsOf: Self.neverEnds)
    let archive = InputFile(displayName: "scans.zip", content: .data(data))
    let error = #expect(throws: ImportError.self) { try ArchiveReader.members(of: archive) }
    #expect(error?.localizedDescription.contains("scans.zip:xl/worksheets/sheet2.xml") == true)
    let date = ["--assessment-date", "2025-01-15"]
    let file = try CLI.run(["gaps", Self.neverEnds.path] + date)
    #expect(file.status == 2, "\(file.stderr)")
    #expect(file.stderr.contains("zip-deflate-never-ends.xlsx:xl/worksheets/sheet2.xml"), "\(file.stderr)")
    let stdin = try CLI.run(["gaps", "-"] + date, stdin: data)
    #expect(stdin.status == 2, "\(stdin.stderr)")
    #expect(stdin.stderr.contains("xl/worksheets/sheet2.xml"), "\(stdin.stderr)")
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path
    let prior = try CLI.run(
      [
        "analyze", Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json").path, "--out", out,
        "--prior", Self.neverEnds.path,
      ] + date)
    #expect(prior.status == 2, "\(prior.stderr)")
    #expect(prior.stderr.contains("zip-deflate-never-ends.xlsx"), "\(prior.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out + "/poam.csv"))
  }

  /// One deflated member, `data.csv`, with its central directory's fields patched: the offset of
  /// the central directory entry and the archive.
  static func archive(_ text: String) throws -> (Data, Int) {
    let data = try XLSXWorkbookTests.zip([("data.csv", Data(text.utf8))])
    let signature = Data([0x50, 0x4B, 0x01, 0x02])
    let entry = try #require(data.range(of: signature)).lowerBound
    return (data, entry)
  }

  static func patch(_ data: inout Data, at offset: Int, _ value: UInt32) {
    for byte in 0..<4 { data[offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byte))) }
  }

  static func read(_ data: Data) throws -> [InputFile] {
    try ArchiveReader.members(of: InputFile(displayName: "scans.zip", content: .data(data)))
  }

  static let table = "Requirement,Status\n" + String(repeating: "AC.L2-3.1.1,Met\n", count: 2_000)

  @Test func aMemberThatInflatesPastItsDeclaredSizeIsAnError() throws {
    var (data, entry) = try Self.archive(Self.table)
    Self.patch(&data, at: entry + 24, 1_000)
    let error = #expect(throws: ImportError.self) { try Self.read(data) }
    #expect(error?.localizedDescription.contains("scans.zip:data.csv") == true)
    #expect(error?.localizedDescription.contains("inflates past its declared 1000 bytes") == true)
  }

  @Test func aMemberWhoseDataIsCutShortIsAnError() throws {
    var (data, entry) = try Self.archive(Self.table)
    let compressed = Int(data[entry + 20]) | Int(data[entry + 21]) << 8
    Self.patch(&data, at: entry + 20, UInt32(compressed / 2))
    let error = #expect(throws: ImportError.self) { try Self.read(data) }
    #expect(error?.localizedDescription.contains("scans.zip:data.csv") == true)
    #expect(error?.localizedDescription.contains("ends before the stream does") == true)
  }

  @Test func aMemberWithAWrongChecksumIsAnError() throws {
    var (data, entry) = try Self.archive(Self.table)
    Self.patch(&data, at: entry + 16, 0xDEAD_BEEF)
    let error = #expect(throws: ImportError.self) { try Self.read(data) }
    #expect(error?.localizedDescription.contains("CRC-32") == true)
  }

  @Test func wellFormedMembersReadWhole() throws {
    let (data, _) = try Self.archive(Self.table)
    let members = try Self.read(data)
    #expect(members.map(\.displayName) == ["scans.zip:data.csv"])
    #expect(try members.first?.readAll() == Data(Self.table.utf8))
    let checklists = try Self.read(try Data(contentsOf: Paths.fixtures.appendingPathComponent("zip/checklists.zip")))
    #expect(!checklists.isEmpty)
  }

  /// A small ZIP holding a large CSV is refused by `table-bytes` while it inflates, not after
  /// the whole table is in memory: 3 MiB of CSV in about 10 KB of ZIP, table-bytes at 1 MiB.
  @Test func aHugeTableInASmallArchiveStopsInflatingAtTheTableLimit() throws {
    let row = "AC.L2-3.1.1,Met,a comment that pads the row out to about sixty-four bytes\n"
    let text = "Requirement,Status,Comment\n" + String(repeating: row, count: 3 << 20 / row.utf8.count)
    let (data, _) = try Self.archive(text)
    #expect(data.count < 100_000)
    HardeningTests.expectLimit(.tableBytes) {
      try HardeningTests.with(.tableBytes, 1 << 20) { _ = try Self.read(data) }
    }
    do {
      _ = try HardeningTests.with(.tableBytes, 1 << 20) { try Self.read(data) }
    } catch {
      // Refused when the first 256 KiB showed a CSV declaring more than the limit.
      #expect(error.localizedDescription.contains("scans.zip:data.csv"), "\(error.localizedDescription)")
      #expect(error.localizedDescription.contains("stopped after inflating 262144"), "\(error.localizedDescription)")
    }
    // The same archive with a higher limit is read, and from the command line the limit is named.
    #expect(try Self.read(data).first?.readAll().count == text.utf8.count)
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("big.zip")
    try data.write(to: path)
    let result = try CLI.run(["gaps", path.path, "--assessment-date", "2025-01-15", "--limit", "table-bytes=1M"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("big.zip:data.csv"), "\(result.stderr)")
    #expect(result.stderr.contains("--limit table-bytes=N"), "\(result.stderr)")
  }
}

/// A hand-edited history with NULL or text where a number belongs: GRDB's typed row subscripts
/// trapped; now each is an error naming the run and column, and `poam history` exits 2.
struct HandEditedHistoryTests {
  /// A history of one run whose `run` table was rebuilt without its NOT NULL constraints (as a
  /// person editing it in a SQLite browser might), then edited with `sql`.
  static func history(_ sql: String) throws -> (URL, String) {
    let directory = try makeTemporaryDirectory()
    let path = directory.appendingPathComponent("history.sqlite").path
    let store = try HistoryStore(path: path)
    try store.record(
      HistoryRun(
        report: HandReports.make(score: 100, status: .conditional, statuses: [:]), command: "analyze", inputs: []))
    var configuration = Configuration()
    configuration.foreignKeysEnabled = false
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try queue.writeWithoutTransaction { db in
      try db.execute(
        sql: """
          CREATE TABLE loose AS SELECT * FROM run;
          DROP TABLE run;
          ALTER TABLE loose RENAME TO run;
          \(sql)
          """)
    }
    try queue.close()
    return (directory, path)
  }

  @Test(arguments: [
    ("UPDATE run SET score = 'lots'", "run 1: score is the text 'lots': expected a whole number"),
    ("UPDATE run SET met = NULL", "run 1: met is empty (NULL): expected a whole number"),
    ("UPDATE run SET level = 'two'", "run 1: level is the text 'two'"),
    ("UPDATE run SET not_assessed = 2.5", "run 1: not_assessed is the fraction 2.5"),
    ("UPDATE run SET recorded_at = NULL", "run 1: recorded_at is empty (NULL): expected text"),
  ])
  func aWrongValueIsAnErrorNamingTheRunAndColumn(sql: String, expected: String) throws {
    let (directory, path) = try Self.history(sql)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try HistoryStore(path: path, create: false)
    let error = #expect(throws: HistoryError.self) { try store.runs() }
    #expect(error?.localizedDescription.contains(expected) == true, "\(error?.localizedDescription ?? "")")
    let result = try CLI.run(["history", "--history", path])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(expected), "\(result.stderr)")
  }
}
