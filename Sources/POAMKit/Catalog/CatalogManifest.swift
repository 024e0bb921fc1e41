/// The scoring parameters of one level (32 CFR 170.24(c), 170.21(a)).
public struct LevelScoring: Codable, Sendable, Hashable {
  /// The best possible score (110 at Level 2, 24 at Level 3).
  public var maxScore: Int
  /// The worst possible score (−203 at Level 2, 0 at Level 3).
  public var minScore: Int
  /// The lowest score that still allows a Conditional status (88 at Level 2, 20 at Level 3).
  public var conditionalMinScore: Int
  /// Where these numbers come from.
  public var basis: String

  enum CodingKeys: String, CodingKey {
    case maxScore = "max_score"
    case minScore = "min_score"
    case conditionalMinScore = "conditional_min_score"
    case basis
  }
}

/// `controls/catalog.json`: the catalog's version, sources, families, scoring and the list
/// of files that hold the requirements and identifier mappings.
///
/// A user's own catalog (`--catalog PATH`) is either a directory laid out like `controls/`
/// or one JSON file with this schema that lists its requirements inline under
/// `requirements` (and, optionally, the mappings inline under `cmmc_v1` / `nist_800_171_r3`).
public struct CatalogManifest: Codable, Sendable {
  /// The version of the catalog data, such as `2026.11.0`.
  public var catalogVersion: String
  /// A human title.
  public var title: String
  /// The documents the catalog was built from.
  public var sources: [CatalogSource]
  /// The 14 families.
  public var families: [Family]
  /// Scoring for Level 2 and Level 3 keyed `"2"` and `"3"`.
  public var scoring: [String: LevelScoring]
  /// Rules that are not tied to one requirement (Level 3 needs Final Level 2, the 180-day closeout...).
  public var programRules: [String]?
  /// Files (relative to the manifest) that hold arrays of requirements, in catalog order.
  public var requirementFiles: [String]?
  /// Requirements given inline (single-file catalogs).
  public var requirements: [Requirement]?
  /// The CMMC 1.0 practice mapping file.
  public var cmmcV1File: String?
  /// The NIST SP 800-171 Rev 3 identifier mapping file.
  public var rev3File: String?
  /// The CMMC 1.0 mapping given inline.
  public var cmmcV1: CMMCv1Mapping?
  /// The Rev 3 mapping given inline.
  public var nist800171R3: Rev3Mapping?
  /// The NIST SP 800-53 → assessment objective table file.
  public var sp80053ObjectivesFile: String?
  /// The NIST SP 800-53 → assessment objective table given inline.
  public var sp80053Objectives: SP80053ObjectiveMap?

  enum CodingKeys: String, CodingKey {
    case catalogVersion = "catalog_version"
    case title, sources, families, scoring
    case programRules = "program_rules"
    case requirementFiles = "requirement_files"
    case requirements
    case cmmcV1File = "cmmc_v1_file"
    case rev3File = "nist_800_171_r3_file"
    case cmmcV1 = "cmmc_v1"
    case nist800171R3 = "nist_800_171_r3"
    case sp80053ObjectivesFile = "sp800_53_objectives_file"
    case sp80053Objectives = "sp800_53_objectives"
  }
}

/// How CMMC 1.0 (Model v1.02) practice IDs such as `AC.1.001` map to NIST SP 800-171 Rev 2.
public struct CMMCv1Mapping: Codable, Sendable, Hashable {
  /// One CMMC 1.0 practice.
  public struct Practice: Codable, Sendable, Hashable {
    /// The practice ID, such as `AC.1.001`.
    public var id: String
    /// The NIST SP 800-171 Rev 2 number, when the practice came from it.
    public var nist800171: String?
    /// The NIST SP 800-172 number, when a Level 4/5 practice corresponds to one.
    public var nist800172: String?
    /// `one-to-one` or `none`.
    public var mapping: String
    /// Why there is no mapping, or other remarks.
    public var note: String?

    enum CodingKeys: String, CodingKey {
      case id
      case nist800171 = "nist_800_171"
      case nist800172 = "nist_800_172"
      case mapping, note
    }
  }

  /// Where the table comes from.
  public var source: String
  /// Every practice.
  public var practices: [Practice]
}

/// How NIST SP 800-171 Rev 3 identifiers (`03.01.01`) relate to Rev 2 requirements.
public struct Rev3Mapping: Codable, Sendable, Hashable {
  /// One Rev 3 identifier.
  public struct Entry: Codable, Sendable, Hashable {
    /// The Rev 3 identifier, such as `03.01.01`.
    public var id: String
    /// Its title.
    public var title: String?
    /// The Rev 2 requirement numbers it derives from.
    public var rev2: [String]
    /// `one-to-one`, `derived` or `new` (absent when withdrawn).
    public var mapping: String?
    /// True when Rev 3 withdrew the identifier.
    public var withdrawn: Bool?
    /// Where a withdrawn identifier's content went.
    public var incorporatedInto: [String]?

    enum CodingKeys: String, CodingKey {
      case id, title, rev2, mapping, withdrawn
      case incorporatedInto = "incorporated_into"
    }
  }

  /// Where the table comes from.
  public var source: String
  /// Every Rev 3 identifier.
  public var requirements: [Entry]
}
