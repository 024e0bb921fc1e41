import Foundation

/// The certification outcome of an assessment (32 CFR 170.21, 170.24).
public enum CertificationStatus: String, Codable, Sendable, Comparable {
  /// Every requirement MET (Level 2: score 110; Level 3: 24 of 24 and Level 2 final).
  case final
  /// Conditional status: gaps remain, but all are POA&M-eligible and the score threshold is met.
  case conditional
  /// Neither final nor conditional.
  case notEligible = "not-eligible"

  var rank: Int { self == .final ? 2 : (self == .conditional ? 1 : 0) }

  /// "Final", "Conditional", "Not eligible": the status as reports show it.
  public var title: String {
    switch self {
    case .final: return "Final"
    case .conditional: return "Conditional"
    case .notEligible: return "Not eligible"
    }
  }

  /// Worse statuses sort first.
  public static func < (lhs: CertificationStatus, rhs: CertificationStatus) -> Bool { lhs.rank < rhs.rank }
}

/// A requirement's finding after roll-up.
public enum RequirementStatus: String, Codable, Sendable, CaseIterable {
  case met
  case notMet = "not-met"
  case notApplicable = "not-applicable"
  case notAssessed = "not-assessed"

  /// True for MET and N/A.
  public var isSatisfied: Bool { self == .met || self == .notApplicable }
}

/// How many requirements ended in each finding.
public struct GapCounts: Codable, Sendable, Hashable {
  public var met: Int
  public var notMet: Int
  public var notApplicable: Int
  public var notAssessed: Int

  /// Creates counts.
  public init(met: Int = 0, notMet: Int = 0, notApplicable: Int = 0, notAssessed: Int = 0) {
    self.met = met
    self.notMet = notMet
    self.notApplicable = notApplicable
    self.notAssessed = notAssessed
  }

  enum CodingKeys: String, CodingKey {
    case met
    case notMet = "not_met"
    case notApplicable = "not_applicable"
    case notAssessed = "not_assessed"
  }
}

/// One piece of evidence behind a requirement's finding: an observation, on one asset.
public struct Evidence: Codable, Sendable, Hashable {
  /// The input file.
  public var source: String
  /// Where in the file.
  public var location: String
  /// The 1-based line, when known.
  public var line: Int?
  /// The asset's name, when known.
  public var asset: String?
  /// The objective the evidence speaks to (nil: the whole requirement).
  public var objective: String?
  /// The normalized status.
  public var status: Status?
  /// The status as written.
  public var rawStatus: String
  /// Assessor determination or automated check.
  public var kind: ObservationKind
  /// Direct, or through a NIST SP 800-53 / CCI mapping.
  public var via: ResolutionPath
  /// True when the evidence reached the requirement only through a mapping.
  public var indirect: Bool
  /// What the evidence says: rule ID, title, details or comments, shortened.
  public var detail: String
  /// The STIG / scanner severity, when given.
  public var severity: String?
  /// The requirement (and objective) the input named, when the evidence was credited from its
  /// Level 1 or Level 2 equivalent (`AC.L2-3.1.1[a]` for AC.L1-b.1.i[a]); nil otherwise.
  public var creditedFrom: String?
  /// An explicit partial-credit deduction the input gave (3 or 5, for IA.L2-3.5.3 and
  /// SC.L2-3.13.11), nil when it gave none.
  public var partialPoints: Int?
  /// Through a mapping, the route it took (`CCI-000205 → NIST SP 800-53 Rev 4 IA-5(1)(a) (part)`);
  /// the table's entry says why (`controls/mappings/sp800-53-objectives.json`).
  public var mapping: String?

  /// Creates evidence.
  public init(
    source: String, location: String, line: Int? = nil, asset: String? = nil, objective: String? = nil,
    status: Status?, rawStatus: String, kind: ObservationKind, via: ResolutionPath, detail: String,
    severity: String? = nil, creditedFrom: String? = nil, partialPoints: Int? = nil, mapping: String? = nil
  ) {
    self.source = source
    self.location = location
    self.line = line
    self.asset = asset
    self.objective = objective
    self.status = status
    self.rawStatus = rawStatus
    self.kind = kind
    self.via = via
    self.indirect = via.isIndirect
    self.detail = detail
    self.severity = severity
    self.creditedFrom = creditedFrom
    self.partialPoints = partialPoints
    self.mapping = mapping
  }

  enum CodingKeys: String, CodingKey {
    case source, location, line, asset, objective, status
    case rawStatus = "raw_status"
    case kind, via, indirect, detail, severity
    case creditedFrom = "credited_from"
    case partialPoints = "partial_points"
    case mapping
  }
}

/// What a requirement's evidence comes to: how many results of each status and kind, on how
/// many assets, and which assets the gap affects. A report lists only the worst few pieces of
/// evidence (``RequirementResult/evidence``); these counts cover all of them, and the evidence
/// file (``GapReport/evidenceFile``) holds every one.
public struct EvidenceSummary: Codable, Sendable, Hashable {
  /// How many assets ``affectedAssets`` lists at most.
  public static let affectedAssetLimit = 100
  /// The status key for evidence whose status word was not recognised.
  public static let unrecognised = "unrecognised"

  /// Every piece of evidence on the requirement.
  public var results: Int
  /// How many of them ``RequirementResult/evidence`` lists (the worst first chosen).
  public var listed: Int
  /// Pieces of evidence by reported status (`met`, `not-met`, ...), then by kind (`assessor`,
  /// `manual`, `automated`).
  public var byStatus: [String: [String: Int]]
  /// Distinct assets named by the evidence.
  public var assets: Int
  /// Distinct assets by reported status.
  public var assetsByStatus: [String: Int]
  /// The assets the gap affects, sorted, at most ``affectedAssetLimit``: those named by
  /// evidence that is NOT MET or partial, or, when no evidence is, by evidence that does not
  /// satisfy the requirement.
  public var affectedAssets: [String]
  /// How many assets the gap affects in all.
  public var affectedAssetCount: Int

  /// Creates a summary.
  public init(
    results: Int, listed: Int, byStatus: [String: [String: Int]], assets: Int, assetsByStatus: [String: Int],
    affectedAssets: [String], affectedAssetCount: Int
  ) {
    self.results = results
    self.listed = listed
    self.byStatus = byStatus
    self.assets = assets
    self.assetsByStatus = assetsByStatus
    self.affectedAssets = affectedAssets
    self.affectedAssetCount = affectedAssetCount
  }

  /// Results not listed in the report.
  public var unlisted: Int { max(0, results - listed) }

  enum CodingKeys: String, CodingKey {
    case results, listed
    case byStatus = "by_status"
    case assets
    case assetsByStatus = "assets_by_status"
    case affectedAssets = "affected_assets"
    case affectedAssetCount = "affected_asset_count"
  }
}

/// One requirement of the target level after roll-up and scoring.
public struct RequirementResult: Codable, Sendable, Hashable {
  /// Canonical ID.
  public var id: String
  /// Level of the requirement (a Level 3 report holds Level 2 and Level 3 requirements).
  public var level: CMMCLevel
  /// Family code.
  public var family: String
  /// Title.
  public var title: String
  /// The finding.
  public var status: RequirementStatus
  /// True when a NOT MET came from a partial implementation (partial credit where allowed).
  public var partial: Bool
  /// Points subtracted from the score (0 when satisfied; the partial value where it applies).
  public var pointsDeducted: Int
  /// The catalog point value (nil: Level 1, or CA.L2-3.12.4).
  public var points: Int?
  /// Whether this gap may be on a POA&M for a Conditional status (false when satisfied).
  public var poamEligible: Bool
  /// Why it may or may not be on a POA&M.
  public var poamReason: String
  /// Each objective's rolled-up status, by letter.
  public var objectives: [String: Status]
  /// The evidence, sorted by source and then in file order: every piece when there are at most
  /// 20, otherwise the 20 worst (``evidenceSummary`` counts them all).
  public var evidence: [Evidence]
  /// Disagreements between assessor and automated evidence, in plain words.
  public var conflicts: [String]
  /// True when every piece of evidence came through a mapping.
  public var indirect: Bool
  /// Who decided the finding: for a NOT MET requirement the strongest basis among its failing
  /// objectives, otherwise the weakest of its objectives' (nil in reports written before it).
  public var basis: EvidenceBasis?
  /// Who decided each objective, by letter (nil in reports written before it).
  public var objectiveBasis: [String: EvidenceBasis]?
  /// The counts behind the finding over all the evidence, of which ``evidence`` lists the
  /// worst few (nil when there is no evidence, and in reports written before it, which listed
  /// every piece).
  public var evidenceSummary: EvidenceSummary?

  /// Creates a result.
  public init(
    id: String, level: CMMCLevel, family: String, title: String, status: RequirementStatus, partial: Bool = false,
    pointsDeducted: Int, points: Int?, poamEligible: Bool, poamReason: String, objectives: [String: Status],
    evidence: [Evidence], conflicts: [String] = [], indirect: Bool = false, basis: EvidenceBasis? = nil,
    objectiveBasis: [String: EvidenceBasis]? = nil
  ) {
    self.id = id
    self.level = level
    self.family = family
    self.title = title
    self.status = status
    self.partial = partial
    self.pointsDeducted = pointsDeducted
    self.points = points
    self.poamEligible = poamEligible
    self.poamReason = poamReason
    self.objectives = objectives
    self.evidence = evidence
    self.conflicts = conflicts
    self.indirect = indirect
    self.basis = basis
    self.objectiveBasis = objectiveBasis
  }

  /// True when the finding rests on automated evidence only: an assessor must confirm it.
  public var needsConfirmation: Bool { basis == .automated }

  enum CodingKeys: String, CodingKey {
    case id, level, family, title, status, partial
    case pointsDeducted = "points_deducted"
    case points
    case poamEligible = "poam_eligible"
    case poamReason = "poam_reason"
    case objectives, evidence, conflicts, indirect, basis
    case objectiveBasis = "objective_basis"
    case evidenceSummary = "evidence_summary"
  }

  /// Every piece of evidence on the requirement (more than ``evidence`` lists when it is long).
  public var evidenceCount: Int { evidenceSummary?.results ?? evidence.count }

  /// Pieces of evidence the report does not list (they are in the evidence file).
  public var unlistedEvidence: Int { max(0, evidenceCount - evidence.count) }

  /// The assets the gap affects, sorted (at most ``EvidenceSummary/affectedAssetLimit``): see
  /// ``EvidenceSummary/affectedAssets``. For a report written before the summary, the assets of
  /// its evidence by the same rule.
  public var affectedAssets: [String] {
    if let evidenceSummary { return evidenceSummary.affectedAssets }
    return Array(Set(Self.affecting(evidence).compactMap(\.asset).filter { !$0.isEmpty })).sorted()
  }

  /// How many assets the gap affects in all (``affectedAssets`` may list fewer).
  public var affectedAssetCount: Int { evidenceSummary?.affectedAssetCount ?? affectedAssets.count }

  /// The evidence against the requirement (NOT MET or partial); when none is, the evidence that
  /// does not satisfy it.
  static func affecting(_ evidence: [Evidence]) -> [Evidence] {
    let failing = evidence.filter { $0.status == .notMet || $0.status == .partial }
    return failing.isEmpty ? evidence.filter { !($0.status?.isSatisfied ?? false) } : failing
  }

  /// The objectives that are NOT MET (or partial), in letter order.
  public var failingObjectives: [String] {
    objectives.filter { !$0.value.isSatisfied && $0.value != .notAssessed }.map(\.key).sorted()
  }
}

/// The verdict for a level as a whole: score, status and reasons. A Level 3 report carries the
/// Level 2 prerequisite's summary too.
public struct LevelSummary: Codable, Sendable, Hashable {
  /// The level.
  public var level: CMMCLevel
  /// The score (nil at Level 1, which has none).
  public var score: Int?
  /// Best possible score.
  public var maxScore: Int?
  /// Worst possible score.
  public var minScore: Int?
  /// Final, conditional or not eligible.
  public var status: CertificationStatus
  /// Every reason the status is not final, in plain words with requirement IDs.
  public var reasons: [String]
  /// Requirement counts.
  public var counts: GapCounts

  /// Creates a summary.
  public init(
    level: CMMCLevel, score: Int?, maxScore: Int?, minScore: Int?, status: CertificationStatus, reasons: [String],
    counts: GapCounts
  ) {
    self.level = level
    self.score = score
    self.maxScore = maxScore
    self.minScore = minScore
    self.status = status
    self.reasons = reasons
    self.counts = counts
  }

  enum CodingKeys: String, CodingKey {
    case level, score
    case maxScore = "max_score"
    case minScore = "min_score"
    case status, reasons, counts
  }
}

/// How much of the level the evidence looked at, beside the score.
public struct GapCoverage: Codable, Sendable, Hashable {
  /// Objectives some evidence decided (basis other than none).
  public var objectivesWithEvidence: Int
  /// Objectives in scope (320 at Level 2).
  public var objectivesTotal: Int
  /// Requirements by the basis of their finding.
  public var requirementsByBasis: [String: Int]
  /// Requirements with a determination whose every piece of evidence came through a mapping.
  public var requirementsMappedOnly: Int

  /// Creates coverage.
  public init(
    objectivesWithEvidence: Int, objectivesTotal: Int, requirementsByBasis: [String: Int], requirementsMappedOnly: Int
  ) {
    self.objectivesWithEvidence = objectivesWithEvidence
    self.objectivesTotal = objectivesTotal
    self.requirementsByBasis = requirementsByBasis
    self.requirementsMappedOnly = requirementsMappedOnly
  }

  /// Coverage of a set of results.
  public init(_ results: [RequirementResult]) {
    var withEvidence = 0
    var total = 0
    var byBasis = Dictionary(uniqueKeysWithValues: EvidenceBasis.allCases.map { ($0.rawValue, 0) })
    var mappedOnly = 0
    for result in results {
      total += result.objectives.count
      withEvidence += result.objectiveBasis?.values.filter { $0 != .none }.count ?? 0
      let basis = result.basis ?? .none
      byBasis[basis.rawValue, default: 0] += 1
      if result.indirect, basis != .none { mappedOnly += 1 }
    }
    self.init(
      objectivesWithEvidence: withEvidence, objectivesTotal: total, requirementsByBasis: byBasis,
      requirementsMappedOnly: mappedOnly)
  }

  /// "evidence for 41 of 320 objectives".
  public var headline: String { "evidence for \(objectivesWithEvidence) of \(objectivesTotal) objectives" }

  enum CodingKeys: String, CodingKey {
    case objectivesWithEvidence = "objectives_with_evidence"
    case objectivesTotal = "objectives_total"
    case requirementsByBasis = "requirements_by_basis"
    case requirementsMappedOnly = "requirements_mapped_only"
  }
}

/// The gap report (`gap-report.json`): the gap engine's pure, deterministic output.
public struct GapReport: Codable, Sendable, Hashable {
  /// The poam version that wrote it.
  public var toolVersion: String
  /// The catalog version used.
  public var catalogVersion: String
  /// The target level.
  public var level: CMMCLevel
  /// The assessment date (`YYYY-MM-DD` in the JSON).
  public var assessmentDate: CalendarDate
  /// `assessor` (default) or `strict`.
  public var evidencePolicy: String
  /// The inputs read, in order.
  public var inputs: [String]
  /// The score (nil at Level 1).
  public var score: Int?
  /// Best possible score (nil at Level 1).
  public var maxScore: Int?
  /// Worst possible score (nil at Level 1).
  public var minScore: Int?
  /// Final, conditional or not eligible.
  public var status: CertificationStatus
  /// Every reason the status is not final.
  public var reasons: [String]
  /// Requirement counts for the target level (Level 3: its 24 requirements; the Level 2
  /// counts are in `prerequisite`).
  public var counts: GapCounts
  /// For Level 3: the Level 2 prerequisite's own verdict.
  public var prerequisite: LevelSummary?
  /// Every requirement in scope, in catalog order.
  public var requirements: [RequirementResult]
  /// Everything worth telling the user: import, resolve and scoring remarks.
  public var diagnostics: [Diagnostic]
  /// How much the evidence looked at (nil in reports written before it).
  public var coverage: GapCoverage?
  /// Where every piece of evidence is (`evidence.jsonl.gz` beside the report, see
  /// docs/evidence-file.md); nil when no evidence file was written.
  public var evidenceFile: String?

  /// Creates a report.
  public init(
    toolVersion: String, catalogVersion: String, level: CMMCLevel, assessmentDate: CalendarDate, evidencePolicy: String,
    inputs: [String], score: Int?, maxScore: Int?, minScore: Int?, status: CertificationStatus, reasons: [String],
    counts: GapCounts, prerequisite: LevelSummary?, requirements: [RequirementResult], diagnostics: [Diagnostic]
  ) {
    self.toolVersion = toolVersion
    self.catalogVersion = catalogVersion
    self.level = level
    self.assessmentDate = assessmentDate
    self.evidencePolicy = evidencePolicy
    self.inputs = inputs
    self.score = score
    self.maxScore = maxScore
    self.minScore = minScore
    self.status = status
    self.reasons = reasons
    self.counts = counts
    self.prerequisite = prerequisite
    self.requirements = requirements
    self.diagnostics = diagnostics
    self.coverage = GapCoverage(requirements.filter { $0.level == level })
  }

  enum CodingKeys: String, CodingKey {
    case toolVersion = "tool_version"
    case catalogVersion = "catalog_version"
    case level
    case assessmentDate = "assessment_date"
    case evidencePolicy = "evidence_policy"
    case inputs, score
    case maxScore = "max_score"
    case minScore = "min_score"
    case status, reasons, counts, coverage, prerequisite, requirements, diagnostics
    case evidenceFile = "evidence_file"
  }

  /// Encodes every key, writing `null` for a missing score so the schema is stable.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(toolVersion, forKey: .toolVersion)
    try c.encode(catalogVersion, forKey: .catalogVersion)
    try c.encode(level, forKey: .level)
    try c.encode(assessmentDate, forKey: .assessmentDate)
    try c.encode(evidencePolicy, forKey: .evidencePolicy)
    try c.encode(inputs, forKey: .inputs)
    try c.encode(score, forKey: .score)
    try c.encode(maxScore, forKey: .maxScore)
    try c.encode(minScore, forKey: .minScore)
    try c.encode(status, forKey: .status)
    try c.encode(reasons, forKey: .reasons)
    try c.encode(counts, forKey: .counts)
    try c.encodeIfPresent(coverage, forKey: .coverage)
    try c.encodeIfPresent(evidenceFile, forKey: .evidenceFile)
    try c.encodeIfPresent(prerequisite, forKey: .prerequisite)
    try c.encode(requirements, forKey: .requirements)
    try c.encode(diagnostics, forKey: .diagnostics)
  }

  /// The report as JSON: the bytes of `JSONOutput.string(report)`, with each requirement
  /// encoded alone (``JSONOutput/data(_:filling:with:)``) so that memory stays near the size of
  /// the output.
  public func jsonData() throws -> Data {
    var shell = self
    shell.requirements = []
    return try JSONOutput.data(shell, filling: "requirements", with: requirements)
  }

  /// The gaps: requirements NOT MET, worst first (most points deducted, then those that may
  /// not be on a POA&M, then catalog order).
  public var gaps: [RequirementResult] { Self.worstFirst(requirements.filter { $0.status == .notMet }) }
  /// Requirements with no evidence, worst first.
  public var notAssessed: [RequirementResult] {
    Self.worstFirst(requirements.filter { $0.status == .notAssessed })
  }

  /// Stable sort: most points deducted first, then POA&M-ineligible before eligible; ties keep
  /// their (catalog) order.
  static func worstFirst(_ results: [RequirementResult]) -> [RequirementResult] {
    results.enumerated().sorted { a, b in
      if a.element.pointsDeducted != b.element.pointsDeducted {
        return a.element.pointsDeducted > b.element.pointsDeducted
      }
      if a.element.poamEligible != b.element.poamEligible { return !a.element.poamEligible }
      return a.offset < b.offset
    }.map(\.element)
  }
}
