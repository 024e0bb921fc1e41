import Foundation

/// The result engine a checklist names, and whether a person's answer replaced its result.
///
/// Evaluate-STIG signs the checklists it writes with XML comments:
///
/// ```xml
/// <!--<Evaluate-STIG><global><version>1.2310.1</version><time>…</time></global></Evaluate-STIG>-->
/// <CHECKLIST> … <iSTIG>
///   <!--<Evaluate-STIG><time>…</time><module><name>Scan-GoogleChrome_Checks</name><version>1.2023.7.24</version></module></Evaluate-STIG>-->
///   … <VULN>
///     <!--<Evaluate-STIG><AnswerFile>Chrome_AnswerFile.xml</AnswerFile><AFMod>true</AFMod><OldStatus>notchecked</OldStatus><NewStatus>pass</NewStatus></Evaluate-STIG>-->
/// ```
///
/// (older versions write `<version>` without `<global>`). CKLB files carry the same facts in a
/// rule's `result_engine` object (`product`, `version`, `time`, `checkContent.location`,
/// `overrides` with `authority`, `oldResult`, `newResult`).
struct ResultEngine: Sendable, Hashable {
  /// The engine, such as `Evaluate-STIG`.
  var product: String
  /// The engine's version.
  var version: String?
  /// When it ran, as written.
  var time: String?
  /// The scan module (`Scan-GoogleChrome_Checks`) and its version.
  var module: String?
  /// The module's version.
  var moduleVersion: String?

  /// Creates a result engine.
  init(
    product: String, version: String? = nil, time: String? = nil, module: String? = nil, moduleVersion: String? = nil
  ) {
    self.product = product
    self.version = version
    self.time = time
    self.module = module
    self.moduleVersion = moduleVersion
  }

  /// This engine with the fields `other` has and this one lacks (a STIG's comment adds the
  /// module and time to the file's version).
  func merged(with other: ResultEngine?) -> ResultEngine {
    guard let other else { return self }
    var engine = self
    engine.version = engine.version ?? other.version
    engine.time = engine.time ?? other.time
    engine.module = engine.module ?? other.module
    engine.moduleVersion = engine.moduleVersion ?? other.moduleVersion
    return engine
  }

  /// `Result engine: Evaluate-STIG 1.2310.1, module Scan-GoogleChrome_Checks 1.2023.7.24, 2023-12-11T12:56:14`.
  var description: String {
    var text = "Result engine: \(product)"
    if let version { text += " \(version)" }
    if let module {
      text += ", module \(module)"
      if let moduleVersion { text += " \(moduleVersion)" }
    }
    if let time { text += ", \(time)" }
    return text
  }
}

/// An answer file's replacement of an engine's result: a person's attestation, not a check.
struct AnswerFileOverride: Sendable, Hashable {
  /// The answer file (or other authority) that set the result.
  var authority: String?
  /// The engine's own result, when written.
  var oldResult: String?
  /// The result the answer file set.
  var newResult: String?

  /// `Status set by answer file X (notchecked → pass): a person's attestation, not the engine's check`.
  var description: String {
    var text = "Status set by answer file"
    if let authority { text += " \(authority)" }
    if oldResult != nil || newResult != nil {
      text += " (\(oldResult ?? "?") → \(newResult ?? "?"))"
    }
    return text + ": a person's attestation, not the engine's check"
  }
}

/// Reads Evaluate-STIG's comments.
enum EvaluateSTIGComment {
  nonisolated(unsafe) static let leaf = #/<([A-Za-z_]+)>([^<]*)</([A-Za-z_]+)>/#

  /// The leaf elements of a comment's markup, by lower-cased name (the first of each name).
  static func leaves(_ text: Substring) -> [String: String] {
    var fields: [String: String] = [:]
    for match in text.matches(of: leaf) where match.output.1.lowercased() == match.output.3.lowercased() {
      let name = match.output.1.lowercased()
      guard fields[name] == nil, let value = XMLImportSupport.clean(String(match.output.2)) else { continue }
      fields[name] = String(value.prefix(256))
    }
    return fields
  }

  /// The fields of an `<Evaluate-STIG>` comment, nil for any other comment; the module's
  /// fields are read apart (its `version` is not the engine's).
  static func parse(_ comment: String) -> (fields: [String: String], module: [String: String])? {
    let text = XMLImportSupport.trim(comment)
    guard text.range(of: "<Evaluate-STIG>", options: [.caseInsensitive, .anchored]) != nil else { return nil }
    guard let start = text.range(of: "<module>", options: .caseInsensitive),
      let end = text.range(of: "</module>", options: .caseInsensitive, range: start.upperBound..<text.endIndex)
    else { return (leaves(text[...]), [:]) }
    let module = leaves(text[start.upperBound..<end.lowerBound])
    let rest = String(text[..<start.lowerBound]) + String(text[end.upperBound...])
    return (leaves(rest[...]), module)
  }

  /// The engine an Evaluate-STIG comment names (the file's or a STIG's), or nil.
  static func engine(in comment: String) -> ResultEngine? {
    guard let (fields, module) = parse(comment), fields["answerfile"] == nil, fields["afmod"] == nil else {
      return nil
    }
    return ResultEngine(
      product: "Evaluate-STIG", version: fields["version"], time: fields["time"], module: module["name"],
      moduleVersion: module["version"])
  }

  /// The answer-file override a VULN's comment records, or nil when there is none (or the
  /// answer file did not change the result: `AFMod` false).
  static func override(in comment: String) -> AnswerFileOverride? {
    guard let (fields, _) = parse(comment), fields["answerfile"] != nil || fields["afmod"] != nil else { return nil }
    if let modified = fields["afmod"]?.lowercased(), modified != "true" { return nil }
    return AnswerFileOverride(
      authority: fields["answerfile"], oldResult: fields["oldstatus"], newResult: fields["newstatus"])
  }
}
