import Foundation
import Testing

@testable import POAMKit

/// Reruns into an output folder never lose a person's edit, and the six files are replaced as
/// one set: the README walkthrough end to end with an edited poam.csv, poam.xlsx or report,
/// two POA&Ms edited differently, a folder of another level or a later date, a run killed
/// between renames, a held lock, concurrent runs, a history that fails at the end.
extension CLI.Result {
  /// Both streams: the summary (and its notes) goes to stdout, errors to stderr.
  var output: String { stdout + stderr }
}

struct RerunSafetyTests {
  static let walkthrough = Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json")
  static let outputNames = ["gap-report.json", "poam.json", "poam.csv", "poam.xlsx", "report.md", "report.html"]

  /// The walkthrough's remediation step (docs/poam.md): AC.L2-3.1.9 met, with the evidence that closes it.
  static func aprilAssessment(in directory: URL) throws -> URL {
    let text = try String(contentsOf: walkthrough, encoding: .utf8)
    let before = #""AC.L2-3.1.9", "status": "not met", "details": "No logon banner on web01 or web02""#
    let after = #""AC.L2-3.1.9", "status": "met", "details": "Logon banner shown on web01 and web02 (change 4711)""#
    #expect(text.contains(before), "the walkthrough's sed command no longer matches the fixture")
    let url = directory.appendingPathComponent("assessment-april.json")
    let april = text.replacingOccurrences(of: before, with: after)
    try april.write(to: url, atomically: true, encoding: .utf8)
    // The walkthrough's own command (docs/poam.md) does the same.
    let guide = try String(contentsOf: Paths.root.appendingPathComponent("docs/poam.md"), encoding: .utf8)
    let line = try #require(guide.split(separator: "\n").first { $0.hasPrefix("sed '") && $0.contains("AC.L2-3.1.9") })
    let script = line.split(separator: "'", omittingEmptySubsequences: false)[1]
    let sed = Process()
    sed.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    sed.arguments = ["sed", String(script), walkthrough.path]
    let output = Pipe()
    sed.standardOutput = output
    try sed.run()
    let bytes = output.fileHandleForReading.readDataToEndOfFile()
    sed.waitUntilExit()
    #expect(
      String(decoding: bytes, as: UTF8.self) == april,
      "the walkthrough's sed command no longer does what this test does")
    return url
  }

  static func analyze(_ input: URL, date: String, out: URL, _ extra: [String] = [], environment: [String: String] = [:])
    throws -> CLI.Result
  {
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    return try CLI.run(
      ["analyze", input.path, "--assessment-date", date, "--out", out.path] + extra, environment: env)
  }

  /// Every file of the folder (the set and `.poam/`, but not the lock's holder text) by name.
  static func snapshot(_ directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: directory.path)
    while let name = enumerator?.nextObject() as? String {
      let url = directory.appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
        name != ".poam/lock"
      else { continue }
      files[name] = try Data(contentsOf: url)
    }
    return files
  }

  /// Rewrites cells of poam.csv as a spreadsheet program would (every field quoted).
  static func editCSV(_ url: URL, _ edit: (_ header: [String], _ row: inout [String]) -> Void) throws {
    let rows = try POAMReader.csvRows(try Data(contentsOf: url), source: url.path)
    let header = rows[0]
    var lines: [String] = [header.map(quoted).joined(separator: ",")]
    for var row in rows.dropFirst() {
      edit(header, &row)
      lines.append(row.map(quoted).joined(separator: ","))
    }
    try Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
  }

  static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

  static func set(_ column: String, to value: String, header: [String], row: inout [String]) {
    row[header.firstIndex(of: column)!] = value
  }

  func read(_ url: URL) throws -> POAMDocument {
    try POAMWorkflow.loadPrior(path: url.path, catalog: TestCatalog.shared).0
  }

  // MARK: - The walkthrough

  @Test func theWalkthroughKeepsEveryEditMadeInPoamCSV() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("poam-out")
    let first = try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out)
    #expect(first.status == 0, "\(first.stderr)")
    let manifest = try JSONDecoder().decode(
      OutputManifest.self, from: Data(contentsOf: out.appendingPathComponent(".poam/manifest.json")))
    #expect(Set(manifest.files.keys) == Set(Self.outputNames + [EvidenceFile.fileName]))
    #expect(manifest.level == .two && manifest.assessmentDate == "2025-01-15")
    for name in Self.outputNames {
      #expect(
        manifest.files[name]?.sha256 == SHA256Digest.hex(try Data(contentsOf: out.appendingPathComponent(name))))
    }

    try Self.editCSV(out.appendingPathComponent("poam.csv")) { header, row in
      let id = row[header.firstIndex(of: "POA&M Item ID")!]
      Self.set("Resources Required", to: "2 days of admin time for \(id)", header: header, row: &row)
      Self.set("Comments", to: "Jane: \(id) — checked with the vendor", header: header, row: &row)
    }
    let april = try Self.aprilAssessment(in: directory)
    let second = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.output.contains("poam.csv: note: changed since poam wrote the set"))
    #expect(second.output.contains("[prior.edited]"))
    #expect(second.stdout.contains("Closed      1"))

    for name in ["poam.csv", "poam.json"] {
      let document = try read(out.appendingPathComponent(name))
      #expect(document.items.count == 4, "\(name)")
      for item in document.items {
        #expect(item.resources == "2 days of admin time for \(item.id)", "\(name) \(item.id)")
        #expect(item.comments == "Jane: \(item.id) — checked with the vendor", "\(name) \(item.id)")
      }
      let closed = try #require(document.item(id: "POAM-AC.L2-3.1.9"))
      #expect(closed.status == .closed)
      #expect(closed.closureEvidence?.contains("Logon banner shown on web01 and web02") == true, "\(name)")
    }
    // The new set is recorded: a third run merges from poam.json again, quietly.
    let third = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(third.status == 0)
    #expect(!third.output.contains("changed since"))
    #expect(try read(out.appendingPathComponent("poam.json")).items.allSatisfy { $0.comments.hasPrefix("Jane: ") })
  }

  @Test func withoutTheRecordAPOAMEditedAfterTheSetIsStillMergedFrom() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    // A folder written by a poam without the manifest: the edit is told by its modification time.
    try FileManager.default.removeItem(at: out.appendingPathComponent(".poam/manifest.json"))
    let csv = out.appendingPathComponent("poam.csv")
    try Self.editCSV(csv) { header, row in Self.set("Comments", to: "edited later", header: header, row: &row) }
    try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: csv.path)
    let rerun = try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(rerun.output.contains("poam.csv: note: changed since the rest of the set (modification time"))
    #expect(try read(out.appendingPathComponent("poam.json")).items.allSatisfy { $0.comments == "edited later" })
  }

  @Test func anEditedWorkbookIsMergedFrom() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    let workbook = out.appendingPathComponent("poam.xlsx")
    let data = try Data(contentsOf: workbook)
    let strings = try #require(try WorkbookTestReader.parts(data)["xl/sharedStrings.xml"])
    let text = String(decoding: strings, as: UTF8.self)
    let original = "No logon banner on web01 or web02"
    #expect(text.contains(original))
    // A person types a comment over a cell: here, one string of the sheet changes.
    let rows = try WorkbookTestReader.rows(data)
    let header = rows[0]
    let owner = try #require(rows.dropFirst().first { $0.contains("POAM-AC.L2-3.1.10") })[
      header.firstIndex(of: "Office/Org")!]
    #expect(!owner.isEmpty)
    let edited = text.replacingOccurrences(of: ">\(owner)<", with: ">Bob in LibreOffice<")
    #expect(edited != text)
    try WorkbookTestReader.replacing(data, ["xl/sharedStrings.xml": Data(edited.utf8)]).write(to: workbook)

    let april = try Self.aprilAssessment(in: directory)
    let rerun = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(rerun.output.contains("poam.xlsx: note: changed since poam wrote the set"))
    #expect(
      try read(out.appendingPathComponent("poam.csv")).items.contains { $0.pointOfContact == "Bob in LibreOffice" })
  }

  @Test func twoPOAMsEditedDifferentlyStopTheRunAndPriorChooses() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    try Self.editCSV(out.appendingPathComponent("poam.csv")) { header, row in
      Self.set("Office/Org", to: "Jane (CSV)", header: header, row: &row)
    }
    // Someone edits poam.json too, in a text editor: every point of contact.
    let json = out.appendingPathComponent("poam.json")
    let text = try String(contentsOf: json, encoding: .utf8)
    #expect(text.contains(#""value" : "Unassigned""#))
    try text.replacingOccurrences(of: #""value" : "Unassigned""#, with: #""value" : "Bob (JSON)""#).write(
      to: json, atomically: false, encoding: .utf8)
    #expect(try read(json).items.allSatisfy { $0.pointOfContact == "Bob (JSON)" })

    let before = try Self.snapshot(out)
    let april = try Self.aprilAssessment(in: directory)
    let conflict = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(conflict.status == 2)
    #expect(conflict.stderr.contains("\(out.path)/poam.json and \(out.path)/poam.csv were both changed"))
    #expect(conflict.stderr.contains("differ in POAM-AC.L2-3.1.9 Point of Contact"))
    #expect(conflict.stderr.contains("nothing was written"))
    #expect(conflict.stderr.contains("--prior \(out.path)/poam.csv"))
    #expect(try Self.snapshot(out) == before, "a refused run changed the folder")

    let chosen = try Self.analyze(
      april, date: "2025-04-01", out: out, ["--prior", out.appendingPathComponent("poam.csv").path])
    #expect(chosen.status == 0, "\(chosen.stderr)")
    #expect(try read(json).items.allSatisfy { $0.pointOfContact == "Jane (CSV)" })
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
    let copy = try #require(names.first { $0.hasPrefix("poam.edited-") && $0.hasSuffix(".json") })
    #expect(chosen.output.contains("your version is kept as \(copy) [output.kept-copy]"))
    #expect(try read(out.appendingPathComponent(copy)).items.allSatisfy { $0.pointOfContact == "Bob (JSON)" })
  }

  @Test func anEditedReportIsKeptAsACopy() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    let report = out.appendingPathComponent("report.md")
    let edited = try String(contentsOf: report, encoding: .utf8) + "\nNotes for the board: Jane.\n"
    try edited.write(to: report, atomically: false, encoding: .utf8)
    let rerun = try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
    let copy = try #require(names.first { $0.hasPrefix("report.edited-") && $0.hasSuffix(".md") })
    #expect(try String(contentsOf: out.appendingPathComponent(copy), encoding: .utf8) == edited)
    #expect(rerun.output.contains("report.md: warning: changed since poam wrote it and replaced now"))
    #expect(!(try String(contentsOf: report, encoding: .utf8)).contains("Notes for the board"))
  }

  @Test func aBaselineRatchetedByCheckIsNotTakenForAnEdit() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("compliance")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    let april = try Self.aprilAssessment(in: directory)
    let baseline = out.appendingPathComponent("gap-report.json")
    let check = try CLI.run([
      "check", april.path, "--baseline", baseline.path, "--update-baseline", "--assessment-date", "2025-04-01",
    ])
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("baseline: updated"))
    let manifest = try JSONDecoder().decode(
      OutputManifest.self, from: Data(contentsOf: out.appendingPathComponent(".poam/manifest.json")))
    #expect(manifest.files["gap-report.json"]?.sha256 == SHA256Digest.hex(try Data(contentsOf: baseline)))
    let rerun = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(rerun.status == 0, "\(rerun.output)")
    #expect(!rerun.output.contains("changed since"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.contains(".edited-") })
  }

  @Test func aFolderOfAnotherLevelOrALaterDateIsRefused() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-04-01", out: out).status == 0)
    let before = try Self.snapshot(out)

    let levelOne = try Self.analyze(Self.walkthrough, date: "2025-04-01", out: out, ["--level", "1"])
    #expect(levelOne.status == 2)
    #expect(levelOne.stderr.contains("holds the POA&M of a Level 2 assessment and this run is Level 1"))
    let earlier = try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out)
    #expect(earlier.status == 2)
    #expect(earlier.stderr.contains("an assessment of 2025-04-01, later than this run's 2025-01-15"))
    #expect(try Self.snapshot(out) == before)

    // Without the record (a folder from an older poam), poam.json says the same.
    try FileManager.default.removeItem(at: out.appendingPathComponent(".poam/manifest.json"))
    #expect(try Self.analyze(Self.walkthrough, date: "2025-04-01", out: out, ["--level", "1"]).status == 2)
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 2)
    // A --prior from elsewhere assessed later is refused too.
    let later = directory.appendingPathComponent("later")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-06-01", out: later).status == 0)
    let elsewhere = try Self.analyze(
      Self.walkthrough, date: "2025-04-01", out: directory.appendingPathComponent("third"),
      ["--prior", later.appendingPathComponent("poam.csv").path])
    #expect(elsewhere.status == 2)
    #expect(elsewhere.stderr.contains("later/poam.csv holds the POA&M of an assessment of 2025-06-01"))
    // The same date again is a rerun, not a mix.
    #expect(try Self.analyze(Self.walkthrough, date: "2025-04-01", out: out).status == 0)
  }

  // MARK: - One set

  @Test func aRunKilledBetweenRenamesIsRolledBackNotTakenForAnEdit() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    let before = try Self.snapshot(out)
    let april = try Self.aprilAssessment(in: directory)
    let killed = try Self.analyze(
      april, date: "2025-04-01", out: out, environment: ["POAM_TEST_KILL_AFTER_RENAMES": "2"])
    #expect(killed.status == SIGKILL, "the test hook did not stop the run: \(killed.stderr)")
    // Half replaced: the first two files are new, the journal says what was intended.
    let half = try Self.snapshot(out)
    #expect(half["gap-report.json"] != before["gap-report.json"])
    #expect(half["poam.json"] != before["poam.json"])
    #expect(half["poam.csv"] == before["poam.csv"])
    #expect(half[".poam/journal.json"] != nil)
    #expect(half.keys.contains { OutputSet.isTemporaryName($0) })

    // Opening the folder rolls back to the previous set, byte for byte.
    let set = try OutputSet.open(out, wait: 0)
    #expect(set.diagnostics.contains { $0.code == .recoveredSet && $0.message.contains("rolled back") })
    set.close()
    #expect(try Self.snapshot(out) == before)

    let rerun = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(!rerun.output.contains("changed since"))
    #expect(rerun.stdout.contains("Closed      1"))
  }

  @Test func aFileEditedAfterAKillIsLeftAndMergedFrom() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    let april = try Self.aprilAssessment(in: directory)
    let killed = try Self.analyze(
      april, date: "2025-04-01", out: out, environment: ["POAM_TEST_KILL_AFTER_RENAMES": "3"])
    #expect(killed.status == SIGKILL)
    // The killed run had replaced poam.csv; a person edits that new file before anyone reruns.
    try Self.editCSV(out.appendingPathComponent("poam.csv")) { header, row in
      Self.set("Comments", to: "edited after the crash", header: header, row: &row)
    }
    let rerun = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(rerun.status == 0, "\(rerun.output)")
    #expect(rerun.output.contains("restored gap-report.json, poam.json; left poam.csv (changed since; left as it is)"))
    #expect(rerun.output.contains("poam.csv: note: changed since poam wrote the set"))
    #expect(
      try read(out.appendingPathComponent("poam.json")).items.allSatisfy { $0.comments == "edited after the crash" })
  }

  @Test func aRunKilledAfterTheLastRenameIsCompleted() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    let april = try Self.aprilAssessment(in: directory)
    let killed = try Self.analyze(
      april, date: "2025-04-01", out: out, environment: ["POAM_TEST_KILL_AFTER_RENAMES": "7"])
    #expect(killed.status == SIGKILL)
    let rerun = try Self.analyze(april, date: "2025-04-01", out: out)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(rerun.output.contains("stopped after replacing every file of its set; the set was completed"))
    #expect(rerun.output.contains("[output.recovered-set]"))
    #expect(!rerun.output.contains("changed since"))
  }

  @Test func aHeldLockStopsASecondRunAndSaysWhoHoldsIt() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    let holder = try OutputSet.open(out, wait: 0)
    let blocked = try Self.analyze(
      Self.walkthrough, date: "2025-01-15", out: out, environment: ["POAM_LOCK_WAIT": "0.3"])
    #expect(blocked.status == 2)
    #expect(blocked.stderr.contains("another poam run is writing this folder (pid \(getpid()) on "))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("poam.json").path))
    holder.close()
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
  }

  @Test func concurrentRunsLeaveOneCompleteSet() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    let april = try Self.aprilAssessment(in: directory)
    for round in 0..<4 {
      let lock = NSLock()
      nonisolated(unsafe) var statuses: [Int32] = []
      DispatchQueue.concurrentPerform(iterations: 2) { index in
        let input = index == 0 ? Self.walkthrough : april
        let status = (try? Self.analyze(input, date: "2025-04-01", out: out).status) ?? -1
        lock.withLock { statuses.append(status) }
      }
      #expect(statuses == [0, 0], "round \(round)")
      let manifest = try JSONDecoder().decode(
        OutputManifest.self, from: Data(contentsOf: out.appendingPathComponent(".poam/manifest.json")))
      for name in Self.outputNames {
        #expect(
          manifest.files[name]?.sha256 == SHA256Digest.hex(try Data(contentsOf: out.appendingPathComponent(name))),
          "round \(round): \(name) is not from the recorded set")
      }
      #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".poam/journal.json").path))
    }
  }

  @Test func aFailedLastStepPutsThePreviousSetBack() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let set = try OutputSet.open(directory, wait: 0)
    try set.commit(
      [("a.txt", Data("one".utf8)), ("b.txt", Data("two".utf8))], level: .two, assessmentDate: "2025-01-15")
    let before = try Self.snapshot(directory)
    struct DiskFull: Error, LocalizedError { var errorDescription: String? { "history.sqlite: disk full" } }
    do {
      try set.commit(
        [("a.txt", Data("three".utf8)), ("b.txt", Data("four".utf8)), ("c.txt", Data("new".utf8))], level: .two,
        assessmentDate: "2025-04-01"
      ) { throw DiskFull() }
      Issue.record("the commit succeeded")
    } catch {
      #expect(
        error.localizedDescription
          == "history.sqlite: disk full; nothing was written: \(directory.path) holds the files of the previous run (restored a.txt, b.txt)"
      )
    }
    #expect(try Self.snapshot(directory) == before)
    #expect(set.manifest?.assessmentDate == "2025-01-15")
  }

  @Test func staleTemporaryFilesAreRemoved() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let stale = ".poam.csv.poam-\(UUID().uuidString).tmp"
    let other = ".notes.tmp"
    for name in [stale, other] { try Data("x".utf8).write(to: directory.appendingPathComponent(name)) }
    let set = try OutputSet.open(directory, wait: 0)
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(stale).path))
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(other).path))
    #expect(set.diagnostics.contains { $0.code == .staleTemporary && $0.message.contains(stale) })
  }

  // MARK: - Hand-edited priors

  @Test func aPriorCSVWithAnUndoubledQuoteIsAnErrorAndNothingIsWritten() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    #expect(try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out).status == 0)
    try Self.editCSV(out.appendingPathComponent("poam.csv")) { header, row in
      Self.set("Comments", to: "see", header: header, row: &row)
    }
    // A quote inside the quoted Comments field, not doubled: a spreadsheet would shift the row.
    let csv = out.appendingPathComponent("poam.csv")
    var text = try String(contentsOf: csv, encoding: .utf8)
    let rowStart = try #require(text.range(of: "\"POAM-AC.L2-3.1.10\"")).lowerBound
    let line = text[..<rowStart].unicodeScalars.filter { $0 == "\n" }.count + 1
    let range = try #require(
      text.range(of: #""see""#, range: text.range(of: "POAM-AC.L2-3.1.10")!.lowerBound..<text.endIndex))
    text.replaceSubrange(range, with: #""see "the policy", 15 min""#)
    try text.write(to: csv, atomically: false, encoding: .utf8)
    let before = try Self.snapshot(out)
    let rerun = try Self.analyze(Self.walkthrough, date: "2025-01-15", out: out)
    #expect(rerun.status == 2)
    #expect(rerun.output.contains("poam.csv:line \(line): "), "\(rerun.stderr)")
    #expect(rerun.output.contains("fields where the header row (line 1) has"))
    #expect(try Self.snapshot(out) == before)
  }

  @Test func aPriorCSVWithOneInvalidByteIsAnErrorNamingIt() throws {
    let source =
      "\u{FEFF}POA&M Item ID,Comments,CMMC Requirement\r\nPOAM-AC.L2-3.1.9,Approved — Jane,AC.L2-3.1.9\r\nPOAM-AC.L2-3.1.10,caf"
    var bytes = Data(source.utf8)
    bytes.append(0xE9)
    bytes.append(contentsOf: Data(",AC.L2-3.1.10\r\n".utf8))
    let reader = POAMReader(catalog: TestCatalog.shared, layout: try POAMLayout.bundled())
    do {
      _ = try reader.read(bytes, source: "prior.csv")
      Issue.record("read a file with a byte that is not UTF-8")
    } catch let error as POAMReadError {
      #expect(error.localizedDescription.hasPrefix("prior.csv:line 3, column 22: byte 0xE9 is not UTF-8"))
      #expect(error.localizedDescription.contains("starts with a UTF-8 byte-order mark"))
    }
    // Without the mark, the "—" still says UTF-8.
    do {
      _ = try reader.read(bytes.dropFirst(3), source: "prior.csv")
      Issue.record("read a file with a byte that is not UTF-8")
    } catch let error as POAMReadError {
      #expect(error.localizedDescription.contains("it holds UTF-8 characters"))
    }
    // A file with no UTF-8 at all is Excel's plain CSV: Windows-1252, said in a note.
    var legacy = Data("POA&M Item ID,Comments,CMMC Requirement\r\nPOAM-AC.L2-3.1.10,caf".utf8)
    legacy.append(0xE9)
    legacy.append(contentsOf: Data(",AC.L2-3.1.10\r\n".utf8))
    let (document, diagnostics) = try reader.read(legacy, source: "prior.csv")
    #expect(document.items.first?.comments == "café")
    #expect(
      diagnostics.contains {
        $0.code == .priorEncoding && $0.description.hasPrefix("prior.csv:line 2, column 22: note: read as Windows-1252")
      })
  }

  @Test func theByteOrderMarkIsNeverPartOfTheFirstHeader() throws {
    let rows = try POAMReader.csvRows(
      Data("\u{FEFF}POA&M Item ID,Comments\r\nPOAM-AC.L2-3.1.9,x\r\n".utf8), source: "p.csv")
    #expect(rows[0][0] == "POA&M Item ID")
  }

  @Test func addedColumnsAndInvisibleOrFullWidthTriggersAreEscaped() throws {
    #expect(SpreadsheetText.escape("\u{FF1D}HYPERLINK(\"http://x\")") == "'\u{FF1D}HYPERLINK(\"http://x\")")
    #expect(SpreadsheetText.escape("\u{FEFF}=1+1") == "'\u{FEFF}=1+1")
    #expect(SpreadsheetText.escape("\u{200B}@SUM(A1)") == "'\u{200B}@SUM(A1)")
    #expect(SpreadsheetText.escape("plain \u{FF1D}") == "plain \u{FF1D}")
    #expect(SpreadsheetText.unescape("'\u{FEFF}=1+1") == "\u{FEFF}=1+1")

    // A column a person added with a formula for a header: escaped on the way out, read back as named.
    let catalog = TestCatalog.shared
    let layout = try POAMLayout.bundled()
    let added = "=HYPERLINK(\"http://evil.example\",\"x\")"
    let rows = [
      ["POA&M Item ID", "Comments", "CMMC Requirement", added],
      ["POAM-AC.L2-3.1.9", "x", "AC.L2-3.1.9", "\u{FF1D}1+1"],
    ]
    let (document, _) = try POAMTableReader(layout: layout, catalog: catalog).read(
      rows: rows, source: "p.csv", unescapeFormulas: true)
    #expect(document.items[0].customFields.map(\.name) == [added])
    let report = GapReportBuilder(date: "2025-01-15").build()
    let context = ExportContext(
      report: report, document: document, changes: POAMChanges(hadPrior: false), catalog: catalog, layout: layout)
    let csv = String(decoding: try CSVPOAMExporter().render(context), as: UTF8.self)
    let header = try #require(csv.components(separatedBy: "\r\n").first)
    #expect(header.hasSuffix(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""), "\(header)")
    #expect(csv.contains(",'\u{FF1D}1+1"))
    let back = try POAMReader(catalog: catalog, layout: layout).read(Data(csv.utf8), source: "poam.csv").0
    #expect(back.items[0].customFields == [CustomField(name: added, value: "\u{FF1D}1+1")])
  }
}

/// A run that fails before it writes leaves no trace: not the folder it created, not the lock.
struct FailedRunLeavesNoTraceTests {
  @Test func aFailedAnalyzeIntoANewFolderRemovesIt() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("new/out")
    let missing = directory.appendingPathComponent("no-such-poam.csv")
    let run = try RerunSafetyTests.analyze(
      RerunSafetyTests.walkthrough, date: "2025-01-15", out: out, ["--prior", missing.path])
    #expect(run.status == 2, "\(run.output)")
    #expect(run.output.contains("no-such-poam.csv"), "\(run.output)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("new").path))
  }

  @Test func anExistingFolderKeepsItsFilesAndLosesOnlyTheLockPoamMade() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("mine".utf8).write(to: directory.appendingPathComponent("notes.txt"))
    let set = try OutputSet.open(directory, wait: 0)
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".poam/lock").path))
    set.close()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["notes.txt"])
  }

  @Test func aCommittedSetKeepsItsRecords() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    let set = try OutputSet.open(out, wait: 0)
    try set.commit([("a.txt", Data("one".utf8))], level: .two, assessmentDate: "2025-01-15")
    set.close()
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(".poam/manifest.json").path))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("a.txt").path))
    // A second run that fails leaves the first run's set and records alone.
    let again = try OutputSet.open(out, wait: 0)
    again.close()
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(".poam/lock").path))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("a.txt").path))
  }
}
