import Foundation

/// Reads an OSCAL plan-of-action-and-milestones JSON document back into a ``POAMDocument``:
/// the `poam.json` poam wrote (every field comes back), or another tool's POA&M, whose items
/// are kept as custom items so nothing is lost on merge.
struct OSCALPOAMReader: Sendable {
  /// The catalog, to resolve requirement IDs.
  public let catalog: Catalog

  /// Creates a reader.
  public init(catalog: Catalog) {
    self.catalog = catalog
  }

  /// Reads the JSON; `source` names the file in errors and diagnostics.
  public func read(_ data: Data, source: String) throws -> (POAMDocument, [Diagnostic]) {
    let file: OSCAL.File
    do {
      file = try JSONDecoder().decode(OSCAL.File.self, from: data)
    } catch let error as DecodingError {
      throw POAMReadError(
        file: source, location: JSONPath.describe(error),
        message: "not an OSCAL plan-of-action-and-milestones document: \(JSONPath.expectation(error))")
    } catch {
      throw POAMReadError(file: source, message: "not valid JSON: \(error.localizedDescription)")
    }
    let poam = file.planOfActionAndMilestones
    let meta = Self.props(poam.metadata.props)
    var diagnostics: [Diagnostic] = []
    let risks = Dictionary((poam.risks ?? []).map { ($0.uuid, $0) }, uniquingKeysWith: { a, _ in a })
    var items: [POAMItem] = []
    for (index, entry) in poam.poamItems.enumerated() {
      let props = Self.props(entry.props)
      let risk = entry.relatedRisks?.compactMap { risks[$0.riskUUID] }.first
      var item = makeItem(entry, props: props, risk: risk)
      if props["poam-id"] == nil {
        item.id = "OSCAL-" + entry.uuid.prefix(8)
        diagnostics.append(
          Diagnostic(
            .note, .customItem, source: source, location: "poam-items[\(index)]",
            message: "item '\(entry.title)' was not written by poam: kept as custom item \(item.id)"))
      }
      items.append(item)
    }
    let level = meta["cmmc-level"].flatMap { Int($0.first ?? "") }.flatMap(CMMCLevel.init(rawValue:)) ?? .two
    var document = POAMDocument(
      level: level, assessmentDate: meta["assessment-date"]?.first ?? "",
      score: meta["score"]?.first.flatMap { FileNumbers.integer($0) },
      maxScore: meta["max-score"]?.first.flatMap { FileNumbers.integer($0) },
      certificationStatus: meta["certification-status"]?.first.flatMap(CertificationStatus.init(rawValue:)),
      catalogVersion: meta["catalog-version"]?.first ?? "",
      toolVersion: meta["tool-version"]?.first.map { $0.replacingOccurrences(of: "\(ToolInfo.name) ", with: "") } ?? "",
      items: items)
    document.statusDate = meta["status-date"]?.first
    return (document, diagnostics)
  }

  /// poam's props by name (values in order, exact text).
  static func props(_ props: [OSCAL.Property]?) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for prop in props ?? [] where prop.ns == OSCAL.namespace {
      result[prop.name, default: []].append(prop.text)
    }
    return result
  }

  func makeItem(_ entry: OSCAL.POAMItem, props: [String: [String]], risk: OSCAL.Risk?) -> POAMItem {
    func one(_ name: String) -> String? { props[name]?.first }
    let requirementID = one("requirement-id") ?? ""
    let requirement = catalog.requirement(id: requirementID)
    let remediation = risk?.remediations?.first { response in
      response.props?.contains { $0.name == "type" && $0.value == "mitigate" } ?? false
    }
    let acceptance = risk?.remediations?.first { response in
      response.props?.contains { $0.name == "type" && $0.value == "accept" } ?? false
    }
    let milestones = (remediation?.tasks ?? []).map { task -> Milestone in
      let taskProps = Self.props(task.props)
      let due = taskProps["due"]?.first ?? task.timing?.onDate.flatMap { CalendarDate.parse($0.date)?.iso }
      return Milestone(
        number: taskProps["milestone-number"]?.first.flatMap { FileNumbers.integer($0) },
        description: task.description ?? "",
        due: due, completedOn: taskProps["completed-on"]?.first)
    }
    let history = (risk?.riskLog?.entries ?? []).map { entry -> POAMEvent in
      let date = Self.props(entry.props)["event-date"]?.first ?? String(entry.start.prefix(10))
      return POAMEvent(
        date: date, kind: entry.title.flatMap(POAMEvent.Kind.init(rawValue:)) ?? .note, note: entry.remarks ?? "")
    }
    let ours = (entry.props ?? []).filter { $0.ns == OSCAL.namespace }
    let custom = ours.filter { $0.name == "custom-field" }.map { name in
      let value = ours.first { $0.name == "custom-field-value" && $0.group != nil && $0.group == name.group }
      return CustomField(name: name.text, value: value?.text ?? "")
    }
    return POAMItem(
      id: one("poam-id") ?? "", requirementID: requirementID,
      requirementTitle: one("requirement-title") ?? requirement?.title ?? entry.title,
      family: one("family") ?? requirement?.family ?? "",
      level: one("level").flatMap { FileNumbers.integer($0) }.flatMap(CMMCLevel.init(rawValue:)) ?? requirement?.level,
      finding: one("finding").flatMap(RequirementStatus.init(rawValue:)) ?? .notMet, weakness: entry.description,
      failingObjectives: (one("failing-objectives") ?? "").split(separator: " ").map(String.init),
      sourceOfDiscovery: one("source-of-discovery") ?? "", securityChecks: props["security-check"] ?? [],
      devicesAffected: props["device-affected"] ?? [],
      severity: one("severity").flatMap(POAMSeverity.init(rawValue:)) ?? .moderate, rawSeverity: one("raw-severity"),
      points: one("points").flatMap { FileNumbers.integer($0) }, poamEligible: one("poam-eligible") == "true",
      eligibilityReason: one("eligibility-reason") ?? "", dateIdentified: one("date-identified") ?? "",
      closedOn: one("closed-on"), closureEvidence: one("closure-evidence"), history: history,
      pointOfContact: one("point-of-contact") ?? Owners.unassigned,
      resources: remediation?.requiredAssets?.first?.description ?? "",
      proposedRemediation: remediation?.description ?? "", milestones: milestones,
      milestoneChanges: remediation?.remarks ?? "", scheduledCompletion: one("scheduled-completion") ?? "",
      status: one("status").flatMap(POAMItemStatus.init(rawValue:)) ?? Self.status(risk?.status),
      comments: entry.remarks ?? "", riskAcceptance: acceptance?.description ?? "",
      mitigations: risk?.mitigatingFactors?.first?.description ?? "", customFields: custom)
  }

  static func status(_ riskStatus: String?) -> POAMItemStatus {
    switch riskStatus {
    case "closed": return .closed
    case "deviation-approved": return .riskAccepted
    default: return .open
    }
  }
}
