/// A Plan of Action and Milestones: every item, and the assessment it was drafted against
/// (level, date, score), so the next run can say what changed.
public struct POAMDocument: Codable, Sendable, Hashable {
  /// The target level.
  public var level: CMMCLevel
  /// The assessment date the document was drafted against, `YYYY-MM-DD`.
  public var assessmentDate: String
  /// The score then (nil at Level 1 or when a spreadsheet did not say).
  public var score: Int?
  /// The best possible score.
  public var maxScore: Int?
  /// The certification status then, when known.
  public var certificationStatus: CertificationStatus?
  /// The catalog version used.
  public var catalogVersion: String
  /// The poam version that wrote it.
  public var toolVersion: String
  /// Every item, open and closed, in catalog order; rows people added come last.
  public var items: [POAMItem]
  /// The CMMC Status Date: the assessment date of the run that produced the certification
  /// status (kept by reruns that keep a Conditional status; see ``SPRSEntry``).
  public var statusDate: String?

  /// Creates a document.
  public init(
    level: CMMCLevel, assessmentDate: String, score: Int?, maxScore: Int?, certificationStatus: CertificationStatus?,
    catalogVersion: String, toolVersion: String = ToolInfo.version, items: [POAMItem]
  ) {
    self.level = level
    self.assessmentDate = assessmentDate
    self.score = score
    self.maxScore = maxScore
    self.certificationStatus = certificationStatus
    self.catalogVersion = catalogVersion
    self.toolVersion = toolVersion
    self.items = items
  }

  enum CodingKeys: String, CodingKey {
    case level
    case assessmentDate = "assessment_date"
    case score
    case maxScore = "max_score"
    case certificationStatus = "certification_status"
    case catalogVersion = "catalog_version"
    case toolVersion = "tool_version"
    case items
    case statusDate = "status_date"
  }

  /// The item with that ID.
  public func item(id: String) -> POAMItem? { items.first { $0.id == id } }

  /// Items not closed (open or risk accepted).
  public var activeItems: [POAMItem] { items.filter { $0.status != .closed } }

  /// `87 of 110`, or nil without a score.
  public var scoreText: String? {
    guard let score else { return nil }
    return maxScore.map { "\(score) of \($0)" } ?? "\(score)"
  }
}
