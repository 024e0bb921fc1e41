import Foundation

/// Reads Tenable Nessus / ACAS scan results (`.nessus`, root `NessusClientData_v2`), streamed.
///
/// Each `ReportHost` is one asset: its `HostProperties` tags give the host name (`netbios-name`,
/// `hostname`, else the ReportHost name when it is not an address), `host-ip` (never a loopback
/// address), `host-fqdn` and `mac-address`; `HOST_END_TIMESTAMP` / `HOST_END` give the scan day.
///
/// **Compliance items** (a `ReportItem` with a `cm:compliance-result`, namespace
/// `http://www.nessus.org/cm`, written by audit-file scans: CIS, DISA STIG, CMMC) become one
/// `automated` observation each. `cm:compliance-reference` holds comma-separated `KEY|value`
/// tokens: `800-171|3.5.8` → requirement, `CCI|CCI-000196` → cci, `800-53|IA-5(1)` and
/// `800-53r5|…` → nist-800-53, `800-171r3|03.05.08` → requirement through the catalog's Rev 3
/// crosswalk only when the item has no `800-171|` token, `Rule-ID|SV-…` → stig-rule,
/// `Vuln-ID|V-…` → stig-vuln, `STIG-ID|…` → other, `CAT|II` → severity `CAT II`; other
/// frameworks are ignored. Results: `PASSED` → MET, `FAILED` → NOT MET, `WARNING` (a manual
/// check the scan cannot decide) → NOT ASSESSED, `ERROR` (the check could not run) → NOT MET as
/// for XCCDF `error` (fail closed), `SKIPPED` (the check's condition did not apply on the host)
/// → NOT ASSESSED. The check name is the title; the actual and policy values are the details.
///
/// **Vulnerability items** (every other plugin) are grouped per host by a conservative rule:
/// - the host was scanned: `RA.L2-3.11.2[b]`, NOT ASSESSED, because one scan shows that scanning
///   was performed, not that it happens at the defined frequency (the details say so), and
///   `RA.L2-3.11.3[a]` (vulnerabilities are identified), MET;
/// - Critical/High findings (`severity` 4/3) whose `patch_publication_date` lies more than
///   `remediationDays` before the scan day: one observation for the host, NOT MET, on
///   `SI.L2-3.14.1[f]` (flaws fixed within the time frame) and `RA.L2-3.11.3[b]` (remediated in
///   line with risk assessments), listing the overdue plugins (the first ten, then a count).
///   The time frame is the organization's to define (3.14.1[e]); poam assumes `remediationDays`.
///   Findings that are not overdue, or without a patch date, decide nothing.
struct NessusImporter: Importer {
  public let format: InputFormat = .nessus
  /// The remediation time frame assumed when the options give none.
  public static let defaultRemediationDays = 30
  /// How many overdue plugins an evidence line names before it counts the rest.
  static let listedPlugins = 10

  /// Creates the importer.
  public init() {}

  public func read(_ input: InputFile) throws -> ImportResult {
    try read(input, options: ImportOptions())
  }

  public func read(_ input: InputFile, options: ImportOptions) throws -> ImportResult {
    let reader = try XMLStreamReader(input)
    try XMLImportSupport.requireRoot(reader, expected: "a Nessus v2 scan (root NessusClientData_v2)") {
      $0.localName(is: "NessusClientData_v2")
    }
    var context = Context(
      source: input.displayName, remediationDays: options.remediationDays ?? Self.defaultRemediationDays)
    var hosts = 0
    repeat {
      if reader.isElement("ReportHost") {
        hosts += 1
        try readHost(reader, number: hosts, context: &context)
      } else if reader.isElement("Policy") {
        try reader.forEachChildElement {
          if reader.localName(is: "policyName") { context.policy = try reader.readCleanText() }
        }
      }
    } while try reader.readToElement()
    if hosts == 0 {
      context.result.diagnostics.append(
        Diagnostic(
          .warning, .nothingToImport, source: input.displayName,
          message: "the scan holds no ReportHost: nothing to import"))
    }
    return context.result
  }

  /// What the whole file shares.
  struct Context {
    var source: String
    var remediationDays: Int
    var policy: String?
    var result = ImportResult()
  }

  /// One vulnerability finding kept for the host's evidence line.
  struct Vulnerability {
    var pluginID: String
    var name: String
    var severity: Int
    var cves: [String]
    var patchDate: CalendarDate?
  }

  /// What is gathered of one ReportHost before its observations are made.
  struct Host {
    var name: String
    var line: Int
    var tags: [String: String] = [:]
    var compliance: [Observation] = []
    var vulnerabilities: [Vulnerability] = []
    var severityCounts = [0, 0, 0, 0, 0]
    var scannerVersion: String?
    var firstVulnerabilityLine: Int?
  }

  // MARK: - Reading

  private func readHost(_ reader: XMLStreamReader, number: Int, context: inout Context) throws {
    var host = Host(name: XMLImportSupport.clean(reader.attribute("name")) ?? "host \(number)", line: reader.lineNumber)
    var itemIndex = 0
    try reader.forEachChildElement {
      if reader.localName(is: "HostProperties") {
        try reader.forEachChildElement {
          guard reader.localName(is: "tag"), let name = reader.attribute("name") else { return }
          if let value = try reader.readCleanText(), host.tags[name] == nil { host.tags[name] = value }
        }
      } else if reader.localName(is: "ReportItem") {
        itemIndex += 1
        try readItem(reader, index: itemIndex, host: &host, context: &context)
      }
    }
    finish(host, context: &context)
  }

  private func readItem(_ reader: XMLStreamReader, index: Int, host: inout Host, context: inout Context) throws {
    let line = reader.lineNumber
    let pluginID = XMLImportSupport.clean(reader.attribute("pluginID")) ?? ""
    let pluginName = XMLImportSupport.clean(reader.attribute("pluginName")) ?? ""
    let severity = Int(reader.attribute("severity") ?? "") ?? 0
    var fields: [String: String] = [:]
    var cves: [String] = []
    let scanInformation = pluginID == "19506"
    try reader.forEachChildElement {
      guard let name = reader.localNameBytes else { return }
      // Only the children poam uses are made into Strings; the rest (descriptions, solutions,
      // most plugin output) are skipped by the reader.
      if let key = Self.complianceFields.first(where: { XMLStreamReader.equal(name, $0.element) })?.key {
        guard reader.namespace(hasPrefix: "http://www.nessus.org/cm") else { return }
        if let value = try reader.readCleanText() { fields[key] = value }
      } else if XMLStreamReader.equal(name, "cve") {
        if let value = try reader.readCleanText() { cves.append(value) }
      } else if XMLStreamReader.equal(name, "patch_publication_date") {
        if let value = try reader.readCleanText() { fields["patch_publication_date"] = value }
      } else if scanInformation && XMLStreamReader.equal(name, "plugin_output") {
        if let value = try reader.readCleanText() { fields["plugin_output"] = value }
      }
    }
    let location = "ReportHost[\(host.name)]/ReportItem[\(index)]"
    if let result = fields["compliance-result"] {
      host.compliance.append(
        complianceObservation(
          fields: fields, result: result, location: location, line: line, source: context.source,
          diagnostics: &context.result.diagnostics))
      return
    }
    if pluginID == "19506", let output = fields["plugin_output"] {
      // "Nessus Scan Information": the scanner's version.
      for outputLine in output.split(whereSeparator: \.isNewline) {
        let parts = outputLine.split(separator: ":", maxSplits: 1)
        if parts.count == 2, XMLImportSupport.trim(String(parts[0])).lowercased() == "nessus version" {
          host.scannerVersion = XMLImportSupport.clean(String(parts[1]))
        }
      }
    }
    let level = (0...4).contains(severity) ? severity : 0
    host.severityCounts[level] += 1
    if host.firstVulnerabilityLine == nil { host.firstVulnerabilityLine = line }
    if level >= 3 {
      host.vulnerabilities.append(
        Vulnerability(
          pluginID: pluginID, name: pluginName, severity: level, cves: cves,
          patchDate: fields["patch_publication_date"].flatMap(Self.day)))
    }
  }

  /// The `cm:` children read, by element name and the key they are kept under.
  static let complianceFields: [(element: StaticString, key: String)] = [
    ("compliance-result", "compliance-result"), ("compliance-reference", "compliance-reference"),
    ("compliance-check-name", "compliance-check-name"), ("compliance-actual-value", "compliance-actual-value"),
    ("compliance-policy-value", "compliance-policy-value"), ("compliance-audit-file", "compliance-audit-file"),
    ("compliance-info", "compliance-info"),
  ]

  /// A Nessus day: `2023/01/10` (or ISO `2023-01-10`).
  static func day(_ text: String) -> CalendarDate? {
    let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" }).prefix(3).compactMap { Int($0) }
    guard parts.count == 3 else { return nil }
    return CalendarDate(year: parts[0], month: parts[1], day: parts[2])
  }

  /// The scan day: `HOST_END_TIMESTAMP` (seconds since 1970), else `HOST_END` or `HOST_START`
  /// (`Tue Mar 14 10:12:33 2023`).
  static func scanDay(_ tags: [String: String]) -> CalendarDate? {
    for key in ["HOST_END_TIMESTAMP", "HOST_START_TIMESTAMP"] {
      if let seconds = tags[key].flatMap({ Int($0) }), seconds > 0 {
        return CalendarDate(daysSinceEpoch: seconds / 86_400)
      }
    }
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    for key in ["HOST_END", "HOST_START"] {
      guard let text = tags[key] else { continue }
      let words = text.split(separator: " ").map(String.init)
      guard words.count >= 5, let month = months.firstIndex(of: words[1].prefix(3).lowercased()),
        let day = Int(words[2]), let year = Int(words[words.count - 1])
      else { continue }
      if let date = CalendarDate(year: year, month: month + 1, day: day) { return date }
    }
    return nil
  }

  // MARK: - Compliance items

  /// The references in a `cm:compliance-reference` value.
  static func references(_ text: String) -> (refs: [Reference], severity: String?) {
    var refs: [Reference] = []
    var rev3: [String] = []
    var hasRev2 = false
    var severity: String?
    for token in text.split(separator: ",") {
      let parts = token.split(separator: "|", maxSplits: 1)
      guard parts.count == 2, let value = XMLImportSupport.clean(String(parts[1])) else { continue }
      switch XMLImportSupport.trim(String(parts[0])).lowercased() {
      case "800-171", "800-171r2", "nist800-171":
        hasRev2 = true
        XMLImportSupport.add(.requirement, value, to: &refs)
      case "800-171r3": rev3.append(value)
      case "cci": XMLImportSupport.add(.cci, value, to: &refs)
      case "800-53", "800-53r4", "800-53r5": XMLImportSupport.add(.sp80053, value, to: &refs)
      case "rule-id": XMLImportSupport.add(.stigRule, value, to: &refs)
      case "vuln-id": XMLImportSupport.add(.stigVuln, value, to: &refs)
      case "stig-id": XMLImportSupport.add(.other, value, to: &refs)
      case "cat": severity = "CAT \(value)"
      default: continue
      }
    }
    // A Rev 3 identifier goes through the catalog's crosswalk, which may widen it: only when
    // the item names no Rev 2 requirement.
    if !hasRev2 { for value in rev3 { XMLImportSupport.add(.requirement, value, to: &refs) } }
    return (refs, severity)
  }

  /// The status a compliance result stands for, and what the details add about it.
  static func status(_ result: String) -> (status: Status?, remark: String?) {
    switch result.uppercased() {
    case "PASSED": return (.met, nil)
    case "FAILED": return (.notMet, nil)
    case "WARNING":
      return (.notAssessed, "WARNING: a manual check the scan cannot decide; not assessed")
    case "ERROR":
      return (.notMet, "ERROR: the check could not run; read as NOT MET (fail closed), as an XCCDF error")
    case "SKIPPED":
      return (.notAssessed, "SKIPPED: the check's condition did not apply on this host; not assessed")
    default: return (nil, nil)
    }
  }

  private func complianceObservation(
    fields: [String: String], result: String, location: String, line: Int, source: String,
    diagnostics: inout [Diagnostic]
  ) -> Observation {
    let (refs, severity) = Self.references(fields["compliance-reference"] ?? "")
    var (status, remark) = Self.status(result)
    if status == nil {
      status = StatusNormalizer.normalize(result, source: source, location: location, diagnostics: &diagnostics)
    }
    var details: [String] = []
    if let remark { details.append(remark) }
    if let actual = fields["compliance-actual-value"] { details.append("Actual value: \(actual)") }
    if let policy = fields["compliance-policy-value"] { details.append("Policy value: \(policy)") }
    if let audit = fields["compliance-audit-file"] { details.append("Audit file: \(audit)") }
    return Observation(
      source: source, location: location, line: line, kind: .automated, refs: refs, rawStatus: result,
      status: status, severity: severity, title: fields["compliance-check-name"],
      details: details.isEmpty ? nil : details.joined(separator: "\n"), comments: fields["compliance-info"])
  }

  // MARK: - Per host

  static func isLoopback(_ address: String) -> Bool {
    let lower = address.lowercased()
    return lower.hasPrefix("127.") || lower == "::1" || lower.hasPrefix("::1/") || lower == "0:0:0:0:0:0:0:1"
  }

  static func isAddress(_ text: String) -> Bool {
    text.contains(":") || text.split(separator: ".").count == 4 && text.allSatisfy { $0.isNumber || $0 == "." }
  }

  private func finish(_ host: Host, context: inout Context) {
    let ip =
      host.tags["host-ip"].flatMap { Self.isLoopback($0) ? nil : $0 }
      ?? (Self.isAddress(host.name) && !Self.isLoopback(host.name) ? host.name : nil)
    let name = host.tags["netbios-name"] ?? host.tags["hostname"] ?? (Self.isAddress(host.name) ? nil : host.name)
    let asset = Asset(hostName: name, ip: ip, fqdn: host.tags["host-fqdn"])
    let producer = Producer(tool: "Nessus", version: host.scannerVersion)
    let hostLabel = asset?.name ?? host.name
    for var observation in host.compliance {
      observation.asset = asset
      observation.producer = producer
      context.result.observations.append(observation)
    }
    let total = host.severityCounts.reduce(0, +)
    guard total > 0 else { return }
    let source = context.source
    let location = "ReportHost[\(host.name)]"
    let line = host.firstVulnerabilityLine ?? host.line
    let scanDay = Self.scanDay(host.tags)
    let counts = [(4, "critical"), (3, "high"), (2, "medium"), (1, "low"), (0, "informational")]
      .map { "\(host.severityCounts[$0.0]) \($0.1)" }.joined(separator: ", ")
    let when = scanDay.map { "on \($0.iso)" } ?? "(the scan day is not recorded)"
    let policy = context.policy.map { " with policy \"\($0)\"" } ?? ""
    let scanned = "Nessus scanned \(hostLabel) \(when)\(policy): \(total) plugin result(s), \(counts)."
    context.result.observations.append(
      Observation(
        source: source, location: location, line: line, asset: asset, producer: producer, kind: .automated,
        refs: [Reference(.requirement, "RA.L2-3.11.2[b]")], rawStatus: "scanned", status: .notAssessed,
        title: "Vulnerability scan performed",
        details:
          "\(scanned) One scan shows that scanning was performed, not that it happens at the defined frequency: the organization's scan records decide RA.L2-3.11.2[b]."
      ))
    context.result.observations.append(
      Observation(
        source: source, location: location, line: line, asset: asset, producer: producer, kind: .automated,
        refs: [Reference(.requirement, "RA.L2-3.11.3[a]")], rawStatus: "scanned", status: .met,
        title: "Vulnerabilities identified by scanning", details: scanned))
    guard let scanDay else {
      if !host.vulnerabilities.isEmpty {
        context.result.diagnostics.append(
          Diagnostic(
            .warning, .readNote, source: source, location: location,
            message:
              "the host has no HOST_END or HOST_START tag: how long \(host.vulnerabilities.count) Critical/High finding(s) have had a patch cannot be told, so flaw remediation (SI.L2-3.14.1[f]) is not judged"
          ))
      }
      return
    }
    let days = context.remediationDays
    let overdue = host.vulnerabilities.compactMap { item -> (Vulnerability, Int)? in
      guard let patch = item.patchDate else { return nil }
      let age = patch.days(until: scanDay)
      return age > days ? (item, age) : nil
    }
    .sorted { ($0.0.severity, $0.1) > ($1.0.severity, $1.1) }
    guard !overdue.isEmpty else { return }
    let critical = overdue.filter { $0.0.severity == 4 }.count
    var lines = overdue.prefix(Self.listedPlugins).map { item, age in
      let cves =
        item.cves.isEmpty ? "" : "; " + item.cves.prefix(3).joined(separator: ", ") + (item.cves.count > 3 ? ", …" : "")
      return
        "- plugin \(item.pluginID) \(item.name) (\(item.severity == 4 ? "Critical" : "High")\(cves); patch published \(item.patchDate!.iso), \(age) days before the scan)"
    }
    if overdue.count > Self.listedPlugins { lines.append("- and \(overdue.count - Self.listedPlugins) more") }
    context.result.observations.append(
      Observation(
        source: source, location: location, line: line, asset: asset, producer: producer, kind: .automated,
        refs: [Reference(.requirement, "SI.L2-3.14.1[f]"), Reference(.requirement, "RA.L2-3.11.3[b]")],
        rawStatus: "overdue", status: .notMet, severity: critical > 0 ? "critical" : "high",
        title: "\(overdue.count) Critical/High finding(s) with a patch public more than \(days) days",
        details:
          "\(overdue.count) Critical/High finding(s) on \(hostLabel) (\(critical) critical) have had a patch for longer than the \(days)-day remediation time frame assumed (--remediation-days; the organization defines its own, SI.L2-3.14.1[e]):\n"
          + lines.joined(separator: "\n")))
  }
}
