import Foundation

/// What a rerun changed, item by item, and how the score moved.
public struct POAMChanges: Codable, Sendable, Hashable {
  /// True when there was a prior POA&M to compare with.
  public var hadPrior: Bool
  /// The prior document's assessment date.
  public var priorAssessmentDate: String?
  /// The prior score (when the prior POA&M recorded one).
  public var priorScore: Int?
  /// The score now.
  public var score: Int?
  /// Items for gaps the prior POA&M did not have.
  public var new: [String]
  /// Items closed by this run: their requirement is now MET (or N/A).
  public var closed: [String]
  /// Closed items whose requirement fails again.
  public var reopened: [String]
  /// Items that were open (or risk accepted) and still are.
  public var stillOpen: [String]
  /// Of all items not closed, those a person marked risk accepted.
  public var riskAccepted: [String]
  /// Open items whose scheduled completion is before the assessment date.
  public var overdue: [String]
  /// Items this run did not touch: closed and still MET, rows people added, requirements outside
  /// this assessment's scope.
  public var unchanged: [String]
  /// Remarks: items scheduled past the closeout deadline, rows merged, items outside the scope.
  public var diagnostics: [Diagnostic]

  /// Creates a change set.
  public init(
    hadPrior: Bool, priorAssessmentDate: String? = nil, priorScore: Int? = nil, score: Int? = nil, new: [String] = [],
    closed: [String] = [], reopened: [String] = [], stillOpen: [String] = [], riskAccepted: [String] = [],
    overdue: [String] = [], unchanged: [String] = [], diagnostics: [Diagnostic] = []
  ) {
    self.hadPrior = hadPrior
    self.priorAssessmentDate = priorAssessmentDate
    self.priorScore = priorScore
    self.score = score
    self.new = new
    self.closed = closed
    self.reopened = reopened
    self.stillOpen = stillOpen
    self.riskAccepted = riskAccepted
    self.overdue = overdue
    self.unchanged = unchanged
    self.diagnostics = diagnostics
  }

  enum CodingKeys: String, CodingKey {
    case hadPrior = "had_prior"
    case priorAssessmentDate = "prior_assessment_date"
    case priorScore = "prior_score"
    case score, new, closed, reopened
    case stillOpen = "still_open"
    case riskAccepted = "risk_accepted"
    case overdue, unchanged, diagnostics
  }

  /// Score now minus score then, when both are known.
  public var scoreChange: Int? {
    guard let score, let priorScore else { return nil }
    return score - priorScore
  }
}

/// Merges a fresh draft with the previous POA&M.
///
/// - Items are matched by requirement (the stable ID derives from it).
/// - Every field people edit (``POAMField/isHumanEditable``) is kept exactly from the prior item.
/// - An item whose requirement is now MET or N/A is closed, with the date and the evidence.
/// - A closed item whose requirement fails again is reopened, with a note in its history.
/// - A new gap becomes a new item. Nothing is deleted: prior items this run does not speak to
///   (rows people added, requirements outside the scope) are carried over unchanged.
struct POAMMerger: Sendable {
  /// The catalog, for the order of items.
  public let catalog: Catalog
  /// The closeout window, for deadline remarks.
  public let policy: POAMPolicy

  /// Creates a merger.
  public init(catalog: Catalog, policy: POAMPolicy = .standard) {
    self.catalog = catalog
    self.policy = policy
  }

  /// Merges `draft` (drafted from `report`) into `prior`. Without a prior, the draft is the result
  /// and every item is new.
  public func merge(draft: POAMDocument, prior: POAMDocument?, report: GapReport) throws -> (
    POAMDocument, POAMChanges
  ) {
    let date = report.assessmentDate
    var changes = POAMChanges(
      hadPrior: prior != nil,
      priorAssessmentDate: prior.flatMap { $0.assessmentDate.isEmpty ? nil : $0.assessmentDate },
      priorScore: prior?.score,
      score: report.score)
    guard let prior else {
      changes.new = draft.items.map(\.id)
      finish(&changes, items: draft.items, date: date)
      return (draft, changes)
    }

    let results = Dictionary(report.requirements.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let drafted = Dictionary(draft.items.map { ($0.requirementID, $0) }, uniquingKeysWith: { first, _ in first })
    var merged: [POAMItem] = []
    var matched = Set<String>()

    for old in prior.items {
      guard !old.isCustom else {
        merged.append(old)
        changes.unchanged.append(old.id)
        continue
      }
      if matched.contains(old.requirementID) {
        // A second prior item for the same requirement: keep it as it is, say so.
        merged.append(old)
        changes.unchanged.append(old.id)
        changes.diagnostics.append(
          Diagnostic(
            .warning, .duplicateItem, source: "poam", location: old.id,
            message:
              "the prior POA&M has more than one item for \(old.requirementID); this one is kept unchanged and not merged"
          ))
        continue
      }
      matched.insert(old.requirementID)
      if var fresh = drafted[old.requirementID] {
        // Still a gap: redraft what poam derives, keep what people wrote.
        fresh.id = old.id
        fresh.keepHumanEdits(from: old)
        fresh.dateIdentified = old.dateIdentified.isEmpty ? fresh.dateIdentified : old.dateIdentified
        fresh.history = old.history
        fresh.closedOn = nil
        fresh.closureEvidence = nil
        if old.status == .closed {
          fresh.status = .open
          let when = old.closedOn.map { " (closed on \($0))" } ?? ""
          let finding = fresh.finding == .notAssessed ? "has no evidence" : "is NOT MET"
          fresh.history.append(
            POAMEvent(
              date: date.iso, kind: .reopened,
              note: "reopened: \(old.requirementID) \(finding) again in the assessment of \(date.iso)\(when)"))
          if let evidence = old.closureEvidence, !evidence.isEmpty {
            fresh.history.append(
              POAMEvent(date: date.iso, kind: .note, note: "previous closure evidence: " + oneLine(evidence)))
          }
          changes.reopened.append(fresh.id)
        } else {
          changes.stillOpen.append(fresh.id)
        }
        merged.append(fresh)
      } else if let result = results[old.requirementID], result.status.isSatisfied {
        if old.status == .closed {
          merged.append(old)
          changes.unchanged.append(old.id)
        } else {
          var closed = old
          closed.status = .closed
          closed.finding = result.status
          closed.closedOn = date.iso
          closed.closureEvidence = closureEvidence(result, date: date)
          closed.history.append(
            POAMEvent(date: date.iso, kind: .closed, note: oneLine(closed.closureEvidence ?? "")))
          merged.append(closed)
          changes.closed.append(closed.id)
        }
      } else {
        merged.append(old)
        changes.unchanged.append(old.id)
        if old.status != .closed {
          changes.diagnostics.append(
            Diagnostic(
              .note, .outsideLevel, source: "poam", location: old.id,
              message:
                "\(old.requirementID) is not in this Level \(report.level.rawValue) assessment; the item is kept unchanged"
            ))
        }
      }
    }
    for item in draft.items where !matched.contains(item.requirementID) {
      merged.append(item)
      changes.new.append(item.id)
    }

    let order = Dictionary(
      catalog.requirements.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
    let indexed = merged.enumerated().sorted { lhs, rhs in
      let left = order[lhs.element.requirementID] ?? Int.max
      let right = order[rhs.element.requirementID] ?? Int.max
      return left != right ? left < right : lhs.offset < rhs.offset
    }
    let items = indexed.map(\.element)
    finish(&changes, items: items, date: date)
    var document = draft
    document.items = items
    return (document, changes)
  }

  /// Fills the overdue, risk-accepted and deadline remarks, which depend on the final items.
  private func finish(_ changes: inout POAMChanges, items: [POAMItem], date: CalendarDate) {
    changes.overdue = items.filter { $0.isOverdue(on: date) }.map(\.id)
    changes.riskAccepted = items.filter { $0.status == .riskAccepted }.map(\.id)
    for item in items where item.status == .open && item.poamEligible {
      guard let identified = CalendarDate(iso: item.dateIdentified), let due = item.scheduledCompletionDate else {
        continue
      }
      let deadline = identified.adding(days: policy.closeoutDays)
      if due > deadline {
        changes.diagnostics.append(
          Diagnostic(
            .warning, .dueAfterCloseout, source: "poam", location: item.id,
            message:
              "scheduled completion \(due.iso) is after \(deadline.iso), \(policy.closeoutDays) days after the gap was identified; a Conditional status expires if the POA&M is not closed out within 180 days (32 CFR 170.21(b))"
          ))
      }
    }
  }

  /// The documentation of completion: the finding, the date and what the evidence says.
  func closureEvidence(_ result: RequirementResult, date: CalendarDate) -> String {
    let finding = result.status == .notApplicable ? "NOT APPLICABLE" : "MET"
    var text = "\(finding) in the assessment of \(date.iso)"
    let supporting = result.evidence.filter { $0.status?.isSatisfied ?? false }
    if supporting.isEmpty {
      return text + "."
    }
    var parts: [String] = []
    for evidence in supporting.prefix(5) {
      var part = evidence.rawStatus.isEmpty ? (evidence.status?.label ?? "") : evidence.rawStatus
      if let asset = evidence.asset, !asset.isEmpty { part += " on \(asset)" }
      part += " (\(evidence.source)\(evidence.location.isEmpty ? "" : " \(evidence.location)"))"
      if !evidence.detail.isEmpty { part += ": \(evidence.detail)" }
      parts.append(part)
    }
    text += ". Evidence: " + parts.joined(separator: "; ")
    if supporting.count > 5 { text += "; and \(supporting.count - 5) more" }
    return text + "."
  }

  private func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}
