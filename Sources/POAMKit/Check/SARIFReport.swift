import Foundation

/// A gap report as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one result per
/// gap (NOT MET requirement), the requirement as the rule, and locations pointing at the input
/// files and lines that evidenced it.
///
/// - `tool.driver`: name `poam`, its version, and one rule per requirement with a gap
///   (`id` = requirement ID, `shortDescription` = title, `fullDescription` = the catalog
///   description, `help` = description plus the objectives not met).
/// - `level`: `error` when the gap blocks a Conditional status (not POA&M-eligible) or is new
///   since the baseline; `warning` when it may be on a POA&M.
/// - `locations`: the failing evidence (up to 10, GitHub's limit), `artifactLocation.uri`
///   relative to the working directory when the input is under it, and `region.startLine`
///   (1 when the input has no line).
///   Evidence read from standard input has no file and gets no location.
/// - `partialFingerprints`: `cmmcRequirement/v1`, the SHA-256 of level and requirement ID, so an
///   alert stays the same alert across runs even when evidence moves.
struct SARIFReport: Sendable {
  /// The catalog that supplies descriptions and objective text.
  public let catalog: Catalog
  /// The directory relative URIs are computed against.
  public let workingDirectory: URL
  /// Requirement IDs that are new gaps since the baseline (reported as `error`).
  public let newGaps: Set<String>

  /// The `$schema` URI written into the log.
  public static let schemaURI =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

  /// Creates a reporter.
  public init(catalog: Catalog, workingDirectory: URL, newGaps: Set<String> = []) {
    self.catalog = catalog
    self.workingDirectory = workingDirectory.standardizedFileURL
    self.newGaps = newGaps
  }

  /// Renders the SARIF log as deterministic JSON.
  public func render(_ report: GapReport) throws -> String {
    try JSONOutput.string(log(report))
  }

  /// Builds the SARIF log.
  public func log(_ report: GapReport) -> SARIFLog {
    var rules: [SARIFLog.Rule] = []
    var results: [SARIFLog.Result] = []
    for gap in report.gaps.sorted(by: { $0.id < $1.id }) {
      let index = rules.count
      rules.append(rule(for: gap, level: report.level))
      let level = (!gap.poamEligible || newGaps.contains(gap.id)) ? "error" : "warning"
      results.append(
        SARIFLog.Result(
          ruleId: gap.id, ruleIndex: index, level: level, message: SARIFLog.Message(text: message(for: gap)),
          locations: locations(for: gap),
          partialFingerprints: ["cmmcRequirement/v1": SHA256Digest.hex("CMMC \(report.level.rawValue) \(gap.id)")],
          properties: SARIFLog.ResultProperties(
            status: gap.status.rawValue, pointsDeducted: gap.pointsDeducted, poamEligible: gap.poamEligible,
            newSinceBaseline: newGaps.contains(gap.id))))
    }
    let driver = SARIFLog.Driver(
      name: ToolInfo.name, version: ToolInfo.version, semanticVersion: ToolInfo.version, rules: rules)
    let run = SARIFLog.Run(
      tool: SARIFLog.Tool(driver: driver),
      invocations: [
        SARIFLog.Invocation(
          executionSuccessful: true, toolExecutionNotifications: notifications(report.diagnostics))
      ],
      automationDetails: SARIFLog.AutomationDetails(id: "poam/cmmc-level-\(report.level.rawValue)/"),
      results: results,
      properties: SARIFLog.RunProperties(
        level: report.level.rawValue, score: report.score, maxScore: report.maxScore,
        status: report.status.rawValue, assessmentDate: report.assessmentDate.iso, catalogVersion: report.catalogVersion
      ))
    return SARIFLog(schema: Self.schemaURI, version: "2.1.0", runs: [run])
  }

  private func rule(for gap: RequirementResult, level: CMMCLevel) -> SARIFLog.Rule {
    let requirement = catalog.requirement(id: gap.id)
    let description = requirement?.description ?? gap.title
    var help = description
    let failing = gap.failingObjectives
    if !failing.isEmpty {
      help += "\n\nObjectives not met:"
      for letter in failing {
        help += "\n- [\(letter)] " + (requirement?.objective(letter)?.description ?? "")
      }
    }
    help += "\n\n" + gap.poamReason
    var tags = ["cmmc", "cmmc-level-\(level.rawValue)", gap.family]
    if let nist = requirement?.nistID { tags.append("nist-800-171-\(nist)") }
    return SARIFLog.Rule(
      id: gap.id, name: Self.ruleName(gap.title), shortDescription: SARIFLog.Message(text: gap.title),
      fullDescription: SARIFLog.Message(text: description), help: SARIFLog.Message(text: help),
      defaultConfiguration: SARIFLog.Configuration(level: gap.poamEligible ? "warning" : "error"),
      properties: SARIFLog.RuleProperties(tags: tags, points: requirement?.points))
  }

  private func message(for gap: RequirementResult) -> String {
    var text = "\(gap.id) \(gap.title): NOT MET"
    if gap.partial { text += " (partially implemented)" }
    if gap.pointsDeducted > 0 { text += ", \(Plural.count(-gap.pointsDeducted, "point"))" }
    let failing = gap.failingObjectives
    if !failing.isEmpty { text += "; objectives not met: " + failing.map { "[\($0)]" }.joined(separator: ", ") }
    text += gap.poamEligible ? "; may be on a POA&M." : "; may not be on a POA&M."
    if newGaps.contains(gap.id) { text += " New since the baseline." }
    let failingEvidence = gap.evidence.filter { $0.status.map { !$0.isSatisfied && $0 != .notAssessed } ?? false }
    if let first = failingEvidence.first ?? gap.evidence.first, !first.detail.isEmpty {
      text += " Evidence: \(first.detail)"
      if failingEvidence.count > 1 { text += " (and \(failingEvidence.count - 1) more)" }
    }
    return text
  }

  private func locations(for gap: RequirementResult) -> [SARIFLog.Location]? {
    let failing = gap.evidence.filter { $0.status.map { !$0.isSatisfied && $0 != .notAssessed } ?? false }
    var seen: Set<String> = []
    var locations: [SARIFLog.Location] = []
    for evidence in (failing.isEmpty ? gap.evidence : failing) where evidence.source != "-" {
      let uri = relativeURI(evidence.source)
      let key = "\(uri)#\(evidence.line ?? 0)"
      guard seen.insert(key).inserted else { continue }
      // Every location has a region: line 1 when the input has no line (a JSON or XLSX cell).
      let region = SARIFLog.Region(startLine: evidence.line.map { max(1, $0) } ?? 1)
      var text = evidence.status?.label ?? evidence.rawStatus
      if let asset = evidence.asset, !asset.isEmpty { text += " on \(asset)" }
      if !evidence.location.isEmpty { text += " at \(evidence.location)" }
      locations.append(
        SARIFLog.Location(
          physicalLocation: SARIFLog.PhysicalLocation(
            artifactLocation: SARIFLog.ArtifactLocation(uri: uri), region: region),
          message: SARIFLog.Message(text: text)))
      if locations.count == 10 { break }
    }
    return locations.isEmpty ? nil : locations
  }

  /// The run's diagnostics as SARIF tool notifications: the stable code as `descriptor.id`,
  /// the input file (when there is one) as the location.
  private func notifications(_ diagnostics: [Diagnostic]) -> [SARIFLog.Notification]? {
    guard !diagnostics.isEmpty else { return nil }
    return diagnostics.map { diagnostic in
      let isFile = !["gap", "resolve", "poam", "-", ""].contains(diagnostic.source)
      var text = diagnostic.message
      if !diagnostic.location.isEmpty { text += " (at \(diagnostic.location))" }
      return SARIFLog.Notification(
        descriptor: SARIFLog.ReportingDescriptorReference(id: diagnostic.code.rawValue),
        level: diagnostic.severity.rawValue, message: SARIFLog.Message(text: text),
        locations: isFile
          ? [
            SARIFLog.NotificationLocation(
              physicalLocation: SARIFLog.PhysicalLocation(
                artifactLocation: SARIFLog.ArtifactLocation(uri: relativeURI(diagnostic.source)), region: nil))
          ] : nil)
    }
  }

  /// The input's path relative to the working directory, percent-encoded as a URI reference.
  func relativeURI(_ source: String) -> String {
    var path = source
    if source.hasPrefix("/") {
      // Both sides standardized and with symbolic links resolved, so /tmp/x and /private/tmp/x
      // (or a working directory reached through a link) still compare.
      func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
      }
      for (directory, file) in [
        (workingDirectory.standardizedFileURL.path, URL(fileURLWithPath: source).standardizedFileURL.path),
        (resolved(workingDirectory.path), resolved(source)),
      ] {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        if file.hasPrefix(base) {
          path = String(file.dropFirst(base.count))
          break
        }
      }
    }
    while path.hasPrefix("./") { path.removeFirst(2) }
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: ":")
    let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    return source.hasPrefix("/") && encoded.hasPrefix("/") ? "file://" + encoded : encoded
  }

  /// A rule name in PascalCase from a title (`Authorized Access Control` → `AuthorizedAccessControl`).
  static func ruleName(_ title: String) -> String {
    title.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { word in
      word.prefix(1).uppercased() + word.dropFirst()
    }.joined()
  }
}

/// The subset of the SARIF 2.1.0 object model poam writes.
struct SARIFLog: Encodable, Sendable {
  public var schema: String
  public var version: String
  public var runs: [Run]

  enum CodingKeys: String, CodingKey {
    case schema = "$schema"
    case version, runs
  }

  public struct Run: Encodable, Sendable {
    public var tool: Tool
    public var invocations: [Invocation]
    public var automationDetails: AutomationDetails
    public var results: [Result]
    public var properties: RunProperties
  }

  /// What happened while poam ran: its diagnostics as notifications.
  public struct Invocation: Encodable, Sendable {
    public var executionSuccessful: Bool
    public var toolExecutionNotifications: [Notification]?
  }

  /// One diagnostic: `descriptor.id` is its stable code (`resolve.unmapped`).
  public struct Notification: Encodable, Sendable {
    public var descriptor: ReportingDescriptorReference
    public var level: String
    public var message: Message
    public var locations: [NotificationLocation]?
  }

  /// A reference to a notification's kind by ID.
  public struct ReportingDescriptorReference: Encodable, Sendable {
    public var id: String
  }

  /// Where a notification points: the input file.
  public struct NotificationLocation: Encodable, Sendable {
    public var physicalLocation: PhysicalLocation
  }

  public struct Tool: Encodable, Sendable {
    public var driver: Driver
  }

  public struct Driver: Encodable, Sendable {
    public var name: String
    public var version: String
    public var semanticVersion: String
    public var rules: [Rule]
  }

  public struct Rule: Encodable, Sendable {
    public var id: String
    public var name: String
    public var shortDescription: Message
    public var fullDescription: Message
    public var help: Message
    public var defaultConfiguration: Configuration
    public var properties: RuleProperties
  }

  public struct Configuration: Encodable, Sendable {
    public var level: String
  }

  public struct RuleProperties: Encodable, Sendable {
    public var tags: [String]
    public var points: Int?
  }

  public struct AutomationDetails: Encodable, Sendable {
    public var id: String
  }

  public struct Message: Encodable, Sendable {
    public var text: String
  }

  public struct Result: Encodable, Sendable {
    public var ruleId: String
    public var ruleIndex: Int
    public var level: String
    public var message: Message
    public var locations: [Location]?
    public var partialFingerprints: [String: String]
    public var properties: ResultProperties
  }

  public struct ResultProperties: Encodable, Sendable {
    public var status: String
    public var pointsDeducted: Int
    public var poamEligible: Bool
    public var newSinceBaseline: Bool
  }

  public struct RunProperties: Encodable, Sendable {
    public var level: Int
    public var score: Int?
    public var maxScore: Int?
    public var status: String
    public var assessmentDate: String
    public var catalogVersion: String
  }

  public struct Location: Encodable, Sendable {
    public var physicalLocation: PhysicalLocation
    public var message: Message
  }

  public struct PhysicalLocation: Encodable, Sendable {
    public var artifactLocation: ArtifactLocation
    public var region: Region?
  }

  public struct ArtifactLocation: Encodable, Sendable {
    public var uri: String
  }

  public struct Region: Encodable, Sendable {
    public var startLine: Int
  }
}
