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
struct OSCALPOAMExporter: POAMExporter {
  public var fileName: String { "poam.json" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    Data(try JSONOutput.string(try document(context)).utf8)
  }

  func document(_ context: ExportContext) throws -> OSCAL.File {
    let poam = context.document
    let results = Dictionary(context.report.requirements.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let profile = context.profile
    var parties = PartyRegistry(uuid: uuid)
    parties.register(profile: profile)
    for item in poam.items { parties.registerOwners(item.pointOfContact) }
    var assets = AssetRegistry(uuid: uuid)
    for item in poam.items { for device in item.devicesAffected { assets.register(device) } }
    var observations: [OSCAL.Observation] = []
    var risks: [OSCAL.Risk] = []
    var items: [OSCAL.POAMItem] = []
    for item in poam.items {
      var observationUUID: String?
      if let result = results[item.requirementID], !result.evidence.isEmpty {
        var observation = try self.observation(
          item, result: result, date: poam.assessmentDate, evidenceFile: context.report.evidenceFile)
        observation.origins = [toolOrigin]
        let subjects = item.devicesAffected.map {
          OSCAL.SubjectReference(subjectUUID: assets.uuid(for: $0), type: "inventory-item", title: $0)
        }
        observation.subjects = subjects.isEmpty ? nil : subjects
        observations.append(observation)
        observationUUID = observation.uuid
      }
      var risk = try self.risk(item, observation: observationUUID, date: poam.assessmentDate)
      risk.origins = [toolOrigin]
      risk.characterizations = [characterization(item)]
      let owner = parties.ownerParties(item.pointOfContact)
      if !owner.isEmpty {
        // The item's owner performs its milestones.
        let role = OSCAL.ResponsibleRole(roleID: PartyRegistry.ownerRole, partyUUIDs: owner)
        risk.remediations = risk.remediations?.map { response in
          var response = response
          response.tasks = response.tasks?.map { task in
            var task = task
            task.responsibleRoles = [role]
            return task
          }
          return response
        }
      }
      risks.append(risk)
      items.append(
        OSCAL.POAMItem(
          uuid: uuid("item", item.id),
          title: item.requirementTitle.isEmpty ? item.id : "\(item.id): \(item.requirementTitle)",
          description: item.weakness, props: props(item), origins: [toolOrigin],
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
    if let statusDate = poam.statusDate, let prop = OSCAL.Property.poam("status-date", statusDate) {
      metadataProps.append(prop)
    }
    if let profile {
      metadataProps += [
        profile.organization.flatMap { OSCAL.Property.poam("organization", $0) },
        profile.systemName.flatMap { OSCAL.Property.poam("system-name", $0) },
        profile.scope.flatMap { OSCAL.Property.poam("assessment-scope", $0) },
        profile.ssp?.summary.flatMap { OSCAL.Property.poam("ssp", $0) },
        OSCAL.Property.poam("assessment-type", profile.assessmentType.rawValue),
      ].compactMap { $0 }
      metadataProps += profile.cageCodes.compactMap { OSCAL.Property.poam("cage-code", $0) }
    }
    let system = profile?.systemLabel.map { " for \($0)" } ?? ""
    var metadata = OSCAL.Metadata(
      title: "CMMC Level \(poam.level.rawValue) Plan of Action and Milestones\(system)",
      lastModified: try OSCAL.requiredDateTime(poam.assessmentDate),
      version: poam.assessmentDate.isEmpty ? "draft" : poam.assessmentDate, oscalVersion: OSCAL.version,
      props: metadataProps,
      remarks:
        "Drafted by poam from the CMMC Level \(poam.level.rawValue) gap analysis of \(poam.assessmentDate). Fields specific to poam are props in the \(OSCAL.namespace) namespace; human-editable fields are kept across reruns."
    )
    metadata.roles = parties.roles
    metadata.parties = parties.parties.isEmpty ? nil : parties.parties
    metadata.responsibleParties = parties.responsibleParties
    var systemID: OSCAL.SystemID?
    if let id = profile?.systemID {
      systemID = OSCAL.SystemID(identifierType: Self.systemIDType, id: id)
    } else if context.sspHref == nil {
      // NIST's model needs an imported SSP or a system-id: without either in the profile, a
      // stable placeholder that says so.
      systemID = OSCAL.SystemID(identifierType: Self.placeholderIDType, id: uuid("system", "unidentified"))
    }
    let tool = OSCAL.Component(
      uuid: toolUUID, type: "software", title: "\(ToolInfo.name) \(poam.toolVersion)",
      description:
        "The poam CMMC gap-analysis tool, which drafted this POA&M from assessment results. Likelihood and impact in risk characterizations are its defaults from point values and STIG categories, not a risk assessment.",
      status: OSCAL.ComponentStatus(state: "operational"))
    let inventory = assets.items
    return OSCAL.File(
      planOfActionAndMilestones: OSCAL.PlanOfActionAndMilestones(
        uuid: uuid("document", "level-\(poam.level.rawValue)"), metadata: metadata,
        importSSP: context.sspHref.map { OSCAL.ImportSSP(href: $0) }, systemID: systemID,
        localDefinitions: OSCAL.LocalDefinitions(
          components: [tool], inventoryItems: inventory.isEmpty ? nil : inventory),
        observations: observations.isEmpty ? nil : observations, risks: risks.isEmpty ? nil : risks,
        poamItems: items))
  }

  /// The `identifier-type` of a `system-id` taken from the profile's `system.id`: the
  /// organization's own identifier for the system, in poam's namespace.
  public static let systemIDType = "urn:poam:oscal:system-id"
  /// The `identifier-type` of the placeholder `system-id` written when there is neither a
  /// profile `system.id` nor `--ssp`: a name-based UUID (RFC 4122) that names no real system.
  public static let placeholderIDType = "https://ietf.org/rfc/rfc4122"

  var toolUUID: String { uuid("component", "poam-tool") }

  var toolOrigin: OSCAL.Origin { OSCAL.Origin(actors: [OSCAL.Actor(type: "tool", actorUUID: toolUUID)]) }

  /// Likelihood and impact, poam's defaults (see ``RiskDefaults``).
  func characterization(_ item: POAMItem) -> OSCAL.Characterization {
    let risk = RiskDefaults(item)
    let remarks = "poam's default from \(risk.basis); not a risk assessment"
    return OSCAL.Characterization(
      props: [OSCAL.Property.poam("basis", "poam-default")].compactMap { $0 }, origin: toolOrigin,
      facets: [
        OSCAL.Facet(
          name: "likelihood", system: "http://csrc.nist.gov/ns/oscal", value: risk.likelihood.oscal, remarks: remarks),
        OSCAL.Facet(
          name: "impact", system: "http://csrc.nist.gov/ns/oscal", value: risk.impact.oscal, remarks: remarks),
      ])
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

  func observation(_ item: POAMItem, result: RequirementResult, date: String, evidenceFile: String? = nil) throws
    -> OSCAL.Observation
  {
    // The kinds of all the evidence, not only of the pieces listed.
    var kinds = Set(result.evidence.map(\.kind))
    for byKind in result.evidenceSummary?.byStatus.values ?? [:].values {
      for kind in byKind.keys { if let kind = ObservationKind(rawValue: kind) { kinds.insert(kind) } }
    }
    var methods: [String] = []
    if kinds.contains(.assessor) || kinds.contains(.manual) { methods.append("EXAMINE") }
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
    var description =
      "\(POAMTable.label(result.status)) in the assessment of \(date); evidence from \(files.joined(separator: ", "))."
    if result.unlistedEvidence > 0 {
      description += " \(ReportFacts.unlistedSentence(result, evidenceFile: evidenceFile))"
    }
    return OSCAL.Observation(
      uuid: uuid("observation", item.id), title: "Evidence for \(item.requirementID)",
      description: description,
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
