import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why the run history cannot be used.
public enum HistoryError: Error, LocalizedError, Sendable, Hashable {
  /// `poam history` was pointed at a file that does not exist.
  case missing(path: String)
  /// The file cannot be opened as a SQLite database.
  case cannotOpen(path: String, reason: String)
  /// The file was written by a newer poam whose schema this one does not know.
  case newerSchema(path: String, unknownMigrations: [String])
  /// A query or write failed.
  case database(path: String, reason: String)

  public var errorDescription: String? {
    switch self {
    case .missing(let path):
      return FileProblem.message(path: path, reason: "no such file or directory")
        + " (no run history here: record runs with --record, or --history \(path), on analyze or check)"
    case .cannotOpen(let path, let reason):
      return "\(path): cannot open the run history (expected a SQLite database poam wrote): \(reason)"
    case .newerSchema(let path, let unknown):
      return
        "\(path): the run history was written by a newer poam (schema changes \(unknown.joined(separator: ", ")) are unknown to \(ToolInfo.version)): upgrade poam to record runs here; nothing was changed"
    case .database(let path, let reason):
      return "\(path): run history: \(reason)"
    }
  }
}

/// The run history: every recorded `analyze` and `check` run in one SQLite file, through GRDB.
///
/// - WAL mode and a 30-second busy timeout, so several CI jobs can record into one file at once;
///   each run is written in one IMMEDIATE transaction, so a run is recorded whole or not at all.
/// - The schema evolves through GRDB's `DatabaseMigrator`: an older file is migrated in place,
///   never dropped (`eraseDatabaseOnSchemaChange` stays off). Opening and migrating are
///   serialized across processes by an advisory lock on `PATH.lock`, because two processes
///   migrating a fresh file at once would both try to create the tables.
/// - A file written by a newer poam is read but never written.
///
/// Tables (schema `v2`): `run` (one row per run), `run_input` (name and SHA-256 per input),
/// `run_requirement` (each requirement's finding per run).
public final class HistoryStore: Sendable {
  /// The database file.
  public let path: String
  private let pool: DatabasePool
  /// True when the file has schema changes this poam does not know (read-only use).
  public let isNewerSchema: Bool

  /// The migrations this poam knows, oldest first.
  public static let migrationIdentifiers = ["v1", "v2"]

  /// The default location: `.poam/history.sqlite` inside `directory` (the working directory by
  /// default; `poam analyze` passes its output directory).
  public static func defaultPath(in directory: String = ".") -> String {
    URL(fileURLWithPath: directory).appendingPathComponent(".poam/history.sqlite").path
  }

  /// Opens (and, with `create`, creates) the history at `path`, migrating an older schema.
  public init(path: String, create: Bool = true) throws(HistoryError) {
    self.path = path
    let manager = FileManager.default
    if !manager.fileExists(atPath: path) {
      guard create else { throw .missing(path: path) }
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
      do {
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
      } catch {
        throw .cannotOpen(path: path, reason: (error as NSError).localizedDescription)
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(30)
    configuration.label = "poam-history"
    let migrator = Self.migrator
    do {
      let (pool, newer) = try Self.withFileLock(path + ".lock") {
        let pool = try DatabasePool(path: path, configuration: configuration)
        let newer = try pool.read { db in try migrator.hasBeenSuperseded(db) }
        if !newer { try migrator.migrate(pool) }
        return (pool, newer)
      }
      self.pool = pool
      self.isNewerSchema = newer
    } catch let error as HistoryError {
      throw error
    } catch {
      throw .cannotOpen(path: path, reason: Self.describe(error))
    }
  }

  /// Throws ``HistoryError/newerSchema(path:unknownMigrations:)`` when this poam may not write
  /// here, so a caller can refuse before it writes anything else.
  public func requireWritable() throws(HistoryError) {
    guard isNewerSchema else { return }
    let unknown = (try? pool.read { db in try Self.migrator.appliedIdentifiers(db) }) ?? []
    throw .newerSchema(path: path, unknownMigrations: unknown.subtracting(Self.migrationIdentifiers).sorted())
  }

  /// Records one run in one transaction and returns its ID.
  @discardableResult
  public func record(_ run: HistoryRun) throws(HistoryError) -> Int64 {
    try requireWritable()
    do {
      return try pool.writeWithoutTransaction { db -> Int64 in
        var id: Int64 = 0
        try db.inTransaction(.immediate) {
          try db.execute(
            sql: """
              INSERT INTO run (recorded_at, command, tool_version, catalog_version, level, assessment_date,
                score, max_score, status, met, not_met, not_applicable, not_assessed, verdict, failed_conditions,
                baseline)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [
              run.recordedAt, ControlCharacters.strip(run.command, keepingLayout: false), run.toolVersion,
              run.catalogVersion, run.level.rawValue,
              run.assessmentDate, run.score, run.maxScore, run.status.rawValue, run.counts.met, run.counts.notMet,
              run.counts.notApplicable, run.counts.notAssessed, run.verdict,
              run.failedConditions.joined(separator: ","), run.baseline,
            ])
          id = db.lastInsertedRowID
          for (position, input) in run.inputs.enumerated() {
            try db.execute(
              sql: "INSERT INTO run_input (run_id, position, name, sha256) VALUES (?, ?, ?, ?)",
              arguments: [id, position, ControlCharacters.strip(input.name, keepingLayout: false), input.sha256])
          }
          for (requirement, status) in run.requirements.sorted(by: { $0.key < $1.key }) {
            try db.execute(
              sql: "INSERT INTO run_requirement (run_id, requirement_id, status) VALUES (?, ?, ?)",
              arguments: [id, requirement, status.rawValue])
          }
          return .commit
        }
        return id
      }
    } catch {
      throw .database(path: path, reason: Self.describe(error))
    }
  }

  /// The recorded runs, oldest first; `level` filters, `last` keeps only the most recent ones.
  public func runs(level: CMMCLevel? = nil, last: Int? = nil) throws(HistoryError) -> [HistoryRun] {
    do {
      return try pool.read { db in
        var sql = """
          SELECT id, recorded_at, command, tool_version, catalog_version, level, assessment_date, score, max_score,
            status, met, not_met, not_applicable, not_assessed, verdict, failed_conditions, baseline
          FROM run
          """
        var arguments: StatementArguments = []
        if let level {
          sql += " WHERE level = ?"
          arguments += [level.rawValue]
        }
        sql += " ORDER BY id DESC"
        if let last {
          sql += " LIMIT ?"
          arguments += [last]
        }
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).reversed()
        var runs: [HistoryRun] = []
        for row in rows {
          // A hand-edited or corrupted history must not crash the chart or `poam history`: every
          // column is read through its stored value (GRDB's typed subscripts trap on NULL or text
          // where a number should be), and a wrong one is an error naming the run and column.
          let id = try Self.integer(row, "id", run: nil)
          let reader = ColumnReader(row: row, run: id)
          let inputs = try Row.fetchAll(
            db, sql: "SELECT name, sha256 FROM run_input WHERE run_id = ? ORDER BY position", arguments: [id]
          ).map {
            let input = ColumnReader(row: $0, run: id, table: "run_input")
            return HistoryInput(name: try input.text("name"), sha256: try input.optionalText("sha256"))
          }
          var requirements: [String: RequirementStatus] = [:]
          for requirement in try Row.fetchAll(
            db, sql: "SELECT requirement_id, status FROM run_requirement WHERE run_id = ?", arguments: [id])
          {
            let columns = ColumnReader(row: requirement, run: id, table: "run_requirement")
            requirements[try columns.text("requirement_id")] =
              RequirementStatus(rawValue: try columns.text("status")) ?? .notAssessed
          }
          let failed = try reader.optionalText("failed_conditions")
          runs.append(
            HistoryRun(
              id: id, recordedAt: try reader.text("recorded_at"), command: try reader.text("command"),
              toolVersion: try reader.text("tool_version"), catalogVersion: try reader.text("catalog_version"),
              level: CMMCLevel(rawValue: try reader.number("level")) ?? .two,
              assessmentDate: try reader.text("assessment_date"), score: try reader.optionalNumber("score"),
              maxScore: try reader.optionalNumber("max_score"),
              status: CertificationStatus(rawValue: try reader.text("status")) ?? .notEligible,
              counts: GapCounts(
                met: try reader.number("met"), notMet: try reader.number("not_met"),
                notApplicable: try reader.number("not_applicable"), notAssessed: try reader.number("not_assessed")),
              verdict: try reader.optionalText("verdict"),
              failedConditions: (failed ?? "").split(separator: ",").map(String.init),
              baseline: try reader.optionalText("baseline"),
              inputs: inputs, requirements: requirements))
        }
        return runs
      }
    } catch {
      throw .database(path: path, reason: Self.describe(error))
    }
  }

  /// The migrations applied to the file, in the order GRDB records them.
  public func appliedMigrations() throws(HistoryError) -> [String] {
    do {
      return try pool.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    } catch {
      throw .database(path: path, reason: Self.describe(error))
    }
  }

  /// The schema history. Never edit a registered migration; add a new one.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    // v1: runs, their inputs and each requirement's finding.
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            recorded_at TEXT NOT NULL,
            command TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            catalog_version TEXT NOT NULL,
            level INTEGER NOT NULL,
            assessment_date TEXT NOT NULL,
            score INTEGER,
            max_score INTEGER,
            status TEXT NOT NULL,
            met INTEGER NOT NULL,
            not_met INTEGER NOT NULL,
            not_applicable INTEGER NOT NULL,
            not_assessed INTEGER NOT NULL
          );
          CREATE TABLE run_input (
            run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT,
            PRIMARY KEY (run_id, position)
          );
          CREATE TABLE run_requirement (
            run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            requirement_id TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (run_id, requirement_id)
          );
          """)
    }
    // v2: check verdicts, and an index for per-level trends.
    migrator.registerMigration("v2") { db in
      try db.execute(
        sql: """
          ALTER TABLE run ADD COLUMN verdict TEXT;
          ALTER TABLE run ADD COLUMN failed_conditions TEXT NOT NULL DEFAULT '';
          ALTER TABLE run ADD COLUMN baseline TEXT;
          CREATE INDEX run_level ON run(level, id);
          """)
    }
    return migrator
  }

  private struct ImplausibleHistoryValue: Error, CustomStringConvertible {
    var description: String
  }

  /// The row ID, which SQLite keeps a whole number.
  private static func integer(_ row: Row, _ column: String, run: Int64?) throws -> Int64 {
    let value: DatabaseValue = row[column]
    guard case .int64(let number) = value.storage else {
      throw ImplausibleHistoryValue(
        description: "a run's \(column) is \(ColumnReader.describe(value)): expected a whole number")
    }
    return number
  }

  /// Reads one row's columns by their stored values, never trapping: a NULL, text or blob where
  /// a number belongs, or a number outside ``FileNumbers/range``, is an error naming the run,
  /// the table and the column.
  private struct ColumnReader {
    let row: Row
    let run: Int64
    var table = "run"

    /// A whole number that must be present.
    func number(_ column: String) throws -> Int {
      guard let value = try optionalNumber(column) else {
        throw problem(column, "is empty (NULL)", FileNumbers.expectation)
      }
      return value
    }

    /// A whole number, or nil for NULL.
    func optionalNumber(_ column: String) throws -> Int? {
      let value: DatabaseValue = row[column]
      let number: Int64
      switch value.storage {
      case .null: return nil
      case .int64(let stored): number = stored
      case .double(let stored):
        guard let whole = Int64(exactly: stored) else {
          throw problem(column, "is \(Self.describe(value))", FileNumbers.expectation)
        }
        number = whole
      case .string, .blob: throw problem(column, "is \(Self.describe(value))", FileNumbers.expectation)
      }
      guard FileNumbers.range.contains(Int(clamping: number)) else {
        throw problem(column, "\(number) is out of range", FileNumbers.expectation)
      }
      return Int(number)
    }

    /// Text that must be present.
    func text(_ column: String) throws -> String {
      guard let value = try optionalText(column) else { throw problem(column, "is empty (NULL)", "text") }
      return value
    }

    /// Text, or nil for NULL. A number stored in a text column is read as its digits.
    func optionalText(_ column: String) throws -> String? {
      let value: DatabaseValue = row[column]
      switch value.storage {
      case .null: return nil
      case .string(let text): return text
      case .int64(let number): return String(number)
      case .double(let number): return String(number)
      case .blob(let data):
        guard let text = String(data: data, encoding: .utf8) else { throw problem(column, "is binary data", "text") }
        return text
      }
    }

    private func problem(_ column: String, _ what: String, _ expected: String) -> ImplausibleHistoryValue {
      let place = table == "run" ? "run \(run): \(column)" : "run \(run): \(table).\(column)"
      return ImplausibleHistoryValue(description: "\(place) \(what): expected \(expected)")
    }

    /// A stored value for a message, clipped.
    static func describe(_ value: DatabaseValue) -> String {
      switch value.storage {
      case .null: return "empty (NULL)"
      case .int64(let number): return "\(number)"
      case .double(let number): return "the fraction \(number)"
      case .string(let text):
        return "the text '\(ResourceLimits.current.clip(ControlCharacters.strip(text, keepingLayout: false)))'"
      case .blob(let data): return "binary data (\(data.count) bytes)"
      }
    }
  }

  private static func describe(_ error: any Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? "\(error)" }
    return "\(error)"
  }

  /// Runs `body` holding an exclusive advisory lock (`flock`) on `lockPath`.
  private static func withFileLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
    let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw HistoryError.cannotOpen(path: lockPath, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else {
        throw HistoryError.cannotOpen(path: lockPath, reason: String(cString: strerror(errno)))
      }
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
  }
}
