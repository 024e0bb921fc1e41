/// A requirement whose finding changed between two snapshots.
public struct RequirementChange: Codable, Sendable, Hashable {
  /// Canonical ID.
  public var id: String
  /// Title, when known.
  public var title: String?
  /// The finding before (nil: not listed).
  public var before: RequirementStatus?
  /// The finding after (nil: not listed).
  public var after: RequirementStatus?

  /// Creates a change.
  public init(id: String, title: String?, before: RequirementStatus?, after: RequirementStatus?) {
    self.id = id
    self.title = title
    self.before = before
    self.after = after
  }
}

/// One side of a comparison: where it came from and its headline numbers.
public struct SnapshotSummary: Codable, Sendable, Hashable {
  /// The file (or `current run`).
  public var source: String
  /// Gap report or POA&M.
  public var kind: AssessmentSnapshot.Kind
  /// The level, when known.
  public var level: CMMCLevel?
  /// The score, when known.
  public var score: Int?
  /// The best possible score, when known.
  public var maxScore: Int?
  /// The certification status, when known.
  public var status: CertificationStatus?
  /// The assessment date, when known.
  public var assessmentDate: String?
  /// Requirements NOT MET.
  public var gaps: Int
  /// Requirements with no evidence (NOT ASSESSED).
  public var notAssessed: Int
  /// Open POA&M items (0 for a gap report).
  public var openItems: Int

  /// Summarizes a snapshot.
  public init(_ snapshot: AssessmentSnapshot) {
    source = snapshot.source
    kind = snapshot.kind
    level = snapshot.level
    score = snapshot.score
    maxScore = snapshot.maxScore
    status = snapshot.status
    assessmentDate = snapshot.assessmentDate
    gaps = snapshot.gapIDs.count
    notAssessed = snapshot.requirements.values.filter { $0.status == .notAssessed }.count
    openItems = snapshot.items.filter(\.isOpen).count
  }

  enum CodingKeys: String, CodingKey {
    case source, kind, level, score
    case maxScore = "max_score"
    case status
    case assessmentDate = "assessment_date"
    case gaps
    case notAssessed = "not_assessed"
    case openItems = "open_items"
  }
}

/// What changed between two gap reports or POA&Ms (`poam diff OLD NEW`, and the comparison
/// behind `poam check`): score and status, gaps opened and closed, evidence lost and gained,
/// POA&M items reopened or overdue. A pure value; rendering is ``ReportDiffRenderer``'s job.
public struct ReportDiff: Codable, Sendable, Hashable {
  /// The older side (the baseline).
  public var old: SnapshotSummary
  /// The newer side (the current run).
  public var new: SnapshotSummary
  /// The day overdue items were judged against, `YYYY-MM-DD`.
  public var asOf: String
  /// New score minus old score, when both are known.
  public var scoreChange: Int?
  /// Satisfied before (or not on the older POA&M), NOT MET now.
  public var gapsOpened: [String]
  /// NOT MET before, satisfied now.
  public var gapsClosed: [String]
  /// Not assessed before, NOT MET now: evidence arrived and shows a gap.
  public var gapsNewlyAssessed: [String]
  /// Had evidence before, has none now.
  public var evidenceLost: [String]
  /// Had no evidence before, has some now.
  public var evidenceGained: [String]
  /// Every requirement whose finding changed, in catalog order when known.
  public var changes: [RequirementChange]
  /// POA&M items closed before and open (or failing again) now.
  public var itemsReopened: [RemediationItem]
  /// Open POA&M items past their scheduled completion as of ``asOf``.
  public var itemsOverdue: [RemediationItem]
  /// What the comparison could not judge, and why.
  public var notes: [String]

  enum CodingKeys: String, CodingKey {
    case old, new
    case asOf = "as_of"
    case scoreChange = "score_change"
    case gapsOpened = "gaps_opened"
    case gapsClosed = "gaps_closed"
    case gapsNewlyAssessed = "gaps_newly_assessed"
    case evidenceLost = "evidence_lost"
    case evidenceGained = "evidence_gained"
    case changes
    case itemsReopened = "items_reopened"
    case itemsOverdue = "items_overdue"
    case notes
  }

  /// True when the certification status got worse.
  public var eligibilityLost: Bool {
    guard let before = old.status, let after = new.status else { return false }
    return after < before
  }

  /// True when the certification status got better.
  public var eligibilityGained: Bool {
    guard let before = old.status, let after = new.status else { return false }
    return before < after
  }

  /// True when the score went down.
  public var scoreDropped: Bool { (scoreChange ?? 0) < 0 }

  /// True when anything compared against the older side got worse: a gap opened, the score
  /// dropped, the status got worse or evidence went missing. (Overdue items are about the
  /// calendar, not the comparison.)
  public var gotWorse: Bool { !gapsOpened.isEmpty || scoreDropped || eligibilityLost || !evidenceLost.isEmpty }

  /// True when something got better: a gap closed, the score rose, the status improved or
  /// evidence arrived.
  public var improved: Bool {
    !gapsClosed.isEmpty || (scoreChange ?? 0) > 0 || eligibilityGained || !evidenceGained.isEmpty
  }

  /// Compares two snapshots. `asOf` (`YYYY-MM-DD`) is the day overdue items are judged against.
  public static func compare(old: AssessmentSnapshot, new: AssessmentSnapshot, asOf: String) -> ReportDiff {
    var notes: [String] = []
    if let before = old.level, let after = new.level, before != after {
      notes.append(
        "\(old.source) is \(before) and \(new.source) is \(after): requirements outside both are not compared")
    }
    if old.kind == .poam {
      notes.append(
        "\(old.source) is a POA&M: a requirement it has no open item for is taken as satisfied, and evidence loss cannot be judged (a POA&M does not record evidence)"
      )
    }
    if new.kind == .poam {
      notes.append("\(new.source) is a POA&M: a requirement it has no open item for is taken as satisfied")
    }
    let ids = Set(old.requirements.keys).union(new.requirements.keys)
    var opened: [String] = []
    var closed: [String] = []
    var newlyAssessed: [String] = []
    var lost: [String] = []
    var gained: [String] = []
    var changes: [RequirementChange] = []
    for id in ids {
      let before = old.status(of: id)
      let after = new.status(of: id)
      if before != after {
        let title = new.requirements[id]?.title ?? old.requirements[id]?.title
        changes.append(RequirementChange(id: id, title: title, before: before, after: after))
      }
      guard let before, let after else { continue }
      if after == .notMet, before.isSatisfied { opened.append(id) }
      if before == .notMet, after.isSatisfied { closed.append(id) }
      if before == .notAssessed, after == .notMet { newlyAssessed.append(id) }
      if old.requirements[id]?.hasEvidence == true, after == .notAssessed { lost.append(id) }
      if before == .notAssessed, after != .notAssessed, new.requirements[id]?.hasEvidence != false { gained.append(id) }
    }
    let order = RequirementOrder(new.report ?? old.report)
    let reopened = reopenedItems(old: old, new: new)
    let overdueSource: [RemediationItem]
    if new.kind == .poam {
      overdueSource = new.items
    } else {
      // The older POA&M's items still matter while any requirement they cover is not satisfied now.
      overdueSource = old.items.filter { item in
        item.requirementIDs.contains { new.status(of: $0).map { !$0.isSatisfied } ?? true }
      }
    }
    let overdue = overdueSource.filter { $0.isOverdue(asOf: asOf) }.sorted {
      ($0.scheduledCompletion ?? "", $0.itemID) < ($1.scheduledCompletion ?? "", $1.itemID)
    }
    let scoreChange: Int? = {
      guard let before = old.score, let after = new.score else { return nil }
      return after - before
    }()
    let sortedChanges = order.sort(changes.map(\.id)).compactMap { id in changes.first { $0.id == id } }
    return ReportDiff(
      old: SnapshotSummary(old), new: SnapshotSummary(new), asOf: asOf, scoreChange: scoreChange,
      gapsOpened: order.sort(opened), gapsClosed: order.sort(closed), gapsNewlyAssessed: order.sort(newlyAssessed),
      evidenceLost: order.sort(lost), evidenceGained: order.sort(gained), changes: sortedChanges,
      itemsReopened: reopened, itemsOverdue: overdue, notes: notes)
  }

  /// Items closed in the older POA&M that are open again in the newer one, or (against a gap
  /// report) whose requirements are NOT MET again.
  private static func reopenedItems(old: AssessmentSnapshot, new: AssessmentSnapshot) -> [RemediationItem] {
    let closedBefore = old.items.filter { !$0.isOpen }
    var reopened: [RemediationItem] = []
    for item in closedBefore {
      if new.kind == .poam {
        if let same = new.items.first(where: { $0.itemID == item.itemID }) {
          if same.isOpen { reopened.append(same) }
        } else if let match = new.items.first(where: {
          $0.isOpen && !Set($0.requirementIDs).isDisjoint(with: item.requirementIDs)
        }) {
          reopened.append(match)
        }
      } else if item.requirementIDs.contains(where: { new.status(of: $0) == .notMet }) {
        reopened.append(item)
      }
    }
    return reopened.sorted { $0.itemID < $1.itemID }
  }
}

/// Sorts requirement IDs in a report's (catalog) order, else in natural order (3.1.2 before 3.1.10).
struct RequirementOrder {
  private let position: [String: Int]

  init(_ report: GapReport?) {
    var position: [String: Int] = [:]
    for (index, requirement) in (report?.requirements ?? []).enumerated() { position[requirement.id] = index }
    self.position = position
  }

  func sort(_ ids: [String]) -> [String] {
    ids.sorted { a, b in
      switch (position[a], position[b]) {
      case (let x?, let y?): return x < y
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return Self.natural(a, b)
      }
    }
  }

  /// Compares runs of digits by value and everything else by character.
  static func natural(_ a: String, _ b: String) -> Bool {
    let left = chunks(a)
    let right = chunks(b)
    for (x, y) in zip(left, right) where x != y {
      if let p = Int(x), let q = Int(y) { return p < q }
      return x < y
    }
    return left.count < right.count
  }

  private static func chunks(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    var inDigits = false
    for character in text {
      let digit = character.isASCII && character.isNumber
      if !current.isEmpty, digit != inDigits {
        result.append(current)
        current = ""
      }
      inDigits = digit
      current.append(character)
    }
    if !current.isEmpty { result.append(current) }
    return result
  }
}
