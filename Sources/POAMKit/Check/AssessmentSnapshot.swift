/// One requirement as a snapshot knows it.
public struct RequirementSnapshot: Codable, Sendable, Hashable {
  /// Canonical ID.
  public var id: String
  /// Title, when known.
  public var title: String?
  /// The finding.
  public var status: RequirementStatus
  /// Whether any evidence stood behind the finding (nil: the source does not say, as in a POA&M).
  public var hasEvidence: Bool?
  /// Points subtracted from the score, when known.
  public var pointsDeducted: Int?

  /// Creates a requirement snapshot.
  public init(id: String, title: String?, status: RequirementStatus, hasEvidence: Bool?, pointsDeducted: Int?) {
    self.id = id
    self.title = title
    self.status = status
    self.hasEvidence = hasEvidence
    self.pointsDeducted = pointsDeducted
  }

  enum CodingKeys: String, CodingKey {
    case id, title, status
    case hasEvidence = "has_evidence"
    case pointsDeducted = "points_deducted"
  }
}

/// What `poam check` and `poam diff` compare: a gap report, or a POA&M that poam wrote, reduced
/// to level, score, status, each requirement's finding and the POA&M items with their dates.
///
/// A gap report knows every requirement of its level. A POA&M knows only the requirements it has
/// items for: a requirement it does not mention is taken as satisfied (it needed no item), which
/// is what ``coversAllRequirements`` records.
public struct AssessmentSnapshot: Sendable, Hashable {
  /// Where the snapshot came from.
  public enum Kind: String, Codable, Sendable {
    case gapReport = "gap-report"
    case poam
  }

  /// Gap report or POA&M.
  public var kind: Kind
  /// The file it was read from (or a name such as `current run`).
  public var source: String
  /// The target level, when known.
  public var level: CMMCLevel?
  /// The score (nil at Level 1 or when unknown).
  public var score: Int?
  /// The best possible score, when known.
  public var maxScore: Int?
  /// The certification status, when known.
  public var status: CertificationStatus?
  /// The assessment date, `YYYY-MM-DD`, when known.
  public var assessmentDate: String?
  /// The known requirements by canonical ID.
  public var requirements: [String: RequirementSnapshot]
  /// True for a gap report (every requirement of the level is listed), false for a POA&M.
  public var coversAllRequirements: Bool
  /// POA&M items with their due dates (empty for a gap report).
  public var items: [RemediationItem]
  /// The report itself, when the snapshot is a gap report.
  public var report: GapReport?

  /// Creates a snapshot.
  public init(
    kind: Kind, source: String, level: CMMCLevel?, score: Int?, maxScore: Int?, status: CertificationStatus?,
    assessmentDate: String?, requirements: [String: RequirementSnapshot], coversAllRequirements: Bool,
    items: [RemediationItem], report: GapReport? = nil
  ) {
    self.kind = kind
    self.source = source
    self.level = level
    self.score = score
    self.maxScore = maxScore
    self.status = status
    self.assessmentDate = assessmentDate
    self.requirements = requirements
    self.coversAllRequirements = coversAllRequirements
    self.items = items
    self.report = report
  }

  /// A gap report's snapshot.
  public init(report: GapReport, source: String) {
    var requirements: [String: RequirementSnapshot] = [:]
    for result in report.requirements {
      requirements[result.id] = RequirementSnapshot(
        id: result.id, title: result.title, status: result.status,
        hasEvidence: result.status != .notAssessed && !result.evidence.isEmpty, pointsDeducted: result.pointsDeducted)
    }
    self.init(
      kind: .gapReport, source: source, level: report.level, score: report.score, maxScore: report.maxScore,
      status: report.status, assessmentDate: report.assessmentDate.iso, requirements: requirements,
      coversAllRequirements: true, items: [], report: report)
  }

  /// The finding for a requirement. A POA&M that does not mention a requirement had no gap for
  /// it, so it reads as MET; a gap report that does not list it (another level) reads as nil.
  public func status(of id: String) -> RequirementStatus? {
    if let known = requirements[id] { return known.status }
    return coversAllRequirements ? nil : .met
  }

  /// The requirements NOT MET, sorted.
  public var gapIDs: [String] { requirements.values.filter { $0.status == .notMet }.map(\.id).sorted() }

  /// Requirement IDs in catalog order when the snapshot is a gap report, else sorted.
  func ordered(_ ids: some Sequence<String>) -> [String] {
    let unique = Set(ids)
    if let report {
      let listed = report.requirements.map(\.id).filter { unique.contains($0) }
      return listed + unique.subtracting(listed).sorted()
    }
    return unique.sorted()
  }
}
