import Foundation

/// Where a POA&M item stands.
public enum POAMItemStatus: String, Codable, Sendable, CaseIterable {
  /// Work remains.
  case open
  /// The requirement was found MET (or N/A) again; the item records when and on what evidence.
  case closed
  /// A person accepted the risk; the item stays on the POA&M and poam does not reopen or close
  /// it on its own unless the requirement is found MET.
  case riskAccepted = "risk-accepted"

  /// The word a compliance officer reads: Open, Closed, Risk accepted.
  public var label: String {
    switch self {
    case .open: return "Open"
    case .closed: return "Closed"
    case .riskAccepted: return "Risk accepted"
    }
  }

  /// Reads the status words of poam, eMASS (Ongoing, Completed, Risk Accepted) and people.
  public static func parse(_ raw: String) -> POAMItemStatus? {
    let key = raw.lowercased().filter { $0.isLetter }
    switch key {
    case "open", "ongoing", "inprogress", "planned", "delayed", "pending", "notstarted", "reopened":
      return .open
    case "closed", "completed", "complete", "done", "fixed", "resolved", "remediated":
      return .closed
    case "riskaccepted", "accepted", "acceptedrisk", "riskacceptance", "deviationapproved":
      return .riskAccepted
    default:
      return nil
    }
  }
}

/// How urgent an item is: from the requirement's point value (5 high, 3 moderate, 1 low;
/// Level 1 and the SSP high), raised to the worst STIG category of the failing checks.
public enum POAMSeverity: String, Codable, Sendable, CaseIterable, Comparable {
  /// A 1-point requirement (or a CAT III check).
  case low
  /// A 3-point requirement (or a CAT II check).
  case moderate
  /// A 5-point requirement, any Level 1 requirement, the SSP (or a CAT I check).
  case high

  var rank: Int { self == .low ? 0 : (self == .moderate ? 1 : 2) }

  public static func < (lhs: POAMSeverity, rhs: POAMSeverity) -> Bool { lhs.rank < rhs.rank }

  /// Low, Moderate, High.
  public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

  /// Reads Low / Moderate / Medium / High / Very High and CAT I–III.
  public static func parse(_ raw: String) -> POAMSeverity? {
    let key = raw.lowercased().trimmingCharacters(in: .whitespaces)
    if key.hasPrefix("cat iii") || key == "iii" || key.contains("low") || key == "info" { return .low }
    if key.hasPrefix("cat ii") || key == "ii" || key.contains("moderate") || key.contains("medium") {
      return .moderate
    }
    if key.hasPrefix("cat i") || key == "i" || key.contains("high") || key.contains("critical") { return .high }
    return nil
  }
}

/// A dated entry in an item's history: when it was opened, closed or reopened, and why.
public struct POAMEvent: Codable, Sendable, Hashable {
  /// What happened.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// First drafted.
    case opened
    /// Closed because the requirement was found MET or N/A.
    case closed
    /// Closed before, failing again.
    case reopened
    /// A remark, such as the evidence of an earlier closure.
    case note
  }

  /// `YYYY-MM-DD`.
  public var date: String
  /// What happened.
  public var kind: Kind
  /// Why, in one line.
  public var note: String

  /// Creates an event.
  public init(date: String, kind: Kind, note: String) {
    self.date = date
    self.kind = kind
    self.note = note
  }

  /// `2025-06-01 closed: MET on ...`, the form the spreadsheets carry.
  public var line: String { "\(date) \(kind.rawValue): \(note)" }

  /// Parses ``line``; nil when the text is not in that form.
  public static func parse(line: String) -> POAMEvent? {
    guard let match = line.wholeMatch(of: #/(\d{4}-\d{2}-\d{2}) (opened|closed|reopened|note): (.*)/#),
      let kind = Kind(rawValue: String(match.output.2))
    else { return nil }
    return POAMEvent(date: String(match.output.1), kind: kind, note: String(match.output.3))
  }
}

/// A column a person added to the spreadsheet, or a layout column poam does not fill
/// (Likelihood, Impact...): kept with the item and written back unchanged.
public struct CustomField: Codable, Sendable, Hashable {
  /// The column header.
  public var name: String
  /// The cell text as written.
  public var value: String

  /// Creates a field.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// One entry of the Plan of Action and Milestones: a requirement NOT MET (or not assessed),
/// what is wrong, who fixes it, how and by when.
///
/// Fields fall in two groups (see ``POAMField/isHumanEditable``): what poam derives from the
/// assessment, redrafted on every run while the gap remains, and what people write (point of
/// contact, resources, remediation, milestones, dates, status, comments, risk acceptance,
/// mitigations, custom columns), which a rerun keeps exactly.
public struct POAMItem: Codable, Sendable, Hashable, Identifiable {
  // MARK: Derived from the assessment

  /// The stable identifier, `POAM-` and the requirement ID: the same gap has the same ID on
  /// every run.
  public var id: String
  /// The canonical requirement ID, such as `AC.L2-3.1.1` (empty for a row a person added that
  /// names no requirement).
  public var requirementID: String
  /// The requirement's title.
  public var requirementTitle: String
  /// The family (domain) code.
  public var family: String
  /// The requirement's level.
  public var level: CMMCLevel?
  /// The latest finding: not-met or not-assessed while open; met or not-applicable once closed.
  public var finding: RequirementStatus
  /// The weakness in plain words: which objectives fail and what the evidence says.
  public var weakness: String
  /// The objectives found NOT MET, in letter order.
  public var failingObjectives: [String]
  /// Who or what found it, and when.
  public var sourceOfDiscovery: String
  /// The rule, vulnerability and check IDs behind the finding.
  public var securityChecks: [String]
  /// How many IDs there are in all when ``securityChecks`` holds only some of them (read back
  /// from a spreadsheet cell that was cut, see ``CellBounds``); nil when it holds all.
  public var securityChecksTotal: Int?
  /// The assets the failing evidence names.
  public var devicesAffected: [String]
  /// How many assets there are in all when ``devicesAffected`` holds only some of them (read
  /// back from a spreadsheet cell that was cut, see ``CellBounds``); nil when it holds all.
  public var devicesAffectedTotal: Int?
  /// How urgent it is.
  public var severity: POAMSeverity
  /// The worst STIG / scanner severity of the failing checks, as `CAT I`–`CAT III`.
  public var rawSeverity: String?
  /// The points this gap costs the score (the partial value where it applies; nil at Level 1).
  public var points: Int?
  /// Whether it may be on a POA&M for a Conditional status (32 CFR 170.21).
  public var poamEligible: Bool
  /// Why it may or may not, with the rule's citation.
  public var eligibilityReason: String
  /// The first assessment date that found it (`YYYY-MM-DD`); kept across runs.
  public var dateIdentified: String
  /// When poam closed it (`YYYY-MM-DD`).
  public var closedOn: String?
  /// The evidence that closed it (documentation of completion).
  public var closureEvidence: String?
  /// Opened, closed and reopened, with dates and reasons.
  public var history: [POAMEvent]

  // MARK: Written by people (kept exactly on every rerun)

  /// Who answers for it: `Jane Doe <jane@example.com>` or a team; "Unassigned" by default.
  public var pointOfContact: String
  /// Money, people, tools or services the fix needs.
  public var resources: String
  /// How the gap will be closed; drafted from the catalog's objectives.
  public var proposedRemediation: String
  /// The plan, step by step, with due dates.
  public var milestones: [Milestone]
  /// Changes to milestones and why (the eMASS "Milestone Changes" column).
  public var milestoneChanges: String
  /// When the item will be done: `YYYY-MM-DD`, or the text a person wrote.
  public var scheduledCompletion: String
  /// Open, closed or risk accepted.
  public var status: POAMItemStatus
  /// Anything people want to say.
  public var comments: String
  /// Who accepted the risk, when and why.
  public var riskAcceptance: String
  /// Mitigations already in place.
  public var mitigations: String
  /// Extra columns, in the order they appeared.
  public var customFields: [CustomField]

  /// Creates an item.
  public init(
    id: String, requirementID: String, requirementTitle: String, family: String, level: CMMCLevel?,
    finding: RequirementStatus, weakness: String, failingObjectives: [String] = [], sourceOfDiscovery: String = "",
    securityChecks: [String] = [], devicesAffected: [String] = [], severity: POAMSeverity,
    rawSeverity: String? = nil, points: Int?, poamEligible: Bool, eligibilityReason: String,
    dateIdentified: String, closedOn: String? = nil, closureEvidence: String? = nil, history: [POAMEvent] = [],
    pointOfContact: String = Owners.unassigned, resources: String = "", proposedRemediation: String = "",
    milestones: [Milestone] = [], milestoneChanges: String = "", scheduledCompletion: String = "",
    status: POAMItemStatus = .open, comments: String = "", riskAcceptance: String = "", mitigations: String = "",
    customFields: [CustomField] = []
  ) {
    self.id = id
    self.requirementID = requirementID
    self.requirementTitle = requirementTitle
    self.family = family
    self.level = level
    self.finding = finding
    self.weakness = weakness
    self.failingObjectives = failingObjectives
    self.sourceOfDiscovery = sourceOfDiscovery
    self.securityChecks = securityChecks
    self.devicesAffected = devicesAffected
    self.severity = severity
    self.rawSeverity = rawSeverity
    self.points = points
    self.poamEligible = poamEligible
    self.eligibilityReason = eligibilityReason
    self.dateIdentified = dateIdentified
    self.closedOn = closedOn
    self.closureEvidence = closureEvidence
    self.history = history
    self.pointOfContact = pointOfContact
    self.resources = resources
    self.proposedRemediation = proposedRemediation
    self.milestones = milestones
    self.milestoneChanges = milestoneChanges
    self.scheduledCompletion = scheduledCompletion
    self.status = status
    self.comments = comments
    self.riskAcceptance = riskAcceptance
    self.mitigations = mitigations
    self.customFields = customFields
  }

  enum CodingKeys: String, CodingKey {
    case id
    case requirementID = "requirement_id"
    case requirementTitle = "requirement_title"
    case family, level, finding, weakness
    case failingObjectives = "failing_objectives"
    case sourceOfDiscovery = "source_of_discovery"
    case securityChecks = "security_checks"
    case securityChecksTotal = "security_checks_total"
    case devicesAffected = "devices_affected"
    case devicesAffectedTotal = "devices_affected_total"
    case severity
    case rawSeverity = "raw_severity"
    case points
    case poamEligible = "poam_eligible"
    case eligibilityReason = "eligibility_reason"
    case dateIdentified = "date_identified"
    case closedOn = "closed_on"
    case closureEvidence = "closure_evidence"
    case history
    case pointOfContact = "point_of_contact"
    case resources
    case proposedRemediation = "proposed_remediation"
    case milestones
    case milestoneChanges = "milestone_changes"
    case scheduledCompletion = "scheduled_completion"
    case status, comments
    case riskAcceptance = "risk_acceptance"
    case mitigations
    case customFields = "custom_fields"
  }

  /// The stable item ID for a requirement.
  public static func id(for requirementID: String) -> String { "POAM-\(requirementID)" }

  /// The scheduled completion, when it is a date.
  public var scheduledCompletionDate: CalendarDate? { CalendarDate.parse(scheduledCompletion) }

  /// True when the item is not closed and its scheduled completion is before `date`.
  public func isOverdue(on date: CalendarDate) -> Bool {
    guard status == .open, let due = scheduledCompletionDate else { return false }
    return due < date
  }

  /// True for a row poam did not draft (no requirement).
  public var isCustom: Bool { requirementID.isEmpty }

  /// Copies every field people edit from `other`, leaving the derived fields alone.
  public mutating func keepHumanEdits(from other: POAMItem) {
    pointOfContact = other.pointOfContact
    resources = other.resources
    proposedRemediation = other.proposedRemediation
    milestones = other.milestones
    milestoneChanges = other.milestoneChanges
    scheduledCompletion = other.scheduledCompletion
    status = other.status
    comments = other.comments
    riskAcceptance = other.riskAcceptance
    mitigations = other.mitigations
    customFields = other.customFields
  }

  /// The value of a custom column, if present.
  public func customField(_ name: String) -> String? {
    customFields.first { $0.name == name }?.value
  }
}

/// Every field of a POA&M item by name, as column layouts refer to them, with whether people
/// own it.
public enum POAMField: String, Codable, Sendable, CaseIterable {
  case id
  case requirementID = "requirement_id"
  case requirementTitle = "requirement_title"
  case family
  case finding
  case weakness
  case failingObjectives = "failing_objectives"
  case sourceOfDiscovery = "source_of_discovery"
  case securityChecks = "security_checks"
  case devicesAffected = "devices_affected"
  case severity
  case rawSeverity = "raw_severity"
  case points
  case poamEligible = "poam_eligible"
  case eligibilityReason = "eligibility_reason"
  case dateIdentified = "date_identified"
  case closedOn = "closed_on"
  case closureEvidence = "closure_evidence"
  case history
  case pointOfContact = "point_of_contact"
  case resources
  case proposedRemediation = "proposed_remediation"
  case milestones
  case milestoneChanges = "milestone_changes"
  case scheduledCompletion = "scheduled_completion"
  case status
  case comments
  case riskAcceptance = "risk_acceptance"
  case mitigations
  /// The requirement and its NIST SP 800-171 number (derived, written only).
  case controls
  /// The milestone numbers, one per line (derived, written only).
  case milestoneIDs = "milestone_ids"
  /// The assessment date the document was drafted against (document-wide).
  case assessedOn = "assessed_on"
  /// The score the document was drafted against, `87 of 110` (document-wide).
  case scoreAtAssessment = "score_at_assessment"
  /// eMASS Relevance of Threat: poam's default (``RiskDefaults``) unless a person wrote another.
  case relevanceOfThreat = "relevance_of_threat"
  /// eMASS Likelihood: poam's default unless a person wrote another.
  case likelihood
  /// eMASS Impact: poam's default unless a person wrote another.
  case impact
  /// eMASS Residual Risk Level: poam's default unless a person wrote another.
  case residualRiskLevel = "residual_risk_level"
  /// The worst STIG category of the failing checks, `CAT I`–`CAT III` (the item's
  /// ``POAMItem/rawSeverity``; eMASS's Raw Severity column holds its eMASS word).
  case stigCategory = "stig_category"
  /// The requirement's NIST SP 800-171 / 800-172 / FAR number and NIST SP 800-53 controls
  /// (derived, written only).
  case nistMappings = "nist_mappings"

  /// The risk columns poam fills with a default a person may overwrite; the person's value is
  /// kept as a custom field named by the column's header.
  public var isRiskDefault: Bool {
    self == .relevanceOfThreat || self == .likelihood || self == .impact || self == .residualRiskLevel
  }

  /// True for the fields a person writes and a rerun keeps exactly.
  public var isHumanEditable: Bool {
    switch self {
    case .pointOfContact, .resources, .proposedRemediation, .milestones, .milestoneChanges, .scheduledCompletion,
      .status, .comments, .riskAcceptance, .mitigations:
      return true
    default:
      return false
    }
  }

  /// True for the fields holding a single date.
  public var isDate: Bool {
    self == .scheduledCompletion || self == .dateIdentified || self == .closedOn || self == .assessedOn
  }
}
