import Foundation

/// Output formats of `poam history`.
public enum HistoryFormat: String, CaseIterable, Sendable {
  case text, json, csv
}

/// The trend `poam history` prints: one line per recorded run with score, status, counts and
/// the gaps opened and closed since the previous run of the same level.
public enum HistoryTrend {
  /// One run with its change from the previous run of the same level.
  public struct Entry: Encodable, Sendable {
    /// The run.
    public var run: HistoryRun
    /// NOT MET now, not NOT MET in the previous run of the level.
    public var gapsOpened: [String]
    /// NOT MET in the previous run of the level, not NOT MET now.
    public var gapsClosed: [String]
    /// Score minus the previous run's score.
    public var scoreChange: Int?

    enum CodingKeys: String, CodingKey {
      case run
      case gapsOpened = "gaps_opened"
      case gapsClosed = "gaps_closed"
      case scoreChange = "score_change"
    }
  }

  /// Pairs each run with the previous run of its level.
  public static func entries(_ runs: [HistoryRun]) -> [Entry] {
    var previous: [CMMCLevel: HistoryRun] = [:]
    var entries: [Entry] = []
    for run in runs {
      let gaps = Set(run.requirements.filter { $0.value == .notMet }.keys)
      var opened: [String] = []
      var closed: [String] = []
      var change: Int?
      if let before = previous[run.level] {
        let old = Set(before.requirements.filter { $0.value == .notMet }.keys)
        opened = RequirementOrder(nil).sort(Array(gaps.subtracting(old)))
        closed = RequirementOrder(nil).sort(Array(old.subtracting(gaps)))
        if let a = before.score, let b = run.score { change = b - a }
      }
      entries.append(Entry(run: run, gapsOpened: opened, gapsClosed: closed, scoreChange: change))
      previous[run.level] = run
    }
    return entries
  }

  /// Renders the trend.
  public static func render(_ runs: [HistoryRun], format: HistoryFormat) throws -> String {
    let entries = entries(runs)
    switch format {
    case .json:
      return try JSONOutput.string(entries)
    case .csv:
      var lines = [
        "id,recorded_at,command,level,assessment_date,score,max_score,status,met,not_met,not_applicable,not_assessed,gaps_opened,gaps_closed,verdict,failed_conditions,inputs"
      ]
      for entry in entries {
        let run = entry.run
        let fields: [String] = [
          run.id.map(String.init) ?? "", run.recordedAt, run.command, String(run.level.rawValue), run.assessmentDate,
          run.score.map(String.init) ?? "", run.maxScore.map(String.init) ?? "", run.status.rawValue,
          String(run.counts.met), String(run.counts.notMet), String(run.counts.notApplicable),
          String(run.counts.notAssessed), entry.gapsOpened.joined(separator: " "),
          entry.gapsClosed.joined(separator: " "), run.verdict ?? "", run.failedConditions.joined(separator: " "),
          run.inputs.map(\.name).joined(separator: " "),
        ]
        lines.append(fields.map(csvField).joined(separator: ","))
      }
      return lines.joined(separator: "\r\n") + "\r\n"
    case .text:
      if entries.isEmpty { return "no runs recorded\n" }
      let rows = entries.map { entry -> [String] in
        let run = entry.run
        let score = run.score.map { score in
          score.description + (entry.scoreChange.map { $0 == 0 ? "" : " (\($0 > 0 ? "+" : "")\($0))" } ?? "")
        }
        return [
          run.id.map(String.init) ?? "", run.assessmentDate, run.recordedAt, run.command, String(run.level.rawValue),
          score ?? "–",
          run.status.rawValue, String(run.counts.met), String(run.counts.notMet), String(run.counts.notApplicable),
          String(run.counts.notAssessed), changeCell(entry), run.verdict ?? "",
        ]
      }
      return TextTable.render(
        header: [
          "Run", "Assessed", "Recorded (UTC)", "Command", "Level", "Score", "Status", "Met", "Not met", "N/A",
          "Not assessed",
          "Gaps +/-", "Verdict",
        ], rows: rows) + "\n"
    }
  }

  private static func changeCell(_ entry: Entry) -> String {
    if entry.gapsOpened.isEmpty && entry.gapsClosed.isEmpty { return "" }
    return "+\(entry.gapsOpened.count)/-\(entry.gapsClosed.count)"
  }

  /// RFC 4180: quote fields with commas, quotes or line breaks; double the quotes.
  private static func csvField(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
