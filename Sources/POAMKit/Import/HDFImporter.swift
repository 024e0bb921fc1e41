import Foundation

/// MITRE Heimdall Data Format (HDF), which is InSpec's JSON report: `profiles[].controls[]`,
/// each control with `tags.nist` (NIST SP 800-53 controls such as `AC-2 (1)`, and any
/// NIST SP 800-171 numbers), `tags.cci`, STIG tags (`gid`, `rid`, `stig_id`), an `impact` and
/// the `results[]` of its tests. Each control becomes one automated observation.
///
/// A control's status follows Heimdall's rule, so poam counts what Heimdall shows:
/// - `impact` 0 → N/A (the profile marks the control not applicable);
/// - any result `error` → NOT MET (raw status `error`: the check could not run, so nothing shows
///   the control is met);
/// - else any `failed` → NOT MET, with every failing test's message in the details;
/// - else any `passed` → MET (skipped tests beside passing ones do not undo the pass);
/// - else (all `skipped`) → not assessed, with the skip messages in the details;
/// - no results at all → not assessed.
///
/// When several profiles list the same control (an overlay and the profile it wraps), the
/// control is read once, from the first profile that has results for it.
struct HDFImporter: Importer {
  public let format = InputFormat.hdf

  /// A NIST SP 800-171 number at the start of a tag (built once: regex literals are parsed on use).
  nonisolated(unsafe) private static let nistNumber = #/^\d{1,2}\.\d{1,2}\.\d{1,2}/#

  /// Creates the importer.
  public init() {}

  public func read(_ input: InputFile) throws -> ImportResult {
    let file = input.displayName
    let parsed = try JSONInput.parse(input, what: "an HDF (InSpec JSON) report")
    guard let root = JSONInput.object(parsed) else {
      throw ImportError.malformed(
        file: file, line: nil, column: nil, expected: "an HDF report: a JSON object at the top level")
    }
    guard let profiles = root["profiles"] as? [Any] else {
      throw ImportError.malformed(
        file: file, line: nil, column: nil,
        expected: "an HDF report with a 'profiles' array (top-level keys: \(JSONInput.keys(root)))")
    }
    let platform = JSONInput.object(root["platform"]) ?? [:]
    let platformName = [JSONInput.string(platform["name"]), JSONInput.string(platform["release"])].compactMap { $0 }
      .joined(separator: " ")
    let asset = Asset(hostName: JSONInput.string(platform["target_id"]) ?? platformName)
    let inspecVersion = JSONInput.string(root["version"])

    // Which profile to read each control from: the first one with results for it.
    var chosen: [String: (profile: Int, control: Int, hasResults: Bool)] = [:]
    var listed: [String: Int] = [:]
    for (profileIndex, profile) in profiles.enumerated() {
      for (controlIndex, value) in (JSONInput.object(profile)?["controls"] as? [Any] ?? []).enumerated() {
        guard let control = JSONInput.object(value), let id = JSONInput.string(control["id"]) else { continue }
        listed[id, default: 0] += 1
        let hasResults = !(control["results"] as? [Any] ?? []).isEmpty
        if let earlier = chosen[id], earlier.hasResults || !hasResults { continue }
        chosen[id] = (profileIndex, controlIndex, hasResults)
      }
    }

    var result = ImportResult()
    for (profileIndex, profileValue) in profiles.enumerated() {
      let profilePath = "profiles[\(profileIndex)]"
      guard let profile = JSONInput.object(profileValue) else {
        result.diagnostics.append(
          Diagnostic(
            .warning, .malformedEntry, source: file, location: profilePath,
            message: "expected a profile object; not read"))
        continue
      }
      let name = JSONInput.string(profile["name"]) ?? JSONInput.string(profile["title"]) ?? profilePath
      var tool = "InSpec profile \(name)"
      if let version = JSONInput.string(profile["version"]) { tool += " \(version)" }
      let producer = Producer(tool: tool, version: inspecVersion)
      let controls = profile["controls"] as? [Any] ?? []
      for (controlIndex, controlValue) in controls.enumerated() {
        let path = "\(profilePath).controls[\(controlIndex)]"
        guard let control = JSONInput.object(controlValue) else {
          result.diagnostics.append(
            Diagnostic(
              .warning, .malformedEntry, source: file, location: path, message: "expected a control object; not read"))
          continue
        }
        guard let id = JSONInput.string(control["id"]) else {
          result.diagnostics.append(
            Diagnostic(
              .warning, .malformedEntry, source: file, location: path, message: "control has no 'id'; not read"))
          continue
        }
        if let pick = chosen[id], pick.profile != profileIndex || pick.control != controlIndex {
          continue  // the same control, read from another profile (overlay); counted once
        }
        result.observations.append(
          observation(
            control, id: id, path: path, file: file, asset: asset, producer: producer,
            diagnostics: &result.diagnostics))
      }
    }
    let merged = listed.values.filter { $0 > 1 }.count
    if merged > 0 {
      result.diagnostics.append(
        Diagnostic(
          .note, .readNote, source: file,
          message: "\(merged) control(s) appear in more than one profile (an overlay); each is read once"))
    }
    return result
  }

  private func observation(
    _ control: [String: Any], id: String, path: String, file: String, asset: Asset?, producer: Producer,
    diagnostics: inout [Diagnostic]
  ) -> Observation {
    let tags = JSONInput.object(control["tags"]) ?? [:]
    var refs: [Reference] = []
    for value in JSONInput.strings(tags["nist"]) {
      if value.firstMatch(of: Self.nistNumber) != nil {
        refs.append(Reference(.requirement, value))
      } else if SP80053Control.normalize(value) != nil {
        refs.append(Reference(.sp80053, value))
      }
      // Anything else (`Rev_4`, `unmapped`) names no control.
    }
    for (key, value) in tags where Self.isRequirementTag(key) {
      for id in JSONInput.strings(value) { refs.append(Reference(.requirement, id)) }
    }
    for cci in JSONInput.strings(tags["cci"]) { refs.append(Reference(.cci, cci)) }
    if let gid = JSONInput.string(tags["gid"]) { refs.append(Reference(gid.hasPrefix("V-") ? .stigVuln : .other, gid)) }
    if let rid = JSONInput.string(tags["rid"]) { refs.append(Reference(.stigRule, rid)) }
    if let stigID = JSONInput.string(tags["stig_id"]) { refs.append(Reference(.other, stigID)) }
    refs.append(Reference(id.hasPrefix("V-") ? .stigVuln : .other, id))
    refs = TabularAssessment.unique(refs)

    let results = JSONInput.objects(control["results"])
    let statuses = results.compactMap { JSONInput.string($0["status"])?.lowercased() }
    let impact = JSONInput.double(control["impact"])
    let raw: String
    let status: Status
    var details: [String] = []
    func messages(_ wanted: String) -> [String] {
      results.filter { JSONInput.string($0["status"])?.lowercased() == wanted }.map { result in
        let test = JSONInput.string(result["code_desc"])
        let message =
          JSONInput.string(result["message"]) ?? JSONInput.string(result["skip_message"])
          ?? JSONInput.string(result["exception"])
        return [test, message].compactMap { $0 }.joined(separator: ": ")
      }.filter { !$0.isEmpty }
    }
    if impact == 0 {
      raw = "impact 0 (not applicable)"
      status = .notApplicable
      if let caveat = Self.description(control, label: "caveat") { details.append(caveat) }
      details += messages("skipped")
    } else if statuses.contains("error") {
      raw = "error"
      status = .notMet
      details = messages("error") + messages("failed")
    } else if statuses.contains("failed") {
      raw = "failed"
      status = .notMet
      details = messages("failed")
    } else if statuses.contains("passed") {
      raw = "passed"
      status = .met
    } else if statuses.contains("skipped") {
      raw = "skipped"
      status = .notAssessed
      details = messages("skipped")
    } else {
      raw = "no results"
      status = .notAssessed
    }
    let unknown = Set(statuses).subtracting(["passed", "failed", "skipped", "error"])
    if !unknown.isEmpty {
      diagnostics.append(
        Diagnostic(
          .warning, .unknownStatus, source: file, location: path,
          message:
            "result status \(unknown.sorted().joined(separator: ", ")) is not an HDF status (passed, failed, skipped, error); ignored"
        ))
    }
    var comments: [String] = []
    if let waiver = JSONInput.object(control["waiver_data"]),
      let justification = JSONInput.string(waiver["justification"])
    {
      comments.append("waiver: \(justification)")
    }
    return Observation(
      source: file, location: path, asset: asset, producer: producer, kind: .automated, refs: refs, rawStatus: raw,
      status: status, severity: JSONInput.string(tags["severity"]) ?? Self.severity(impact: impact),
      title: JSONInput.string(control["title"]), details: details.isEmpty ? nil : details.joined(separator: "\n"),
      comments: comments.isEmpty ? nil : comments.joined(separator: "\n"))
  }

  /// Tags that carry NIST SP 800-171 or CMMC IDs (`nist_800_171`, `cmmc`).
  static func isRequirementTag(_ key: String) -> Bool {
    let key = key.lowercased()
    return key == "cmmc" || key.contains("800_171") || key.contains("800-171") || key.contains("800171")
  }

  /// InSpec's impact bands: 0.9+ critical, 0.7+ high, 0.4+ medium, 0.01+ low, below none.
  static func severity(impact: Double?) -> String? {
    guard let impact else { return nil }
    switch impact {
    case 0.9...: return "critical"
    case 0.7..<0.9: return "high"
    case 0.4..<0.7: return "medium"
    case 0.01..<0.4: return "low"
    default: return "none"
    }
  }

  /// The text of one of the control's `descriptions` (`[{label, data}]`).
  static func description(_ control: [String: Any], label: String) -> String? {
    JSONInput.objects(control["descriptions"]).first { JSONInput.string($0["label"]) == label }
      .flatMap { JSONInput.string($0["data"]) }
  }
}
