import Foundation

/// OSCAL assessment-results, JSON (OSCAL 1.0 and 1.1): each `results[].findings[]` entry becomes
/// one observation. Its `target` names what was assessed (`objective-id` or `statement-id`, with
/// `target-id` such as `ac-2.1_obj`, `3.1.1`, `ac.l2-3.1.1_obj.a`, mapped by ``OSCALTargetMapper``
/// as in the XML importer) and its status
/// (`satisfied` → MET, `not-satisfied` → NOT MET; an `implementation-status` of `partial` makes a
/// NOT MET partial, `not-applicable` makes it N/A). The related observations give the details
/// (description and relevant evidence) and, through their subjects, the asset.
///
/// Observations that no finding cites are supporting records, not determinations: they are not
/// read as results. A result without findings is reported as a note.
struct OSCALJSONImporter: Importer {
  public let format = InputFormat.oscalJSON

  /// Creates the importer.
  public init() {}

  public func read(_ input: InputFile) throws -> ImportResult {
    let file = input.displayName
    let parsed = try JSONInput.parse(input, what: "OSCAL assessment-results JSON")
    guard let root = JSONInput.object(parsed) else {
      throw ImportError.malformed(
        file: file, line: nil, column: nil, expected: "OSCAL assessment-results: a JSON object at the top level")
    }
    guard let document = JSONInput.object(root["assessment-results"]) else {
      if root["plan-of-action-and-milestones"] != nil {
        throw ImportError.unsupported(
          file: file,
          reason: "an OSCAL plan-of-action-and-milestones, not assessment results: pass it to poam analyze with --prior"
        )
      }
      throw ImportError.malformed(
        file: file, line: nil, column: nil,
        expected:
          "OSCAL assessment-results: a top-level 'assessment-results' object (top-level keys: \(JSONInput.keys(root)))")
    }
    let metadata = JSONInput.object(document["metadata"]) ?? [:]
    let producer = Producer(
      tool: "OSCAL assessment-results", version: JSONInput.string(metadata["oscal-version"]))
    guard let results = document["results"] as? [Any] else {
      throw ImportError.malformed(
        file: file, line: nil, column: nil,
        expected:
          "OSCAL assessment-results with a 'results' array (assessment-results keys: \(JSONInput.keys(document)))")
    }
    let documentSubjects = Self.subjectIndex(JSONInput.object(document["local-definitions"]))
    var output = ImportResult()
    for (resultIndex, resultValue) in results.enumerated() {
      let resultPath = "results[\(resultIndex)]"
      guard let result = JSONInput.object(resultValue) else {
        output.diagnostics.append(
          Diagnostic(
            .warning, .malformedEntry, source: file, location: resultPath, message: "expected a result object; not read"
          ))
        continue
      }
      let title = JSONInput.string(result["title"]) ?? resultPath
      let findings = result["findings"] as? [Any] ?? []
      if findings.isEmpty {
        let subjects = documentSubjects.merging(
          Self.subjectIndex(JSONInput.object(result["local-definitions"])), uniquingKeysWith: { _, local in local })
        if readObservationResults(result, path: resultPath, file: file, subjects: subjects, into: &output) > 0 {
          continue
        }
        output.diagnostics.append(
          Diagnostic(
            .note, .nothingToImport, source: file, location: resultPath,
            message: "result '\(title)' records no findings, so it gives no determinations"))
        continue
      }
      // UUIDs should be unique, but producers repeat them (the FedRAMP template does): keep every
      // observation under its UUID and say so.
      var observations: [String: [[String: Any]]] = [:]
      for observation in JSONInput.objects(result["observations"]) {
        if let uuid = JSONInput.string(observation["uuid"]) {
          observations[uuid.lowercased(), default: []].append(observation)
        }
      }
      for (uuid, repeated) in observations.sorted(by: { $0.key < $1.key }) where repeated.count > 1 {
        output.diagnostics.append(
          Diagnostic(
            .note, .readNote, source: file, location: "\(resultPath).observations",
            message: "\(repeated.count) observations share the UUID \(uuid); a finding that cites it gets all of them"))
      }
      let subjects = documentSubjects.merging(
        Self.subjectIndex(JSONInput.object(result["local-definitions"])), uniquingKeysWith: { _, local in local })
      for (findingIndex, findingValue) in findings.enumerated() {
        let path = "\(resultPath).findings[\(findingIndex)]"
        guard let finding = JSONInput.object(findingValue) else {
          output.diagnostics.append(
            Diagnostic(
              .warning, .malformedEntry, source: file, location: path, message: "expected a finding object; not read"))
          continue
        }
        output.observations.append(
          observation(
            finding, path: path, file: file, producer: producer, observations: observations, subjects: subjects,
            diagnostics: &output.diagnostics))
      }
    }
    return output
  }

  // The finding's parts, gathered into one observation.
  private func observation(
    _ finding: [String: Any], path: String, file: String, producer: Producer,
    observations: [String: [[String: Any]]], subjects: [String: Asset], diagnostics: inout [Diagnostic]
  ) -> Observation {
    let target = JSONInput.object(finding["target"]) ?? [:]
    var refs: [Reference] = []
    if let targetID = JSONInput.string(target["target-id"]) {
      if let reference = OSCALTargetMapper.reference(for: targetID) {
        refs.append(reference)
      } else {
        refs.append(Reference(.other, targetID))
        diagnostics.append(
          Diagnostic(
            .warning, .unknownTarget, source: file, location: path,
            message:
              "target-id '\(targetID)' is not an OSCAL control, statement or objective ID poam understands (ac-2, ac-2.1_obj, 3.1.1, ac.l2-3.1.1_obj.a)"
          ))
      }
    } else {
      diagnostics.append(
        Diagnostic(
          .warning, .unknownTarget, source: file, location: path,
          message: "finding has no target.target-id; it cannot be placed"))
    }

    let state = JSONInput.string(JSONInput.object(target["status"])?["state"]) ?? ""
    let implementation =
      JSONInput.string(JSONInput.object(target["implementation-status"])?["state"])
      ?? (JSONInput.objects(target["props"]).first { JSONInput.string($0["name"]) == "implementation-status" })
      .flatMap { JSONInput.string($0["value"]) }
    var status: Status?
    switch StatusNormalizer.normalize(state) {
    case .success(let value): status = value
    case .failure:
      diagnostics.append(
        Diagnostic(
          .warning, .unknownStatus, source: file, location: path,
          message: "target status '\(state)' is not an OSCAL finding state: expected satisfied or not-satisfied"))
    }
    if status == .notMet, implementation == "partial" { status = .partial }
    if implementation == "not-applicable" { status = .notApplicable }
    var raw = state
    if let implementation { raw += " (implementation-status: \(implementation))" }

    var details: [String] = []
    if let description = JSONInput.string(finding["description"]) ?? JSONInput.string(target["description"]) {
      details.append(description)
    }
    var asset: Asset?
    var tools = 0
    var related = 0
    for link in JSONInput.objects(finding["related-observations"]) {
      guard let uuid = JSONInput.string(link["observation-uuid"]) else { continue }
      guard let cited = observations[uuid.lowercased()] else {
        diagnostics.append(
          Diagnostic(
            .note, .unrelatedObservation, source: file, location: path,
            message: "related observation \(uuid) is not in this result; its evidence is not shown"))
        continue
      }
      for observation in cited {
        related += 1
        let title = JSONInput.string(observation["title"])
        if let description = JSONInput.string(observation["description"]) {
          details.append(title.map { "\($0): \(description)" } ?? description)
        }
        for evidence in JSONInput.objects(observation["relevant-evidence"]) {
          let text = [JSONInput.string(evidence["description"]), JSONInput.string(evidence["href"])].compactMap { $0 }
          if !text.isEmpty { details.append("evidence: " + text.joined(separator: " ")) }
        }
        if asset == nil {
          for subject in JSONInput.objects(observation["subjects"]) {
            let type = JSONInput.string(subject["type"]) ?? ""
            guard type == "component" || type == "inventory-item" || type == "resource" else { continue }
            if let uuid = JSONInput.string(subject["subject-uuid"]), let known = subjects[uuid.lowercased()] {
              asset = known
            } else if let title = JSONInput.string(subject["title"]) {
              asset = Asset(hostName: title)
            }
            if asset != nil { break }
          }
        }
        let actors = JSONInput.objects(observation["origins"]).flatMap { JSONInput.objects($0["actors"]) }
        if !actors.isEmpty, actors.allSatisfy({ JSONInput.string($0["type"]) == "tool" }) { tools += 1 }
      }
    }
    let remarks = [JSONInput.string(target["remarks"]), JSONInput.string(finding["remarks"])].compactMap { $0 }
    return Observation(
      source: file, location: path, asset: asset, producer: producer,
      kind: related > 0 && tools == related ? .automated : .assessor, refs: refs, rawStatus: raw, status: status,
      title: JSONInput.string(finding["title"]), details: details.isEmpty ? nil : details.joined(separator: "\n"),
      comments: remarks.isEmpty ? nil : remarks.joined(separator: "\n"))
  }

  /// A list of OSCAL props as (name, value) pairs.
  static func props(_ value: Any?) -> [(name: String, value: String)] {
    JSONInput.objects(value).compactMap { prop in
      guard let name = JSONInput.string(prop["name"]), let value = JSONInput.string(prop["value"]) else { return nil }
      return (name, value)
    }
  }

  /// A result without findings whose observations carry their own results, as
  /// compliance-to-policy and trestle's scanner transforms write them: an observation's props
  /// `control-id` (the control or requirement checked), `assessment-rule-id` (the policy rule) and
  /// `result` (pass / fail), and subjects with their own `result` props. Each subject with a
  /// result (else the observation with one) becomes an automated observation: these come from
  /// scanners and policy engines. Returns how many were read.
  func readObservationResults(
    _ result: [String: Any], path resultPath: String, file: String, subjects: [String: Asset],
    into output: inout ImportResult
  ) -> Int {
    var read = 0
    for (index, observation) in JSONInput.objects(result["observations"]).enumerated() {
      let path = "\(resultPath).observations[\(index)]"
      let props = Self.props(observation["props"])
      func values(_ names: Set<String>) -> [String] {
        props.filter { names.contains($0.name.lowercased()) }.map(\.value)
      }
      let own = values(["result"]).first
      let subjectResults = JSONInput.objects(observation["subjects"]).compactMap {
        subject -> (subject: [String: Any], result: String, reason: String?)? in
        let subjectProps = Self.props(subject["props"])
        guard let value = subjectProps.first(where: { $0.name.lowercased() == "result" })?.value else { return nil }
        return (subject, value, subjectProps.first { $0.name.lowercased() == "reason" }?.value)
      }
      guard own != nil || !subjectResults.isEmpty else { continue }
      var refs: [Reference] = []
      for control in values(["control-id", "control_id", "control"]) {
        refs.append(OSCALTargetMapper.reference(for: control) ?? Reference(.other, control))
      }
      for rule in values(["assessment-rule-id", "rule-id", "rule_id", "idref"]) {
        refs.append(Reference(.other, rule))
      }
      if !refs.contains(where: { $0.kind != .other }) {
        output.diagnostics.append(
          Diagnostic(
            .warning, .noReferences, source: file, location: path,
            message:
              "observation has a result but no control-id prop naming a control or requirement; it cannot be placed"))
      }
      let title = JSONInput.string(observation["title"])
      let description = JSONInput.string(observation["description"])
      func asset(_ subject: [String: Any]) -> Asset? {
        if let uuid = JSONInput.string(subject["subject-uuid"]), let known = subjects[uuid.lowercased()] {
          return known
        }
        return JSONInput.string(subject["title"]).flatMap { Asset(hostName: $0) }
      }
      func add(_ raw: String, at location: String, asset: Asset?, reason: String?) {
        let status = StatusNormalizer.normalize(
          raw, source: file, location: location, diagnostics: &output.diagnostics)
        let details = [description, reason].compactMap { $0 }
        output.observations.append(
          Observation(
            source: file, location: location, asset: asset, producer: Producer(tool: "OSCAL assessment-results"),
            kind: .automated, refs: refs, rawStatus: raw, status: status, title: title,
            details: details.isEmpty ? nil : details.joined(separator: "\n")))
        read += 1
      }
      if subjectResults.isEmpty, let own {
        add(own, at: path, asset: JSONInput.objects(observation["subjects"]).first.flatMap(asset), reason: nil)
      } else {
        for (number, item) in subjectResults.enumerated() {
          add(item.result, at: "\(path).subjects[\(number)]", asset: asset(item.subject), reason: item.reason)
        }
      }
    }
    return read
  }

  /// Components and inventory items by UUID, with their host name, IP address and FQDN props.
  static func subjectIndex(_ definitions: [String: Any]?) -> [String: Asset] {
    guard let definitions else { return [:] }
    var index: [String: Asset] = [:]
    let assessmentAssets = JSONInput.object(definitions["assessment-assets"])
    let items =
      JSONInput.objects(definitions["inventory-items"]) + JSONInput.objects(definitions["components"])
      + JSONInput.objects(assessmentAssets?["components"])
    for item in items {
      guard let uuid = JSONInput.string(item["uuid"]) else { continue }
      var props: [String: String] = [:]
      for prop in JSONInput.objects(item["props"]) {
        if let name = JSONInput.string(prop["name"]), let value = JSONInput.string(prop["value"]), props[name] == nil {
          props[name] = value
        }
      }
      let name = props["host-name"] ?? props["hostname"] ?? props["asset-id"] ?? JSONInput.string(item["title"])
      let ip = props["ipv4-address"] ?? props["ipv6-address"]
      if let asset = Asset(hostName: name, ip: ip, fqdn: props["fqdn"]) { index[uuid.lowercased()] = asset }
    }
    return index
  }
}
