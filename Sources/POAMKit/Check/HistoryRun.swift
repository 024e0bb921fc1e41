import Foundation

/// An input file as the history records it: its name and the SHA-256 of its content.
public struct HistoryInput: Codable, Sendable, Hashable {
  /// The name as given on the command line (or found in a directory).
  public var name: String
  /// The SHA-256 of the content, hex (nil for standard input or an unreadable path).
  public var sha256: String?

  /// Creates an input record.
  public init(name: String, sha256: String?) {
    self.name = name
    self.sha256 = sha256
  }

  /// Hashes the named files; `-` (standard input) and names that are not readable files get no hash.
  public static func hashing(_ names: [String], relativeTo directory: URL? = nil) -> [HistoryInput] {
    names.map { name in
      guard name != "-" else { return HistoryInput(name: name, sha256: nil) }
      let path = name.hasPrefix("/") || directory == nil ? name : directory!.appendingPathComponent(name).path
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        return HistoryInput(name: name, sha256: nil)
      }
      return HistoryInput(name: name, sha256: SHA256Digest.hex(fileAt: path))
    }
  }
}

/// One recorded `analyze` or `check` run: when, what was read, the level, score, status,
/// counts, each requirement's finding and, for `check`, the verdict.
public struct HistoryRun: Codable, Sendable, Hashable {
  /// The row ID (nil before it is recorded). IDs grow in recording order.
  public var id: Int64?
  /// When the run was recorded, ISO 8601 UTC (`2026-03-01T12:00:00Z`).
  public var recordedAt: String
  /// `analyze`, `check` or `history --add`.
  public var command: String
  /// The poam version.
  public var toolVersion: String
  /// The catalog version.
  public var catalogVersion: String
  /// The target level.
  public var level: CMMCLevel
  /// The assessment date, `YYYY-MM-DD`.
  public var assessmentDate: String
  /// The score (nil at Level 1).
  public var score: Int?
  /// The best possible score (nil at Level 1).
  public var maxScore: Int?
  /// Final, conditional or not eligible.
  public var status: CertificationStatus
  /// Requirement counts.
  public var counts: GapCounts
  /// For `check`: `pass` or `fail`.
  public var verdict: String?
  /// For `check`: the selected conditions that failed.
  public var failedConditions: [String]
  /// For `check`: the baseline file.
  public var baseline: String?
  /// The inputs read, in order.
  public var inputs: [HistoryInput]
  /// Each requirement's finding, by canonical ID.
  public var requirements: [String: RequirementStatus]

  /// Creates a run record.
  public init(
    id: Int64? = nil, recordedAt: String, command: String, toolVersion: String, catalogVersion: String,
    level: CMMCLevel, assessmentDate: String, score: Int?, maxScore: Int?, status: CertificationStatus,
    counts: GapCounts, verdict: String? = nil, failedConditions: [String] = [], baseline: String? = nil,
    inputs: [HistoryInput], requirements: [String: RequirementStatus]
  ) {
    self.id = id
    self.recordedAt = recordedAt
    self.command = command
    self.toolVersion = toolVersion
    self.catalogVersion = catalogVersion
    self.level = level
    self.assessmentDate = assessmentDate
    self.score = score
    self.maxScore = maxScore
    self.status = status
    self.counts = counts
    self.verdict = verdict
    self.failedConditions = failedConditions
    self.baseline = baseline
    self.inputs = inputs
    self.requirements = requirements
  }

  /// A record of a gap report; `verdict` adds a check's outcome.
  public init(
    report: GapReport, command: String, inputs: [HistoryInput], verdict: DriftVerdict? = nil,
    recordedAt: Date = Date()
  ) {
    self.init(
      recordedAt: Self.timestamp(recordedAt), command: command, toolVersion: report.toolVersion,
      catalogVersion: report.catalogVersion, level: report.level, assessmentDate: report.assessmentDate.iso,
      score: report.score, maxScore: report.maxScore, status: report.status, counts: report.counts,
      verdict: verdict.map { $0.passed ? "pass" : "fail" },
      failedConditions: verdict?.failures.map(\.condition.rawValue) ?? [], baseline: verdict?.diff.old.source,
      inputs: inputs,
      requirements: Dictionary(report.requirements.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first }))
  }

  /// ISO 8601 in UTC, to the second.
  public static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  enum CodingKeys: String, CodingKey {
    case id
    case recordedAt = "recorded_at"
    case command
    case toolVersion = "tool_version"
    case catalogVersion = "catalog_version"
    case level
    case assessmentDate = "assessment_date"
    case score
    case maxScore = "max_score"
    case status, counts, verdict
    case failedConditions = "failed_conditions"
    case baseline, inputs, requirements
  }
}
