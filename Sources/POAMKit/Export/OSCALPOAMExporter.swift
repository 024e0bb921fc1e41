import Foundation

/// `poam.json`: an OSCAL 1.1.3 plan-of-action-and-milestones document, valid against NIST's
/// JSON schema.
///
/// Each item becomes a `poam-item` (weakness as description, comments as remarks, poam's own
/// fields as `props` in the `urn:poam:oscal` namespace), a `risk` (status, deadline, the proposed
/// remediation as a planned `response` whose `tasks` are the milestones and whose
/// `required-assets` are the resources, mitigations as `mitigating-factors`, a risk acceptance
/// as an `accept` response, history as the `risk-log`) and, when the gap report has evidence
/// for it, an `observation`. Every UUID is a version 5 UUID of the item ID, so reruns keep them.
/// ``OSCALPOAMReader`` reads the document back without losing a field.
public struct OSCALPOAMExporter: POAMExporter {
  public var fileName: String { "poam.json" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    Data(try JSONOutput.string(try document(context)).utf8)
  }

  func document(_ context: ExportContext) throws -> OSCAL.File {
    let poam = context.document
    let results = Dictionary(context.report.requirements.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var observations: [OSCAL.Observation] = []
    var risks: [OSCAL.Risk] = []
    var items: [OSCAL.POAMItem] = []
    for item in poam.items {
      var observationUUID: String?
      if let result = results[item.requirementID], !result.evidence.isEmpty {
        let observation = try self.observation(item, result: result, date: poam.assessmentDate)
        observations.append(observation)
        observationUUID = observation.uuid
      }
      let risk = try self.risk(item, observation: observationUUID, date: poam.assessmentDate)
      risks.append(risk)
      items.append(
        OSCAL.POAMItem(
          uuid: uuid("item", item.id),
          title: item.requirementTitle.isEmpty ? item.id : "\(item.id): \(item.requirementTitle)",
          description: item.weakness, props: props(item),
          relatedObservations: observationUUID.map { [OSCAL.RelatedObservation(observationUUID: $0)] },
          relatedRisks: [OSCAL.RelatedRisk(riskUUID: risk.uuid)],
          remarks: item.comments.isEmpty ? nil : item.comments))
    }
    var metadataProps: [OSCAL.Property] = [
      .poam("cmmc-level", String(poam.level.rawValue)), .poam("assessment-date", poam.assessmentDate),
      .poam("catalog-version", poam.catalogVersion), .poam("tool-version", "\(ToolInfo.name) \(poam.toolVersion)"),
    ].compactMap { $0 }
    if let score = poam.score { metadataProps.append(OSCAL.Property.poam("score", String(score))!) }
    if let maxScore = poam.maxScore { metadataProps.append(OSCAL.Property.poam("max-score", String(maxScore))!) }
    if let status = poam.certificationStatus {
      metadataProps.append(OSCAL.Property.poam("certification-status", status.rawValue)!)
    }
    let metadata = OSCAL.Metadata(
      title: "CMMC Level \(poam.level.rawValue) Plan of Action and Milestones",
      lastModified: try OSCAL.requiredDateTime(poam.assessmentDate),
      version: poam.assessmentDate.isEmpty ? "draft" : poam.assessmentDate, oscalVersion: OSCAL.version,
      props: metadataProps,
      remarks:
        "Drafted by poam from the CMMC Level \(poam.level.rawValue) gap analysis of \(poam.assessmentDate). Fields specific to poam are props in the \(OSCAL.namespace) namespace; human-editable fields are kept across reruns."
    )
    return OSCAL.File(
      planOfActionAndMilestones: OSCAL.PlanOfActionAndMilestones(
        uuid: uuid("document", "level-\(poam.level.rawValue)"), metadata: metadata,
        observations: observations.isEmpty ? nil : observations, risks: risks.isEmpty ? nil : risks,
        poamItems: items))
  }

  func uuid(_ kind: String, _ name: String) -> String {
    NameBasedUUID.make("poam:\(kind):\(name)")
  }

  func props(_ item: POAMItem) -> [OSCAL.Property] {
    var props: [OSCAL.Property?] = [
      .poam("poam-id", item.id), .poam("requirement-id", item.requirementID),
      .poam("requirement-title", item.requirementTitle), .poam("family", item.family),
      item.level.flatMap { .poam("level", String($0.rawValue)) }, .poam("finding", item.finding.rawValue),
      .poam("failing-objectives", item.failingObjectives.joined(separator: " ")),
      .poam("source-of-discovery", item.sourceOfDiscovery),
    ]
    props += item.securityChecks.map { .poam("security-check", $0) }
    props += item.devicesAffected.map { .poam("device-affected", $0) }
    props += [
      .poam("severity", item.severity.rawValue), item.rawSeverity.flatMap { .poam("raw-severity", $0) },
      item.points.flatMap { .poam("points", String($0)) }, .poam("poam-eligible", item.poamEligible ? "true" : "false"),
      .poam("eligibility-reason", item.eligibilityReason), .poam("date-identified", item.dateIdentified),
      item.closedOn.flatMap { .poam("closed-on", $0) }, item.closureEvidence.flatMap { .poam("closure-evidence", $0) },
      .poam("status", item.status.rawValue), .poam("point-of-contact", item.pointOfContact),
      .poam("scheduled-completion", item.scheduledCompletion),
    ]
    for (index, field) in item.customFields.enumerated() {
      // A column and its cell: two props tied by a group.
      let group = "custom-field-\(index + 1)"
      for (name, text) in [("custom-field", field.name), ("custom-field-value", field.value)] {
        var prop = OSCAL.Property.poam(name, text)
        prop?.group = group
        props.append(prop)
      }
    }
    return props.compactMap { $0 }
  }

  func observation(_ item: POAMItem, result: RequirementResult, date: String) throws -> OSCAL.Observation {
    let kinds = Set(result.evidence.map(\.kind))
    var methods: [String] = []
    if kinds.contains(.assessor) { methods.append("EXAMINE") }
    if kinds.contains(.automated) { methods.append("TEST") }
    var files: [String] = []
    var counts: [String: [String: Int]] = [:]
    for evidence in result.evidence {
      if counts[evidence.source] == nil {
        files.append(evidence.source)
        counts[evidence.source] = [:]
      }
      counts[evidence.source]![evidence.status?.label ?? "UNKNOWN", default: 0] += 1
    }
    let evidence = files.map { file -> OSCAL.RelevantEvidence in
      let tally = counts[file]!.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
      return OSCAL.RelevantEvidence(
        description: "\(file): \(tally)", props: [OSCAL.Property.poam("source-file", file)].compactMap { $0 })
    }
    return OSCAL.Observation(
      uuid: uuid("observation", item.id), title: "Evidence for \(item.requirementID)",
      description:
        "\(POAMTable.label(result.status)) in the assessment of \(date); evidence from \(files.joined(separator: ", ")).",
      methods: methods,
      types: ["finding"], relevantEvidence: evidence.isEmpty ? nil : evidence,
      collected: try OSCAL.requiredDateTime(date))
  }

  func risk(_ item: POAMItem, observation: String?, date: String) throws -> OSCAL.Risk {
    let status: String
    switch item.status {
    case .open: status = "open"
    case .closed: status = "closed"
    case .riskAccepted: status = "deviation-approved"
    }
    let pointsText = item.points.map { "\($0) point\($0 == 1 ? "" : "s")" } ?? "no point value"
    let statement =
      "Severity \(item.severity.label) (\(pointsText)\(item.rawSeverity.map { "; STIG \($0)" } ?? "")). "
      + (item.poamEligible ? "May be on a POA&M: " : "May not be on a POA&M: ") + item.eligibilityReason
    var remediation = OSCAL.Response(
      uuid: uuid("remediation", item.id), lifecycle: item.status == .closed ? "completed" : "planned",
      title: "Proposed remediation for \(item.requirementID.isEmpty ? item.id : item.requirementID)",
      description: item.proposedRemediation, props: [OSCAL.Property(name: "type", value: "mitigate")],
      remarks: item.milestoneChanges.isEmpty ? nil : item.milestoneChanges)
    if !item.resources.isEmpty {
      remediation.requiredAssets = [OSCAL.RequiredAsset(uuid: uuid("resources", item.id), description: item.resources)]
    }
    let tasks = item.milestones.enumerated().map { index, milestone -> OSCAL.Task in
      let props = [
        milestone.number.flatMap { OSCAL.Property.poam("milestone-number", String($0)) },
        milestone.due.flatMap { OSCAL.Property.poam("due", $0) },
        milestone.completedOn.flatMap { OSCAL.Property.poam("completed-on", $0) },
      ].compactMap { $0 }
      return OSCAL.Task(
        uuid: uuid("milestone", "\(item.id):\(index + 1)"), type: "milestone",
        title: milestone.number.map { "Milestone \($0)" } ?? "Milestone", description: milestone.description,
        props: props.isEmpty ? nil : props,
        timing: OSCAL.dateTime(milestone.due).map { OSCAL.Timing(onDate: OSCAL.OnDate(date: $0)) })
    }
    remediation.tasks = tasks.isEmpty ? nil : tasks
    var remediations = [remediation]
    if !item.riskAcceptance.isEmpty {
      remediations.append(
        OSCAL.Response(
          uuid: uuid("acceptance", item.id), lifecycle: "completed", title: "Risk acceptance",
          description: item.riskAcceptance, props: [OSCAL.Property(name: "type", value: "accept")]))
    }
    let documentStart = try OSCAL.requiredDateTime(date)
    let entries = item.history.enumerated().map { index, event -> OSCAL.RiskLogEntry in
      // An entry needs a date-time; a history line a person wrote without one is logged on the
      // document's date and keeps its own (empty) date in a prop.
      let start = OSCAL.dateTime(event.date) ?? documentStart
      let change: String? =
        switch event.kind {
        case .opened, .reopened: "open"
        case .closed: "closed"
        case .note: nil
        }
      return OSCAL.RiskLogEntry(
        uuid: uuid("log", "\(item.id):\(index + 1)"), title: event.kind.rawValue, start: start,
        props: [OSCAL.Property.poam("event-date", event.date)].compactMap { $0 }, statusChange: change,
        remarks: event.note)
    }
    return OSCAL.Risk(
      uuid: uuid("risk", item.id),
      title: item.requirementTitle.isEmpty ? item.id : "\(item.id): \(item.requirementTitle)",
      description: item.weakness, statement: statement, props: nil, status: status,
      mitigatingFactors: item.mitigations.isEmpty
        ? nil : [OSCAL.MitigatingFactor(uuid: uuid("mitigation", item.id), description: item.mitigations)],
      deadline: item.status == .closed ? nil : OSCAL.dateTime(item.scheduledCompletion),
      remediations: remediations, riskLog: entries.isEmpty ? nil : OSCAL.RiskLog(entries: entries),
      relatedObservations: observation.map { [OSCAL.RelatedObservation(observationUUID: $0)] })
  }
}
