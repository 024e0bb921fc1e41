import Foundation
import GRDB
import Testing

@testable import POAMKit

/// The run history: round trip, concurrent writers (tasks and processes), migrations, and
/// files it must not touch.
struct HistoryStoreTests {
  static let report = HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.3": .notMet])

  func run(_ report: GapReport = HistoryStoreTests.report, command: String = "analyze", at seconds: TimeInterval = 0)
    -> HistoryRun
  {
    HistoryRun(
      report: report, command: command,
      inputs: [
        HistoryInput(name: "scans/a.ckl", sha256: String(repeating: "ab", count: 32)),
        HistoryInput(name: "-", sha256: nil),
      ],
      recordedAt: Date(timeIntervalSince1970: 1_767_225_600 + seconds))
  }

  @Test func recordsAndReadsRuns() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("nested/.poam/history.sqlite").path
    let store = try HistoryStore(path: path)
    let first = try store.record(run())
    let worse = HandReports.make(
      score: 104, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet])
    let verdict = DriftCheck(asOf: "2026-01-01").evaluate(
      baseline: AssessmentSnapshot(report: Self.report, source: "base.json"),
      current: AssessmentSnapshot(report: worse, source: "current run"))
    let second = try store.record(
      HistoryRun(
        report: worse, command: "check", inputs: [], verdict: verdict,
        recordedAt: Date(timeIntervalSince1970: 1_767_229_200)))
    #expect(first == 1 && second == 2)
    let runs = try store.runs()
    #expect(runs.count == 2)
    #expect(runs[0].recordedAt == "2026-01-01T00:00:00Z")
    #expect(runs[0].inputs == run().inputs)
    #expect(runs[0].requirements.count == 110)
    #expect(runs[0].requirements["AC.L2-3.1.3"] == .notMet)
    #expect(runs[0].score == 109 && runs[0].status == .conditional && runs[0].counts.notMet == 1)
    #expect(runs[1].verdict == "fail")
    #expect(runs[1].failedConditions == ["new-gaps", "score-drop", "eligibility-lost"])
    #expect(runs[1].baseline == "base.json")
    #expect(try store.runs(last: 1).map(\.id) == [2])
    #expect(try store.runs(level: .three).isEmpty)
    #expect(try store.appliedMigrations() == HistoryStore.migrationIdentifiers)

    let entries = HistoryTrend.entries(runs)
    // Run 2 opened AC.L2-3.1.1 and closed AC.L2-3.1.3; the score went 109 → 104.
    #expect(entries[1].gapsOpened == ["AC.L2-3.1.1"])
    #expect(entries[1].gapsClosed == ["AC.L2-3.1.3"])
    #expect(entries[1].scoreChange == -5)
    let text = try HistoryTrend.render(runs, format: .text)
    #expect(text.split(separator: "\n").count == 4)
    #expect(text.contains("104 (-5)") && text.contains("+1/-1"))
    let csv = try HistoryTrend.render(runs, format: .csv)
    let lines = csv.components(separatedBy: "\r\n")
    #expect(lines[0].hasPrefix("id,recorded_at,command,level,"))
    #expect(lines[2].hasPrefix("2,2026-01-01T01:00:00Z,check,2,2025-06-01,104,110,not-eligible,"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(HistoryTrend.render(runs, format: .json).utf8)) as? [[String: Any]])
    #expect(json.count == 2)
    #expect(json[1]["gaps_opened"] as? [String] == ["AC.L2-3.1.1"])
    #expect((json[1]["run"] as? [String: Any])?["verdict"] as? String == "fail")
  }

  @Test func concurrentTasksLoseNothing() async throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history.sqlite").path
    let writers = 8
    let runsEach = 10
    let template = run()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<writers {
        group.addTask {
          // Each task opens its own store (its own DatabasePool) on the same fresh file.
          let store = try HistoryStore(path: path)
          for index in 0..<runsEach {
            var entry = template
            entry.command = "writer-\(writer)-\(index)"
            try store.record(entry)
          }
        }
      }
      try await group.waitForAll()
    }
    let runs = try HistoryStore(path: path, create: false).runs()
    #expect(runs.count == writers * runsEach)
    #expect(Set(runs.compactMap(\.id)) == Set(1...Int64(writers * runsEach)))
    #expect(Set(runs.map(\.command)).count == writers * runsEach)
    #expect(runs.allSatisfy { $0.requirements.count == 110 && $0.inputs.count == 2 })
    #expect(try Self.integrity(path) == "ok")
  }

  @Test func concurrentProcessesLoseNothing() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let reportPath = try HandReports.write(Self.report, to: directory)
    let history = directory.appendingPathComponent("shared/history.sqlite").path
    let processes = 8
    let reportsEach = 3
    let results = LockedResults()
    DispatchQueue.concurrentPerform(iterations: processes) { _ in
      let arguments =
        ["history", "--history", history] + Array(repeating: ["--add", reportPath], count: reportsEach).flatMap { $0 }
      results.append(Result { try CLI.run(arguments) })
    }
    for result in results.all {
      let outcome = try result.get()
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stdout.components(separatedBy: "recorded run ").count - 1 == reportsEach)
    }
    let listed = try CLI.run(["history", "--history", history, "--format", "json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == processes * reportsEach)
    let ids = runs.compactMap { ($0["run"] as? [String: Any])?["id"] as? Int }
    #expect(ids == Array(1...processes * reportsEach))
    #expect(runs.allSatisfy { (($0["run"] as? [String: Any])?["requirements"] as? [String: String])?.count == 110 })
    #expect(try Self.integrity(history) == "ok")
  }

  /// A v1 database made by hand, as the first release wrote it, is migrated with its data intact.
  @Test func migratesAVersion1Database() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history.sqlite").path
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: """
          CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
          INSERT INTO grdb_migrations VALUES ('v1');
          CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL, command TEXT NOT NULL,
            tool_version TEXT NOT NULL, catalog_version TEXT NOT NULL, level INTEGER NOT NULL,
            assessment_date TEXT NOT NULL, score INTEGER, max_score INTEGER, status TEXT NOT NULL,
            met INTEGER NOT NULL, not_met INTEGER NOT NULL, not_applicable INTEGER NOT NULL,
            not_assessed INTEGER NOT NULL);
          CREATE TABLE run_input (run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            position INTEGER NOT NULL, name TEXT NOT NULL, sha256 TEXT, PRIMARY KEY (run_id, position));
          CREATE TABLE run_requirement (run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            requirement_id TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (run_id, requirement_id));
          INSERT INTO run VALUES (1, '2025-01-02T03:04:05Z', 'analyze', '0.0.9', '2025.1', 2, '2025-01-02',
            97, 110, 'not-eligible', 105, 4, 0, 1);
          INSERT INTO run_input VALUES (1, 0, 'old-scan.ckl', 'deadbeef');
          INSERT INTO run_requirement VALUES (1, 'AC.L2-3.1.1', 'not-met'), (1, 'AC.L2-3.1.2', 'met');
          """)
    }
    try queue.close()
    let store = try HistoryStore(path: path)
    #expect(try store.appliedMigrations() == ["v1", "v2"])
    let old = try #require(try store.runs().first)
    #expect(old.id == 1 && old.recordedAt == "2025-01-02T03:04:05Z" && old.toolVersion == "0.0.9")
    #expect(old.score == 97 && old.status == .notEligible)
    #expect(old.counts == GapCounts(met: 105, notMet: 4, notApplicable: 0, notAssessed: 1))
    #expect(old.inputs == [HistoryInput(name: "old-scan.ckl", sha256: "deadbeef")])
    #expect(old.requirements == ["AC.L2-3.1.1": .notMet, "AC.L2-3.1.2": .met])
    #expect(old.verdict == nil && old.failedConditions.isEmpty)
    try store.record(run(command: "check"))
    #expect(try store.runs().map(\.id) == [1, 2])
  }

  @Test func aNewerSchemaIsReadButNeverWritten() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history.sqlite").path
    try HistoryStore(path: path).record(run())
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO grdb_migrations VALUES ('v3-future');
          ALTER TABLE run ADD COLUMN runner TEXT NOT NULL DEFAULT 'ci';
          """)
    }
    try queue.close()
    let store = try HistoryStore(path: path)
    #expect(store.isNewerSchema)
    #expect(try store.runs().count == 1)
    do {
      try store.record(run())
      Issue.record("a newer schema must not be written")
    } catch {
      #expect(error.localizedDescription.contains("written by a newer poam (schema changes v3-future"))
    }
    #expect(try store.runs().count == 1)
    #expect(try store.appliedMigrations() == ["v1", "v2", "v3-future"])
  }

  @Test func refusesFilesThatAreNotAHistory() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("notes.sqlite").path
    try Data("these are my notes, not a database\n".utf8).write(to: path.asFileURL)
    do {
      _ = try HistoryStore(path: path)
      Issue.record("expected an error")
    } catch {
      #expect(error.localizedDescription.hasPrefix("\(path): cannot open the run history"))
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "these are my notes, not a database\n")
    do {
      _ = try HistoryStore(path: directory.appendingPathComponent("none.sqlite").path, create: false)
      Issue.record("expected an error")
    } catch {
      #expect(error.localizedDescription.contains("no run history here"))
    }
  }

  static func integrity(_ path: String) throws -> String? {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
  }
}

/// Results gathered from `concurrentPerform`.
final class LockedResults: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Result<CLI.Result, any Error>] = []

  func append(_ result: Result<CLI.Result, any Error>) { lock.withLock { results.append(result) } }
  var all: [Result<CLI.Result, any Error>] { lock.withLock { results } }
}

extension String {
  var asFileURL: URL { URL(fileURLWithPath: self) }
}
