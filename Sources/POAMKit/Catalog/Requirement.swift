/// A CMMC 2.0 level: 1 (FAR 52.204-21), 2 (NIST SP 800-171 Rev 2) or 3 (NIST SP 800-172).
public enum CMMCLevel: Int, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
  case one = 1
  case two = 2
  case three = 3

  public static func < (lhs: CMMCLevel, rhs: CMMCLevel) -> Bool { lhs.rawValue < rhs.rawValue }

  public var description: String { "Level \(rawValue)" }
}

/// One assessment objective of a requirement: the letter an assessor determines
/// (`a`, `b`, ... or `ODP1` for a Level 3 organization-defined parameter) and what must be
/// true for it to be MET.
public struct Objective: Codable, Sendable, Hashable {
  /// The letter (or `ODPn`), as written inside brackets in `AC.L2-3.1.1[a]`.
  public var id: String
  /// One line, in the catalog's own words.
  public var description: String

  /// Creates an objective.
  public init(id: String, description: String) {
    self.id = id
    self.description = description
  }
}

/// A reduced point value that applies when a requirement is only partly implemented
/// (IA.L2-3.5.3 and SC.L2-3.13.11 only, 32 CFR 170.24(c)(2)(i)(B)(4)).
public struct PartialPoints: Codable, Sendable, Hashable {
  /// The deduction in this case.
  public var points: Int
  /// When the case applies.
  public var condition: String

  /// Creates a partial-credit case.
  public init(points: Int, condition: String) {
    self.points = points
    self.condition = condition
  }
}

/// Whether a requirement may be on a POA&M for a Conditional status (32 CFR 170.21).
public struct POAMRule: Codable, Sendable, Hashable {
  /// True when the requirement may be on a POA&M (subject to `condition`).
  public var allowed: Bool
  /// True when 170.21 names the requirement as never allowed on a POA&M.
  public var excludedByName: Bool
  /// The paragraph of the rule this verdict comes from.
  public var rule: String
  /// An extra condition for `allowed` (SC.L2-3.13.11: only the 3-point case).
  public var condition: String?
  /// The verdict in plain words with its citation.
  public var reason: String

  enum CodingKeys: String, CodingKey {
    case allowed
    case excludedByName = "excluded_by_name"
    case rule, condition, reason
  }
}

/// The NIST SP 800-53 controls a NIST SP 800-171 requirement maps to.
public struct SP80053Mapping: Codable, Sendable, Hashable {
  /// Controls of SP 800-53 Rev 4 (NIST SP 800-171 Rev 2, Appendix D).
  public var rev4: [String]
  /// Controls of SP 800-53 Rev 5.
  public var rev5: [String]
}

/// One CMMC requirement (a Level 1 FAR requirement, a Level 2 NIST SP 800-171 requirement or a
/// Level 3 NIST SP 800-172 requirement) with everything an assessor needs to judge it.
public struct Requirement: Codable, Sendable, Hashable, Identifiable {
  /// The canonical CMMC ID, such as `AC.L2-3.1.1` (32 CFR 170.14(c)(1)).
  public var id: String
  /// The CMMC level.
  public var level: CMMCLevel
  /// The two-letter family (domain) code, such as `AC`.
  public var family: String
  /// The FAR paragraph (`b.1.i`), NIST SP 800-171 number (`3.1.1`) or SP 800-172 number (`3.1.2e`).
  public var nistID: String
  /// The document and paragraph the requirement comes from.
  public var source: String
  /// `basic` or `derived` (Level 2 only).
  public var requirementType: String?
  /// The short title.
  public var title: String
  /// What the requirement asks for, in the catalog's own words.
  public var description: String
  /// The NOT MET deduction (5, 3 or 1 at Level 2; 1 at Level 3; nil at Level 1 and for CA.L2-3.12.4).
  public var points: Int?
  /// Reduced deductions for partial implementation (IA.L2-3.5.3, SC.L2-3.13.11).
  public var partialPoints: [PartialPoints]?
  /// A note on scoring (no point value, or a DoD Assessment Methodology remark).
  public var pointsNote: String?
  /// Whether the requirement may be on a POA&M.
  public var poam: POAMRule
  /// For a Level 2 requirement, its Level 1 equivalent, if any.
  public var l1Equivalent: String?
  /// For a Level 1 requirement, the Level 2 requirements it corresponds to.
  public var l2Equivalents: [String]?
  /// `one-to-one` or `partial` (Level 1 only).
  public var l2Mapping: String?
  /// For a Level 3 requirement, the Level 2 requirements it builds on.
  public var prerequisites: [String]?
  /// The assessment objectives, in letter order.
  public var objectives: [Objective]
  /// Level 3 organization-defined parameter statements (`ODP1`, ...).
  public var odpStatements: [Objective]?
  /// The NIST SP 800-53 controls (Level 2 only).
  public var nist80053: SP80053Mapping?

  enum CodingKeys: String, CodingKey {
    case id, level, family
    case nistID = "nist_id"
    case source
    case requirementType = "requirement_type"
    case title, description, points
    case partialPoints = "partial_points"
    case pointsNote = "points_note"
    case poam
    case l1Equivalent = "l1_equivalent"
    case l2Equivalents = "l2_equivalents"
    case l2Mapping = "l2_mapping"
    case prerequisites, objectives
    case odpStatements = "odp_statements"
    case nist80053 = "nist_800_53"
  }

  /// The worst-case deduction: the point value, or the highest partial value.
  public var maxDeduction: Int {
    max(points ?? 0, partialPoints?.map(\.points).max() ?? 0)
  }

  /// The objective with that letter (case-insensitive), including ODP statements.
  public func objective(_ letter: String) -> Objective? {
    let wanted = letter.lowercased()
    return objectives.first { $0.id.lowercased() == wanted }
      ?? odpStatements?.first { $0.id.lowercased() == wanted }
  }
}

/// A requirement family (CMMC domain), such as `AC` Access Control.
public struct Family: Codable, Sendable, Hashable {
  /// The two-letter code.
  public var code: String
  /// The name as the CMMC Model Overview writes it.
  public var name: String
}

/// A document the catalog was built from.
public struct CatalogSource: Codable, Sendable, Hashable {
  /// The document's title and version.
  public var title: String
  /// What the catalog takes from it.
  public var usedFor: String

  enum CodingKeys: String, CodingKey {
    case title
    case usedFor = "used_for"
  }
}
