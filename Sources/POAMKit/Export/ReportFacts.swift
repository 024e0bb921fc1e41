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
