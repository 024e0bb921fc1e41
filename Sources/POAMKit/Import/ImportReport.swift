import Foundation

/// What `poam import` prints: every observation read from the inputs, with the CMMC requirements
/// and objectives it resolved to, every diagnostic, and a summary per input.
///
/// JSON (`summary`, `observations`, `diagnostics`; keys snake_case):
/// ```json
/// { "observations": [ { "source": "sheet.csv", "location": "line 4", "line": 4,
///       "asset": { "host_name": "web01" }, "kind": "assessor",
///       "refs": [ { "kind": "requirement", "value": "3.5.3" } ],
///       "raw_status": "Partially Implemented", "status": "partial", "partial_points": 3,
///       "requirements": [ "IA.L2-3.5.3" ], "objectives": [],
///       "targets": [ { "requirement": "IA.L2-3.5.3", "via": "direct" } ] } ],
///   "diagnostics": [ { "severity": "warning", "source": "sheet.csv", "location": "9", "message": "…" } ],
///   "summary": { "inputs": [ { "name": "sheet.csv", "format": "csv", "observations": 12 } ],
///     "observations": 12, "excluded_by_level": 0, "unresolved_observations": 1,
///     "unresolved_refs": { "cci": 40 }, "status_counts": { "met": 8, "not-met": 3, "partial": 1 },
///     "failed_inputs": [] } }
/// ```
public struct ImportReport: Encodable, Sendable {
  /// One observation and what it resolved to.
  public struct Entry: Encodable, Sendable {
    /// The observation as imported.
    public var observation: Observation
    /// The requirements and objectives it speaks to.
    public var targets: [RequirementTarget]

    /// Canonical requirement IDs, sorted, once each.
    public var requirements: [String] { Array(Set(targets.map(\.requirement))).sorted() }
    /// Objectives as `AC.L2-3.1.1[a]`, sorted, once each.
    public var objectives: [String] {
      Array(Set(targets.compactMap { target in target.objective.map { "\(target.requirement)[\($0)]" } })).sorted()
    }

    enum CodingKeys: String, CodingKey {
      case source, location, line, asset, producer, kind, refs
      case rawStatus = "raw_status"
      case status, severity, title, details, comments
      case partialPoints = "partial_points"
      case requirements, objectives, targets
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(observation.source, forKey: .source)
      try container.encode(observation.location, forKey: .location)
      try container.encodeIfPresent(observation.line, forKey: .line)
      try container.encode(observation.asset, forKey: .asset)
      try container.encodeIfPresent(observation.producer, forKey: .producer)
      try container.encode(observation.kind, forKey: .kind)
      try container.encode(observation.refs, forKey: .refs)
      try container.encode(observation.rawStatus, forKey: .rawStatus)
      try container.encode(observation.status, forKey: .status)
      try container.encodeIfPresent(observation.severity, forKey: .severity)
      try container.encodeIfPresent(observation.title, forKey: .title)
      try container.encodeIfPresent(observation.details, forKey: .details)
      try container.encodeIfPresent(observation.comments, forKey: .comments)
      try container.encodeIfPresent(observation.partialPoints, forKey: .partialPoints)
      try container.encode(requirements, forKey: .requirements)
      try container.encode(objectives, forKey: .objectives)
      try container.encode(targets, forKey: .targets)
    }
  }

  /// Counts for the whole run.
  public struct Summary: Encodable, Sendable {
    /// Each input read: its name, format and number of observations.
    public var inputs: [InputSummary]
    /// Observations listed (after `--level`).
    public var observations: Int
    /// Observations left out because they resolve to nothing in the chosen level's scope.
    public var excludedByLevel: Int
    /// Listed observations that resolved to no requirement.
    public var unresolvedObservations: Int
    /// References that resolved to nothing, by kind (`cci`, `requirement`, `nist-800-53`).
    public var unresolvedRefs: [String: Int]
    /// Listed observations by normalized status (`unrecognized` when the word was not known).
    public var statusCounts: [String: Int]
    /// Inputs skipped under `--keep-going`.
    public var failedInputs: [String]

    enum CodingKeys: String, CodingKey {
      case inputs, observations
      case excludedByLevel = "excluded_by_level"
      case unresolvedObservations = "unresolved_observations"
      case unresolvedRefs = "unresolved_refs"
      case statusCounts = "status_counts"
      case failedInputs = "failed_inputs"
    }
  }

  /// The observations, input by input in file order.
  public var observations: [Entry]
  /// Every diagnostic from reading and resolving.
  public var diagnostics: [Diagnostic]
  /// The counts.
  public var summary: Summary

  /// Builds the report; with a level, keeps only observations that resolve to a requirement in
  /// that level's scope (Level 3 includes Level 2).
  public init(imported: ImportOutcome, resolved: ResolveOutcome, catalog: Catalog, level: CMMCLevel? = nil) {
    var entries = resolved.observations.map { Entry(observation: $0.observation, targets: $0.targets) }
    let total = entries.count
    if let level {
      let scope = Set(catalog.scope(of: level).map(\.id))
      entries = entries.filter { entry in entry.targets.contains { scope.contains($0.requirement) } }
    }
    var statusCounts: [String: Int] = [:]
    for entry in entries { statusCounts[entry.observation.status?.rawValue ?? "unrecognized", default: 0] += 1 }
    observations = entries
    diagnostics = imported.diagnostics + resolved.diagnostics
    summary = Summary(
      inputs: imported.inputs, observations: entries.count, excludedByLevel: total - entries.count,
      unresolvedObservations: entries.filter { $0.targets.isEmpty }.count,
      unresolvedRefs: Dictionary(uniqueKeysWithValues: resolved.unresolvedByKind.map { ($0.key.rawValue, $0.value) }),
      statusCounts: statusCounts, failedInputs: imported.failures.map(\.file))
  }

  /// Deterministic, pretty-printed JSON.
  public func json() throws -> String { try JSONOutput.string(self) }

  /// Writes exactly the bytes of ``json()`` in pieces of about `chunkSize` bytes, encoding one
  /// observation at a time, so that a million observations never become one string of
  /// gigabytes in memory.
  public func writeJSON(chunkSize: Int = 1 << 20, to write: (Data) throws -> Void) throws {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(chunkSize + 4096)
    func flush(force: Bool = false) throws {
      guard force ? !buffer.isEmpty : buffer.count >= chunkSize else { return }
      try write(Data(buffer))
      buffer.removeAll(keepingCapacity: true)
    }
    func append(_ text: String) { buffer.append(contentsOf: text.utf8) }
    let encoder = JSONOutput.encoder()
    func append(_ value: some Encodable, indent: Int) throws {
      JSONOutput.appendNested(try encoder.encode(value), indent: indent, to: &buffer)
    }
    // The keys in the order `.sortedKeys` gives: diagnostics, observations, summary.
    append("{\n  \"diagnostics\" : ")
    try append(diagnostics, indent: 2)
    append(",\n  \"observations\" : ")
    if observations.isEmpty {
      try append(observations, indent: 2)
    } else {
      append("[\n")
      for (index, entry) in observations.enumerated() {
        append(index == 0 ? "    " : ",\n    ")
        ImportEntryJSON.append(entry, indent: 4, to: &buffer)
        try flush()
      }
      append("\n  ]")
    }
    append(",\n  \"summary\" : ")
    try append(summary, indent: 2)
    append("\n}\n")
    try flush(force: true)
  }

  /// The CSV columns, in order.
  public static let csvColumns = [
    "source", "location", "asset", "ip", "fqdn", "kind", "refs", "raw_status", "status", "severity", "requirements",
    "objectives", "title", "details", "comments", "partial_points", "producer",
  ]

  /// One row per observation; lists inside a cell are separated by `; `, references written
  /// `kind:value`. Cells that would start a spreadsheet formula are neutralised.
  public func csv() -> String {
    var text = CSVText.row(Self.csvColumns)
    for entry in observations {
      let observation = entry.observation
      let producer = observation.producer.map { [$0.tool, $0.version].compactMap { $0 }.joined(separator: " ") }
      text += CSVText.row([
        observation.source, observation.location, observation.asset?.hostName ?? "", observation.asset?.ip ?? "",
        observation.asset?.fqdn ?? "", observation.kind.rawValue,
        observation.refs.map { "\($0.kind.rawValue):\($0.value)" }.joined(separator: "; "), observation.rawStatus,
        observation.status?.rawValue ?? "", observation.severity ?? "", entry.requirements.joined(separator: "; "),
        entry.objectives.joined(separator: "; "), observation.title ?? "", observation.details ?? "",
        observation.comments ?? "", observation.partialPoints.map(String.init) ?? "", producer ?? "",
      ])
    }
    return text
  }
}
