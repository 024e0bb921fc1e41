import Foundation

/// STIG Viewer 3 checklists (`.cklb`, JSON): `target_data` names the asset and
/// `stigs[].rules[]` holds one result per rule, with its CCIs, status (`not_a_finding`, `open`,
/// `not_applicable`, `not_reviewed`), severity and severity override, finding details and
/// comments. Every rule becomes one automated observation.
struct CKLBImporter: Importer {
  public let format = InputFormat.cklb

  /// Creates the importer.
  public init() {}

  public func read(_ input: InputFile) throws -> ImportResult {
    let file = input.displayName
    let parsed = try JSONInput.parse(input, what: "a STIG Viewer 3 checklist (CKLB)")
    guard let root = JSONInput.object(parsed) else {
      throw ImportError.malformed(
        file: file, line: nil, column: nil, expected: "a CKLB checklist: a JSON object at the top level")
    }
    guard let stigs = root["stigs"] as? [Any] else {
      let found = root["stigs"] == nil ? "has no 'stigs' key" : "has a 'stigs' value that is not an array"
      throw ImportError.malformed(
        file: file, line: nil, column: nil,
        expected:
          "a CKLB checklist with a 'stigs' array of STIGs and their rules; this file \(found) (top-level keys: \(JSONInput.keys(root)))"
      )
    }
    let target = JSONInput.object(root["target_data"]) ?? [:]
    let asset = Asset(
      hostName: Self.first(target["host_name"]), ip: Self.first(target["ip_address"]), fqdn: Self.first(target["fqdn"]))
    let producer = Producer(tool: "STIG Viewer 3 checklist (CKLB)", version: JSONInput.string(root["cklb_version"]))
    var result = ImportResult()
    if stigs.isEmpty {
      result.diagnostics.append(
        Diagnostic(.warning, .nothingToImport, source: file, location: "stigs", message: "the checklist holds no STIGs")
      )
    }
    for (stigIndex, stigValue) in stigs.enumerated() {
      let stigPath = "stigs[\(stigIndex)]"
      guard let stig = JSONInput.object(stigValue) else {
        result.diagnostics.append(
          Diagnostic(
            .warning, .malformedEntry, source: file, location: stigPath, message: "expected a STIG object; not read"))
        continue
      }
      let stigName = JSONInput.string(stig["display_name"]) ?? JSONInput.string(stig["stig_name"]) ?? stigPath
      guard let rules = stig["rules"] as? [Any] else {
        result.diagnostics.append(
          Diagnostic(
            .warning, .nothingToImport, source: file, location: stigPath,
            message: "STIG '\(stigName)' has no 'rules' array; nothing read"
          ))
        continue
      }
      // The STIG itself names the results, as in a CKL: its title and V<version>R<release>.
      var info: [String: String] = [:]
      info["title"] = JSONInput.string(stig["stig_name"]) ?? JSONInput.string(stig["display_name"])
      info["stigid"] = JSONInput.string(stig["stig_id"])
      info["version"] = JSONInput.string(stig["version"])
      info["releaseinfo"] = JSONInput.string(stig["release_info"])
      let stigProducer =
        info["title"] == nil && info["stigid"] == nil ? producer : CKLImporter.producer(info: info, generator: producer)
      for (ruleIndex, ruleValue) in rules.enumerated() {
        let path = "\(stigPath).rules[\(ruleIndex)]"
        guard let rule = JSONInput.object(ruleValue) else {
          result.diagnostics.append(
            Diagnostic(
              .warning, .malformedEntry, source: file, location: path, message: "expected a rule object; not read"))
          continue
        }
        result.observations.append(
          observation(
            rule, path: path, file: file, asset: asset, producer: stigProducer, diagnostics: &result.diagnostics))
      }
    }
    return result
  }

  private func observation(
    _ rule: [String: Any], path: String, file: String, asset: Asset?, producer: Producer,
    diagnostics: inout [Diagnostic]
  ) -> Observation {
    var refs: [Reference] = []
    if let group = JSONInput.string(rule["group_id"]) {
      refs.append(Reference(group.hasPrefix("V-") ? .stigVuln : .other, group))
    }
    if let ruleID = JSONInput.string(rule["rule_id_src"]) ?? JSONInput.string(rule["rule_id"]) {
      refs.append(Reference(.stigRule, ruleID))
    }
    if let version = JSONInput.string(rule["rule_version"]) { refs.append(Reference(.other, version)) }
    for cci in JSONInput.strings(rule["ccis"]) { refs.append(Reference(.cci, cci)) }
    if refs.isEmpty {
      diagnostics.append(
        Diagnostic(
          .warning, .noReferences, source: file, location: path, message: "rule has no group_id, rule_id or ccis"))
    }
    let raw = JSONInput.string(rule["status"]) ?? ""
    let status = StatusNormalizer.normalize(raw, source: file, location: path, diagnostics: &diagnostics)
    var severity = JSONInput.string(rule["severity"])
    var comments = JSONInput.string(rule["comments"])
    if let override = Self.severityOverride(rule["overrides"]) {
      severity = override.severity
      let note =
        "severity overridden from \(JSONInput.string(rule["severity"]) ?? "none") to \(override.severity)"
        + (override.reason.map { ": \($0)" } ?? "")
      comments = [comments, note].compactMap { $0 }.joined(separator: "\n")
    }
    if let engine = Self.resultEngine(rule["result_engine"]) {
      comments = [comments, engine].compactMap { $0 }.joined(separator: "\n")
    }
    return Observation(
      source: file, location: path, asset: asset, producer: producer, kind: .automated,
      refs: TabularAssessment.unique(refs),
      rawStatus: raw, status: status, severity: severity, title: JSONInput.string(rule["rule_title"]),
      details: JSONInput.string(rule["finding_details"]), comments: comments)
  }

  /// `overrides: {"severity": {"severity": "high", "reason": "..."}}` (STIG Viewer 3), or a bare
  /// `"severity": "high"`.
  static func severityOverride(_ value: Any?) -> (severity: String, reason: String?)? {
    guard let overrides = JSONInput.object(value), let entry = overrides["severity"] else { return nil }
    if let object = JSONInput.object(entry), let severity = JSONInput.string(object["severity"]) {
      return (severity, JSONInput.string(object["reason"]))
    }
    if let severity = JSONInput.string(entry) { return (severity, nil) }
    return nil
  }

  /// The first of a string or an array of strings (some producers write `ip_address` as a list).
  static func first(_ value: Any?) -> String? {
    JSONInput.strings(value).first
  }

  /// A rule's `result_engine` (the tool that set the result, such as Evaluate-STIG) in words:
  /// product, version, time, module, and whether an answer file overrode the result (an
  /// attestation, not a check).
  static func resultEngine(_ value: Any?) -> String? {
    guard let engine = JSONInput.object(value) else { return nil }
    let product = JSONInput.string(engine["product"]) ?? JSONInput.string(engine["type"])
    guard let product else { return nil }
    var text = "Result engine: \(product)"
    if let version = JSONInput.string(engine["version"]) { text += " \(version)" }
    if let module = JSONInput.object(engine["checkContent"]).flatMap({ JSONInput.string($0["location"]) }) {
      text += ", module \(module)"
    }
    if let time = JSONInput.string(engine["time"]) { text += ", \(time)" }
    let overrides = JSONInput.objects(engine["overrides"])
    if !overrides.isEmpty {
      let names = overrides.compactMap { JSONInput.string($0["name"]) }
      text +=
        "; result set by an answer-file override\(names.isEmpty ? "" : " (\(names.joined(separator: ", ")))"): an attestation, not a check"
    }
    return text
  }
}
