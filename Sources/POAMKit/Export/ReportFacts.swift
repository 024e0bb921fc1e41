import Foundation

/// The numbers both human-readable reports show, computed once from the export context.
struct ReportFacts {
  struct FamilyLoss {
    var code: String
    var name: String
    var points: Int
    var gaps: Int
  }

  let context: ExportContext
  let date: CalendarDate?

  init(_ context: ExportContext) {
    self.context = context
    self.date = context.report.assessmentDate
  }

  var report: GapReport { context.report }
  var document: POAMDocument { context.document }
  var changes: POAMChanges { context.changes }

  /// The sentence that says how much evidence a requirement has beyond the pieces listed, and
  /// where it is: "8,251 results on 1,000 assets; the worst 20 are listed in gap-report.json and
  /// 8,231 more are in evidence.jsonl.gz."
  static func unlistedSentence(_ result: RequirementResult, evidenceFile: String?) -> String {
    let assets = result.evidenceSummary.map { " on \(Plural.count($0.assets, "asset"))" } ?? ""
    let place = evidenceFile ?? "the evidence file (poam gaps --evidence-file)"
    return
      "\(Plural.count(result.evidenceCount, "result"))\(assets); the worst \(Plural.number(result.evidence.count)) \(Plural.noun(result.evidence.count, "is", "are")) listed in gap-report.json and \(Plural.number(result.unlistedEvidence)) more \(Plural.noun(result.unlistedEvidence, "is", "are")) in \(place)."
  }

  /// The evidence behind a POA&M item's requirement when the report lists only part of it.
  func unlistedEvidence(_ item: POAMItem) -> String? {
    guard let result = report.requirements.first(where: { $0.id == item.requirementID }), result.unlistedEvidence > 0
    else { return nil }
    return Self.unlistedSentence(result, evidenceFile: report.evidenceFile)
  }

  /// Where every result is, when an evidence file was written.
  var evidenceFileLine: String? {
    report.evidenceFile.map {
      "Every result read is in \($0), one row per requirement or objective it reaches (see docs/evidence-file.md); gap-report.json lists the worst \(EvidenceTally.defaultExemplarLimit) per requirement and counts them all."
    }
  }

  /// Requirements NOT MET or not assessed, in catalog order.
  var gaps: [RequirementResult] { report.requirements.filter { $0.status == .notMet || $0.status == .notAssessed } }

  /// Points lost per family (gap count for Level 1, which has no points), worst first.
  var lossByFamily: [FamilyLoss] {
    var byFamily: [String: FamilyLoss] = [:]
    for gap in gaps {
      var entry =
        byFamily[gap.family]
        ?? FamilyLoss(code: gap.family, name: context.catalog.familyName(gap.family), points: 0, gaps: 0)
      entry.points += gap.pointsDeducted
      entry.gaps += 1
      byFamily[gap.family] = entry
    }
    return byFamily.values.sorted {
      let left = report.level == .one ? $0.gaps : $0.points
      let right = report.level == .one ? $1.gaps : $1.points
      return left != right ? left > right : $0.code < $1.code
    }
  }

  var pointsLost: Int { gaps.reduce(0) { $0 + $1.pointsDeducted } }

  var activeItems: [POAMItem] { document.items.filter { $0.status != .closed } }
  var closedItems: [POAMItem] { document.items.filter { $0.status == .closed } }
  var blockingItems: [POAMItem] { activeItems.filter { !$0.poamEligible } }

  func isOverdue(_ item: POAMItem) -> Bool { date.map { item.isOverdue(on: $0) } ?? false }

  /// `87 / 110`, or the count of requirements MET at Level 1.
  var scoreText: String {
    if let score = report.score, let maxScore = report.maxScore { return "\(score) / \(maxScore)" }
    let total = report.requirements.count
    let met = report.requirements.filter { $0.status.isSatisfied }.count
    return "\(met) / \(total) met"
  }

  /// `+3 since 2025-01-15`, `no change since ...`, or nil.
  var scoreChangeText: String? {
    guard let change = changes.scoreChange else { return nil }
    let since = changes.priorAssessmentDate.map { " since \($0)" } ?? ""
    if change == 0 { return "no change\(since)" }
    return (change > 0 ? "+\(change)" : "\(change)") + since
  }

  /// The latest due date of the item's milestones that is not done, or its scheduled completion.
  func nextMilestone(_ item: POAMItem) -> Milestone? {
    item.milestones.first { !$0.isCompleted }
  }

  /// Words for a change list.
  static func list(_ ids: [String], limit: Int = 12) -> String {
    if ids.isEmpty { return "none" }
    let shown = ids.prefix(limit).joined(separator: ", ")
    return ids.count > limit ? "\(shown) and \(ids.count - limit) more" : shown
  }
}
