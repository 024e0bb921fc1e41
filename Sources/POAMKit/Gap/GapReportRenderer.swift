import Foundation

/// Renders a ``GapReport`` for `poam gaps`: `json` (the report itself, deterministic), `text`
/// for a terminal, `markdown` for a ticket or a pull request.
///
/// Text and Markdown put the verdict first (score and status), then the reasons, a table by
/// family, the gaps worst first (most points lost, then those that block a Conditional status,
/// then catalog order) with their failing objectives and a line of evidence, the requirements
/// without evidence, the conflicts, and the diagnostics.
public struct GapReportRenderer: Sendable {
  /// Family names by code (`AC` → `Access Control`); codes are shown alone when missing.
  public let familyNames: [String: String]

  /// Creates a renderer with family names.
  public init(familyNames: [String: String] = [:]) {
    self.familyNames = familyNames
  }

  /// Creates a renderer that takes family names from a catalog.
  public init(catalog: Catalog) {
    self.familyNames = Dictionary(
      catalog.manifest.families.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
  }

  /// The report in a format. `color` adds ANSI colours to `text` (decide it from the terminal
  /// and `NO_COLOR`); the other formats ignore it. Every format ends with a new line.
  public func render(_ report: GapReport, format: ReportFormat, color: Bool = false) throws -> String {
    switch format {
    case .json: return String(decoding: try report.jsonData(), as: UTF8.self)
    case .text: return GapTextRenderer(report: report, familyNames: familyNames, color: color).render()
    case .markdown: return GapMarkdownRenderer(report: report, familyNames: familyNames).render()
    }
  }
}

/// What text and Markdown share: the family table and the order of the gaps.
struct GapReportLayout {
  let report: GapReport
  let familyNames: [String: String]

  /// One row of the family table.
  struct FamilyRow {
    var level: CMMCLevel
    var family: String
    var name: String
    var counts: GapCounts
    var pointsLost: Int
  }

  /// The levels the report holds, in order (Level 3 reports hold Level 2 and 3).
  var levels: [CMMCLevel] {
    Array(Set(report.requirements.map(\.level))).sorted()
  }

  /// Rows by family, in the order families first appear in the catalog, for one level.
  func familyRows(_ level: CMMCLevel) -> [FamilyRow] {
    var rows: [FamilyRow] = []
    for result in report.requirements where result.level == level {
      if !rows.contains(where: { $0.family == result.family }) {
        rows.append(
          FamilyRow(
            level: level, family: result.family, name: familyNames[result.family] ?? result.family,
            counts: GapCounts(), pointsLost: 0))
      }
      let index = rows.firstIndex { $0.family == result.family }!
      switch result.status {
      case .met: rows[index].counts.met += 1
      case .notMet: rows[index].counts.notMet += 1
      case .notApplicable: rows[index].counts.notApplicable += 1
      case .notAssessed: rows[index].counts.notAssessed += 1
      }
      rows[index].pointsLost += result.pointsDeducted
    }
    return rows
  }

  /// The total of some rows.
  func total(_ rows: [FamilyRow]) -> (counts: GapCounts, pointsLost: Int) {
    var counts = GapCounts()
    for row in rows {
      counts.met += row.counts.met
      counts.notMet += row.counts.notMet
      counts.notApplicable += row.counts.notApplicable
      counts.notAssessed += row.counts.notAssessed
    }
    return (counts, rows.map(\.pointsLost).reduce(0, +))
  }

  /// Requirements with a given status, worst first (``GapReport/worstFirst(_:)``).
  func worstFirst(_ status: RequirementStatus) -> [RequirementResult] {
    GapReport.worstFirst(report.requirements.filter { $0.status == status })
  }

  /// The evidence line to show for a gap: the first failing piece, else the first piece.
  func leadEvidence(_ result: RequirementResult) -> Evidence? {
    result.evidence.first { ($0.status.map { !$0.isSatisfied && $0 != .notAssessed }) ?? false }
      ?? result.evidence.first
  }

  /// `NOT MET [c] on web01 [automated] — detail (file:location)`
  func describe(_ evidence: Evidence) -> String {
    var text = evidence.status?.label ?? "'\(evidence.rawStatus)'"
    if let objective = evidence.objective { text += " [\(objective)]" }
    if let asset = evidence.asset { text += " on \(asset)" }
    if evidence.kind == .automated { text += " (automated)" }
    if evidence.kind == .manual { text += " (manual review)" }
    if evidence.indirect { text += " (indirect, via \(evidence.via.rawValue))" }
    if let from = evidence.creditedFrom { text += " (credited from \(from))" }
    if !evidence.detail.isEmpty { text += " — \(evidence.detail)" }
    let place = evidence.location.isEmpty ? evidence.source : "\(evidence.source):\(evidence.location)"
    return text + " (\(place))"
  }

  /// "96 of 110", or "none" at Level 1.
  var scoreText: String {
    guard let score = report.score, let maximum = report.maxScore else { return "none" }
    return "\(score) of \(maximum)"
  }

  /// How many diagnostics of each severity, worst first: "2 warnings, 1 note".
  var diagnosticCounts: String {
    let severities: [Diagnostic.Severity] = [.error, .warning, .note]
    return severities.compactMap { severity in
      let count = report.diagnostics.filter { $0.severity == severity }.count
      return count == 0 ? nil : "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
    }.joined(separator: ", ")
  }
}
