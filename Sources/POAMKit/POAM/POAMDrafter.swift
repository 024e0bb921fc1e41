import Foundation

/// Drafts a POA&M from a gap report: one item per requirement NOT MET or not assessed, with
/// the weakness in plain words, severity, eligibility, a remediation drawn from the catalog's
/// objectives, an owner, and a default plan with dates (see ``POAMPolicy``).
struct POAMDrafter: Sendable {
  /// The catalog the report was scored against.
  public let catalog: Catalog
  /// Who answers for what.
  public let owners: Owners
  /// When milestones fall due.
  public let policy: POAMPolicy

  /// How many evidence groups a weakness quotes before summarizing the rest.
  static let evidenceQuoteLimit = 5

  /// Creates a drafter.
  public init(catalog: Catalog, owners: Owners = Owners(), policy: POAMPolicy = .standard) {
    self.catalog = catalog
    self.owners = owners
    self.policy = policy
  }

  /// Drafts the POA&M for a report.
  public func draft(_ report: GapReport) throws -> POAMDocument {
    let date = report.assessmentDate
    // Items are independent: drafted on every core, kept in catalog order.
    let items = try Parallel.map(report.requirements.filter { $0.status == .notMet || $0.status == .notAssessed }) {
      draftItem($0, date: date)
    }
    return POAMDocument(
      level: report.level, assessmentDate: report.assessmentDate.iso, score: report.score, maxScore: report.maxScore,
      certificationStatus: report.status, catalogVersion: report.catalogVersion, toolVersion: ToolInfo.version,
      items: items)
  }

  /// Drafts the item for one requirement that is NOT MET or not assessed.
  public func draftItem(_ result: RequirementResult, date: CalendarDate) -> POAMItem {
    let requirement = catalog.requirement(id: result.id)
    let objectives = objectivesToFix(result, requirement: requirement)
    let failing = failingEvidence(result)
    let (severity, rawSeverity) = severity(result, failing: failing)
    let offsets = result.poamEligible ? policy.eligibleOffsets : policy.ineligibleOffsets
    let milestones = defaultMilestones(result, objectives: objectives, date: date, offsets: offsets)
    let findingWords = result.status == .notAssessed ? "not assessed (no evidence)" : "NOT MET"
    let objectiveWords =
      objectives.isEmpty ? "" : " (objectives \(objectives.map { "[\($0)]" }.joined(separator: ", ")))"
    var item = POAMItem(
      id: POAMItem.id(for: result.id), requirementID: result.id, requirementTitle: result.title,
      family: result.family, level: result.level, finding: result.status,
      weakness: weakness(result, requirement: requirement, objectives: objectives, failing: failing),
      failingObjectives: result.status == .notMet ? objectives : [],
      sourceOfDiscovery: sourceOfDiscovery(result, date: date),
      securityChecks: securityChecks(failing), devicesAffected: devices(result, failing: failing), severity: severity,
      rawSeverity: rawSeverity, points: result.level == .one || result.points == nil ? nil : result.pointsDeducted,
      poamEligible: result.poamEligible, eligibilityReason: result.poamReason, dateIdentified: date.iso,
      history: [
        POAMEvent(
          date: date.iso, kind: .opened, note: "\(findingWords) in the assessment of \(date.iso)\(objectiveWords)")
      ],
      pointOfContact: owners.owner(requirement: result.id, family: result.family),
      proposedRemediation: remediation(result, requirement: requirement, objectives: objectives),
      milestones: milestones, scheduledCompletion: milestones.last?.due ?? date.iso, status: .open)
    // The report names the first assets by name and counts them all: the cell says how many more.
    if result.affectedAssetCount > result.affectedAssets.count { item.devicesAffectedTotal = result.affectedAssetCount }
    return item
  }

  // MARK: - Parts

  /// The objectives the fix must cover: those NOT MET; every objective not satisfied when the
  /// finding named none; every objective for a requirement with no evidence.
  func objectivesToFix(_ result: RequirementResult, requirement: Requirement?) -> [String] {
    let all = requirement?.objectives.map(\.id) ?? result.objectives.keys.sorted()
    if result.status == .notAssessed { return all }
    let failing = result.failingObjectives
    if !failing.isEmpty { return failing }
    let unsatisfied = result.objectives.filter { !$0.value.isSatisfied }.map(\.key).sorted()
    return unsatisfied.isEmpty ? all : unsatisfied
  }

  /// Evidence that speaks against the requirement (NOT MET or partial); all evidence when none does.
  func failingEvidence(_ result: RequirementResult) -> [Evidence] {
    let failing = result.evidence.filter { $0.status == .notMet || $0.status == .partial }
    return failing.isEmpty ? result.evidence.filter { !($0.status?.isSatisfied ?? false) } : failing
  }

  /// Severity from the point value (5 high, 3 moderate, 1 low; Level 1 and the SSP, which has no
  /// value, high), raised to the worst STIG category among the failing checks.
  func severity(_ result: RequirementResult, failing: [Evidence]) -> (POAMSeverity, String?) {
    var severity: POAMSeverity
    let value = result.pointsDeducted > 0 ? result.pointsDeducted : (result.points ?? 0)
    if result.level == .one || result.points == nil {
      severity = .high
    } else if value >= 5 {
      severity = .high
    } else if value >= 3 {
      severity = .moderate
    } else {
      severity = .low
    }
    let stig = failing.compactMap { $0.severity.flatMap(POAMSeverity.parse) }.max()
    if let stig, stig > severity { severity = stig }
    let raw = stig.map { ["CAT III", "CAT II", "CAT I"][$0.rank] }
    return (severity, raw)
  }

  func weakness(
    _ result: RequirementResult, requirement: Requirement?, objectives: [String], failing: [Evidence]
  ) -> String {
    let name = "\(result.id) \(result.title)"
    guard result.status == .notMet else {
      return
        "NOT ASSESSED: no evidence for \(name) was found in the inputs, so it cannot be credited and is scored as NOT MET."
    }
    var text = "NOT MET: \(name)"
    let total = requirement?.objectives.count ?? result.objectives.count
    if !objectives.isEmpty {
      let letters = objectives.map { "[\($0)]" }.joined(separator: ", ")
      text +=
        objectives.count == total
        ? " — \(objectives.count == 1 ? "its objective" : (total == 2 ? "both objectives" : "all \(total) objectives")) \(letters) not met."
        : " — objective\(objectives.count == 1 ? "" : "s") \(letters) of \(total) not met."
    } else {
      text += "."
    }
    if result.partial, let points = result.points {
      text += " Partly implemented: \(Plural.count(result.pointsDeducted, "point")) deducted instead of \(points)."
    }
    if !failing.isEmpty {
      text += " Evidence: " + quote(failing)
      if result.unlistedEvidence > 0 {
        // The report lists the worst pieces; the rest are counted, and in the evidence file.
        text +=
          " \(Plural.count(result.evidenceCount, "result")) in all: the worst are quoted here; every one is in the evidence file."
      }
    }
    if result.affectedAssetCount > result.affectedAssets.count {
      // Devices Affected lists the first assets by name; the weakness says how many there are.
      text +=
        " It affects \(Plural.count(result.affectedAssetCount, "asset")); the POA&M names the first \(Plural.number(result.affectedAssets.count)), and the evidence file names them all."
    }
    if !result.conflicts.isEmpty { text += " Conflicting evidence: " + result.conflicts.joined(separator: "; ") + "." }
    if result.indirect {
      text += " All evidence reached this requirement through NIST SP 800-53 or CCI mappings; confirm it applies."
    }
    return text
  }

  /// Groups failing evidence by file, status and detail; quotes the first few groups.
  func quote(_ failing: [Evidence]) -> String {
    struct Key: Hashable {
      var source: String
      var status: String
      var detail: String
    }
    var order: [Key] = []
    var groups: [Key: (assets: [String], locations: [String], objectives: Set<String>)] = [:]
    var seenAssets = Set<[String]>()
    for evidence in failing {
      let key = Key(
        source: evidence.source,
        status: evidence.rawStatus.isEmpty ? (evidence.status?.label ?? "?") : evidence.rawStatus,
        detail: evidence.detail)
      if groups[key] == nil {
        order.append(key)
        groups[key] = ([], [], [])
      }
      if let asset = evidence.asset, !asset.isEmpty,
        seenAssets.insert([key.source, key.status, key.detail, asset]).inserted
      {
        groups[key]!.assets.append(asset)
      }
      if !evidence.location.isEmpty { groups[key]!.locations.append(evidence.location) }
      if let objective = evidence.objective { groups[key]!.objectives.insert(objective) }
    }
    var parts: [String] = []
    for key in order.prefix(Self.evidenceQuoteLimit) {
      let group = groups[key]!
      var part = key.status
      if !group.objectives.isEmpty {
        part += " for " + group.objectives.sorted().map { "[\($0)]" }.joined(separator: ", ")
      }
      if !group.assets.isEmpty {
        let shown = group.assets.prefix(3).joined(separator: ", ")
        part += " on \(shown)" + (group.assets.count > 3 ? " and \(group.assets.count - 3) more" : "")
      }
      var place = key.source
      if group.locations.count == 1 { place += " \(group.locations[0])" }
      part += " (\(place))"
      if !key.detail.isEmpty { part += ": \(key.detail)" }
      parts.append(part)
    }
    var text = parts.joined(separator: "; ")
    if order.count > Self.evidenceQuoteLimit {
      let rest = order.dropFirst(Self.evidenceQuoteLimit)
      let results = rest.reduce(0) { $0 + max(1, groups[$1]!.locations.count) }
      let files = Set(rest.map(\.source)).count
      text += "; and \(results) more result\(results == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
    }
    return text + "."
  }

  func sourceOfDiscovery(_ result: RequirementResult, date: CalendarDate) -> String {
    // Sets beside the ordered lists: ten thousand files and their evidence would make an
    // array search quadratic (issue 16's 10,000-checklist benchmark spent minutes here).
    var assessor: [String] = []
    var automated: [String] = []
    var seenAssessor = Set<String>()
    var seenAutomated = Set<String>()
    for evidence in result.evidence {
      if evidence.kind == .assessor {
        if seenAssessor.insert(evidence.source).inserted { assessor.append(evidence.source) }
      } else if seenAutomated.insert(evidence.source).inserted {
        automated.append(evidence.source)
      }
    }
    var parts: [String] = []
    if !assessor.isEmpty { parts.append("Assessor determination: " + assessor.joined(separator: ", ")) }
    if !automated.isEmpty { parts.append("Automated check: " + automated.joined(separator: ", ")) }
    if parts.isEmpty { parts.append("poam gap analysis: no evidence in the inputs") }
    return parts.joined(separator: "; ") + " (assessment of \(date.iso))"
  }

  /// STIG rule and vulnerability IDs, XCCDF rule IDs and CCIs named by the failing evidence.
  ///
  /// Thousands of failing results often share locations and details (the same VULN on every
  /// host): each distinct text is searched once.
  func securityChecks(_ failing: [Evidence]) -> [String] {
    var found: [String] = []
    var seen = Set<String>()
    var searched = Set<String>()
    for evidence in failing {
      for text in [evidence.location, evidence.detail] where searched.insert(text).inserted {
        for match in text.matches(of: Patterns.securityCheck) {
          let id = String(match.output)
          if seen.insert(id).inserted { found.append(id) }
        }
      }
    }
    return found
  }

  /// The assets the gap affects (``RequirementResult/affectedAssets``, which counts every
  /// piece of evidence, not only those listed; from the evidence itself for a report written
  /// before it).
  func devices(_ result: RequirementResult, failing: [Evidence]) -> [String] {
    result.evidenceSummary == nil ? devices(failing.compactMap(\.asset)) : devices(result.affectedAssets)
  }

  /// The asset names, one line each: whitespace and control characters inside a name become
  /// single spaces so the list survives a spreadsheet cell.
  func devices(_ failing: [String]) -> [String] {
    let names = failing.map { name in
      name.split(whereSeparator: {
        $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control }
      })
      .joined(separator: " ")
    }
    return Array(Set(names.filter { !$0.isEmpty })).sorted()
  }

  func remediation(_ result: RequirementResult, requirement: Requirement?, objectives: [String]) -> String {
    let name = "\(result.id) \(result.title)"
    let lines = objectives.map { letter -> String in
      let description = requirement?.objective(letter)?.description ?? "objective \(letter)"
      return "[\(letter)] \(description)"
    }
    let intro =
      result.status == .notAssessed
      ? "Assess \(name): collect evidence and record a determination for each objective:"
      : "Implement \(name) and keep the evidence an assessor will examine, so that:"
    return ([intro] + lines).joined(separator: "\n")
  }

  func defaultMilestones(
    _ result: RequirementResult, objectives: [String], date: CalendarDate, offsets: [Int]
  ) -> [Milestone] {
    let days = offsets.count >= 3 ? Array(offsets.prefix(3)) : [30, 90, 150]
    let letters = objectives.map { "[\($0)]" }.joined(separator: ", ")
    let scope = objectives.isEmpty ? result.id : "\(result.id) \(letters)"
    let validate: String
    if result.poamEligible {
      let deadline = date.adding(days: policy.closeoutDays)
      validate =
        "Validate: assess \(scope) and file the evidence; the POA&M closeout assessment must confirm closure by \(deadline.iso) (32 CFR 170.21(b))."
    } else if result.level == .one {
      validate =
        "Validate: assess \(scope) and file the evidence. A Level 1 self-assessment allows no POA&M (32 CFR 170.21(a)(1)), so it must be MET before the affirmation."
    } else {
      validate =
        "Validate: assess \(scope) and file the evidence. This requirement may not be on a POA&M for a Conditional status, so it must be MET before certification."
    }
    let plan =
      result.status == .notAssessed
      ? "Plan: name who will collect the evidence for \(scope) and how it will be assessed."
      : "Plan: confirm the gap, agree the fix for \(scope), and secure the people and budget."
    let implement =
      result.status == .notAssessed
      ? "Collect: gather the documents, records and configuration evidence for each objective."
      : "Implement: put the fix in place and record the changes."
    return [
      Milestone(number: 1, description: plan, due: date.adding(days: days[0]).iso),
      Milestone(number: 2, description: implement, due: date.adding(days: days[1]).iso),
      Milestone(number: 3, description: validate, due: date.adding(days: days[2]).iso),
    ]
  }

  private enum Patterns {
    nonisolated(unsafe) static let securityCheck =
      #/SV-\d+r\d+_rule|\bV-\d{4,}\b|xccdf_[A-Za-z0-9_.\-]+_rule_[A-Za-z0-9_.\-]+|\bCCI-\d{6}\b/#
  }
}

/// A problem with POA&M data as a whole.
public enum POAMError: Error, LocalizedError, Sendable, Hashable {
  /// A date that must be `YYYY-MM-DD` is not.
  case invalidDate(String, context: String)

  public var errorDescription: String? {
    switch self {
    case .invalidDate(let text, let context): return "\(context) '\(text)' is not a date: expected YYYY-MM-DD"
    }
  }
}
