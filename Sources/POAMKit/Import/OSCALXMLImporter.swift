import Foundation

/// Reads OSCAL assessment results in XML, 1.0 and 1.1 (namespace
/// `http://csrc.nist.gov/ns/oscal/1.0`).
///
/// Each `finding` of each `result` becomes one observation:
/// - its `target` (`objective-id` or `statement-id`) gives the reference, through
///   ``OSCALTargetMapper`` (`ac-2.1_obj` → NIST SP 800-53 `AC-2(1)`, `3.1.1_obj.a` → `3.1.1[a]`);
/// - `target/status/@state` (`satisfied`, `not-satisfied`) gives the status;
/// - the finding's description, and the description, remarks and relevant evidence of its
///   related observations, give the details; the target's description and the finding's
///   remarks give the comments;
/// - the related observations' subjects give the asset (a subject's title, or an inventory
///   item or component in `local-definitions` with `fqdn` / `ipv4-address` properties);
/// - the kind is `automated` when an origin actor is a `tool`, else `assessor`.
///
/// A finding without a target cannot be mapped or scored: it is reported as a warning.
/// Observations no finding refers to carry no determination: their number is reported in a note.
struct OSCALXMLImporter: Importer {
  public let format = InputFormat.oscalXML

  /// Creates the importer.
  public init() {}

  /// What is kept of a subject, component or inventory item.
  struct Subject {
    var uuid = ""
    var type = ""
    var title: String?
  }

  /// The host data of a component or inventory item.
  struct Item {
    var title: String?
    var hostName: String?
    var fqdn: String?
    var ip: String?
  }

  /// What is kept of an OSCAL observation.
  struct ObservationRecord {
    var title: String?
    var description: String?
    var remarks: String?
    var evidence: [String] = []
    var subjects: [Subject] = []
    var actorTypes: [String] = []
    var actorUUIDs: [String] = []
  }

  /// What is kept of a finding.
  struct FindingRecord {
    var uuid = ""
    var result = 0
    var index = 0
    var line = 0
    var title: String?
    var description: String?
    var remarks: String?
    var targetType: String?
    var targetID: String?
    var targetDescription: String?
    var state: String?
    var related: [String] = []
    var actorTypes: [String] = []
    var actorUUIDs: [String] = []
  }

  struct Gathered {
    var oscalVersion: String?
    var items: [String: Item] = [:]
    var observations: [String: ObservationRecord] = [:]
    var findings: [FindingRecord] = []
  }

  public func read(_ input: InputFile) throws -> ImportResult {
    let reader = try XMLStreamReader(input)
    try XMLImportSupport.requireRoot(reader, expected: "OSCAL assessment-results (root assessment-results)") {
      $0.localName(is: "assessment-results") && $0.namespace(hasPrefix: "http://csrc.nist.gov/ns/oscal")
    }
    var gathered = Gathered()
    var resultNumber = 0
    try reader.forEachChildElement {
      if reader.localName(is: "metadata") {
        try reader.forEachChildElement {
          if reader.localName(is: "oscal-version") {
            gathered.oscalVersion = XMLImportSupport.clean(try reader.readText())
          }
        }
      } else if reader.localName(is: "local-definitions") {
        try readLocalDefinitions(reader, into: &gathered)
      } else if reader.localName(is: "result") {
        resultNumber += 1
        var findingIndex = 0
        let number = resultNumber
        try reader.forEachChildElement {
          if reader.localName(is: "local-definitions") {
            try readLocalDefinitions(reader, into: &gathered)
          } else if reader.localName(is: "observation") {
            let uuid = reader.attribute("uuid") ?? ""
            gathered.observations[uuid] = try readObservation(reader)
          } else if reader.localName(is: "finding") {
            findingIndex += 1
            var finding = try readFinding(reader)
            finding.result = number
            finding.index = findingIndex
            gathered.findings.append(finding)
          }
        }
      }
    }
    return join(gathered, source: input.displayName)
  }

  // MARK: - Reading

  /// Prose: the text of the element with its markup dropped and white space collapsed.
  private func prose(_ reader: XMLStreamReader) throws -> String? {
    XMLImportSupport.clean(try reader.readText().split(whereSeparator: \.isWhitespace).joined(separator: " "))
  }

  private func readLocalDefinitions(_ reader: XMLStreamReader, into gathered: inout Gathered) throws {
    try reader.forEachChildElement {
      guard reader.localName(is: "component") || reader.localName(is: "inventory-item") else { return }
      let uuid = reader.attribute("uuid") ?? ""
      var item = Item()
      try reader.forEachChildElement {
        if reader.localName(is: "title") {
          item.title = try prose(reader)
        } else if reader.localName(is: "prop") {
          let name = (reader.attribute("name") ?? "").lowercased()
          let value = XMLImportSupport.clean(reader.attribute("value"))
          switch name {
          case "fqdn": item.fqdn = item.fqdn ?? value
          case "ipv4-address", "ipv6-address", "ip-address": item.ip = item.ip ?? value
          case "hostname", "host-name": item.hostName = item.hostName ?? value
          default: break
          }
        }
      }
      gathered.items[uuid] = item
    }
  }

  private func readOrigins(_ reader: XMLStreamReader, types: inout [String], uuids: inout [String]) throws {
    try reader.forEachChildElement {
      guard reader.localName(is: "actor") else { return }
      types.append((reader.attribute("type") ?? "").lowercased())
      uuids.append(reader.attribute("actor-uuid") ?? "")
    }
  }

  private func readObservation(_ reader: XMLStreamReader) throws -> ObservationRecord {
    var record = ObservationRecord()
    try reader.forEachChildElement {
      if reader.localName(is: "title") {
        record.title = try prose(reader)
      } else if reader.localName(is: "description") {
        record.description = try prose(reader)
      } else if reader.localName(is: "remarks") {
        record.remarks = try prose(reader)
      } else if reader.localName(is: "subject") {
        var subject = Subject()
        subject.uuid = reader.attribute("subject-uuid") ?? ""
        subject.type = reader.attribute("type") ?? ""
        try reader.forEachChildElement {
          if reader.localName(is: "title") { subject.title = try prose(reader) }
        }
        record.subjects.append(subject)
      } else if reader.localName(is: "relevant-evidence") {
        let href = XMLImportSupport.clean(reader.attribute("href"))
        var text: String?
        try reader.forEachChildElement {
          if reader.localName(is: "description") { text = try prose(reader) }
        }
        let evidence = [text, href.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        if !evidence.isEmpty { record.evidence.append(evidence) }
      } else if reader.localName(is: "origin") {
        try readOrigins(reader, types: &record.actorTypes, uuids: &record.actorUUIDs)
      }
    }
    return record
  }

  private func readFinding(_ reader: XMLStreamReader) throws -> FindingRecord {
    var finding = FindingRecord()
    finding.uuid = reader.attribute("uuid") ?? ""
    finding.line = reader.lineNumber
    try reader.forEachChildElement {
      if reader.localName(is: "title") {
        finding.title = try prose(reader)
      } else if reader.localName(is: "description") {
        finding.description = try prose(reader)
      } else if reader.localName(is: "remarks") {
        finding.remarks = try prose(reader)
      } else if reader.localName(is: "target") || reader.localName(is: "objective-status") {
        finding.targetType = reader.attribute("type")
        finding.targetID = reader.attribute("target-id")
        try reader.forEachChildElement {
          if reader.localName(is: "status") {
            let state = XMLImportSupport.clean(reader.attribute("state"))
            let text = try reader.readText()
            finding.state = state ?? XMLImportSupport.clean(text)
          } else if reader.localName(is: "description") {
            finding.targetDescription = try prose(reader)
          } else if reader.localName(is: "objective-id") {
            let text = XMLImportSupport.clean(try reader.readText())
            if finding.targetID == nil { finding.targetID = text }
          }
        }
      } else if reader.localName(is: "related-observation") {
        if let uuid = reader.attribute("observation-uuid") { finding.related.append(uuid) }
      } else if reader.localName(is: "origin") {
        try readOrigins(reader, types: &finding.actorTypes, uuids: &finding.actorUUIDs)
      }
    }
    return finding
  }

  // MARK: - Joining

  private func join(_ gathered: Gathered, source: String) -> ImportResult {
    var result = ImportResult()
    var referenced = Set<String>()
    for finding in gathered.findings {
      let location = "result[\(finding.result)]/finding[\(finding.index)]"
      guard let targetID = XMLImportSupport.clean(finding.targetID) else {
        result.diagnostics.append(
          Diagnostic(
            .warning, .unknownTarget, source: source, location: location,
            message:
              "finding '\(finding.title ?? finding.uuid)' has no target (objective-id or statement-id): it cannot be mapped or scored"
          ))
        continue
      }
      var refs: [Reference] = []
      if let reference = OSCALTargetMapper.reference(for: targetID) {
        XMLImportSupport.add(reference.kind, reference.value, to: &refs)
      } else {
        XMLImportSupport.add(.other, targetID, to: &refs)
      }
      XMLImportSupport.add(.other, finding.uuid, to: &refs)

      let related = finding.related.compactMap { uuid -> ObservationRecord? in
        referenced.insert(uuid)
        return gathered.observations[uuid]
      }
      var details: [String] = []
      if let description = finding.description { details.append(description) }
      for observation in related {
        let body = [observation.description, observation.remarks].compactMap { $0 }.joined(separator: " ")
        let heading = observation.title.map { "Observation: \($0)" } ?? "Observation"
        details.append(body.isEmpty ? heading : "\(heading). \(body)")
        for evidence in observation.evidence { details.append("Evidence: \(evidence)") }
      }
      let comments = [finding.targetDescription, finding.remarks].compactMap { $0 }

      let raw = finding.state ?? ""
      var status = OSCALTargetMapper.status(state: raw)
      if status == nil {
        status = StatusNormalizer.normalize(raw, source: source, location: location, diagnostics: &result.diagnostics)
      }
      let actorTypes = finding.actorTypes + related.flatMap(\.actorTypes)
      let actorUUIDs = finding.actorUUIDs + related.flatMap(\.actorUUIDs)
      let toolName = zip(actorTypes, actorUUIDs).first { $0.0 == "tool" }.flatMap { gathered.items[$0.1]?.title }
      result.observations.append(
        Observation(
          source: source, location: location, line: finding.line,
          asset: asset(for: related.flatMap(\.subjects), items: gathered.items),
          producer: Producer(
            tool: toolName ?? "OSCAL assessment-results", version: toolName == nil ? gathered.oscalVersion : nil),
          kind: actorTypes.contains("tool") ? .automated : .assessor, refs: refs, rawStatus: raw, status: status,
          title: finding.title, details: details.isEmpty ? nil : details.joined(separator: "\n\n"),
          comments: comments.isEmpty ? nil : comments.joined(separator: "\n")))
    }
    let unreferenced = Set(gathered.observations.keys).subtracting(referenced).count
    if unreferenced > 0 {
      result.diagnostics.append(
        Diagnostic(
          .note, .unrelatedObservation, source: source,
          message:
            "\(unreferenced) observation(s) are not related to any finding: OSCAL observations carry no determination, so they are not imported on their own"
        ))
    }
    if gathered.findings.isEmpty {
      result.diagnostics.append(
        Diagnostic(
          .warning, .nothingToImport, source: source,
          message: "the assessment results hold no findings: nothing to import"))
    }
    return result
  }

  private func asset(for subjects: [Subject], items: [String: Item]) -> Asset? {
    for subject in subjects {
      if let item = items[subject.uuid],
        let asset = Asset(hostName: item.hostName ?? item.title, ip: item.ip, fqdn: item.fqdn)
      {
        return asset
      }
      if let asset = Asset(hostName: subject.title) { return asset }
    }
    return nil
  }
}
