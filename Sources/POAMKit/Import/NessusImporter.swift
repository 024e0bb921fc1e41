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
struct NessusImporter: BatchingImporter {
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
    try read(input, options: options, batchSize: 0) { _ in }
  }

  /// A scan's observations cost about as much to make as to fold: folded on the other core
  /// (0.53x -> 0.75x `xmllint --stream` on a 100 MB scan).
  public var foldsWhileReading: Bool { true }

  /// Reads the scan, handing its observations to `batch` host by host once at least
  /// `batchSize` have been made (0: none are handed over; all are returned).
  public func read(
    _ input: InputFile, options: ImportOptions, batchSize: Int, batch: ([Observation]) throws -> Void
  ) throws -> ImportResult {
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
        // A host's observations are complete (its asset filled in) once it is read.
        if batchSize > 0, context.result.observations.count >= batchSize {
          try batch(context.result.observations)
          context.result.observations = []
        }
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
    /// Where the host's compliance observations start in the result (they are written there as
    /// they are read; the asset and producer are filled in once the host is complete).
    var firstCompliance: Int
    var vulnerabilities: [Vulnerability] = []
    var severityCounts = [0, 0, 0, 0, 0]
    var scannerVersion: String?
    var firstVulnerabilityLine: Int?
  }

  /// The children of one ReportItem that poam reads; a child seen twice keeps its last
  /// non-blank value.
  struct ItemFields {
    var result: String?
    var references: ParsedReferences?
    var checkName: String?
    var actualValue: String?
    var policyValue: String?
    var auditFile: String?
    var info: String?
    var patchDate: String?
    var pluginOutput: String?
    var cves: [String] = []
  }

  // MARK: - Reading

  private func readHost(_ reader: XMLStreamReader, number: Int, context: inout Context) throws {
    var host = Host(
      name: XMLImportSupport.clean(reader.attribute("name")) ?? "host \(number)", line: reader.lineNumber,
      firstCompliance: context.result.observations.count)
    // Every compliance item of the host shares the start of its location.
    let locationPrefix = "ReportHost[\(host.name)]/ReportItem["
    var itemIndex = 0
    try reader.forEachChildElement {
      if reader.localName(is: "HostProperties") {
        try reader.forEachChildElement {
          guard reader.localName(is: "tag"), let name = reader.attribute("name") else { return }
          if let value = try reader.readCleanText(), host.tags[name] == nil { host.tags[name] = value }
        }
      } else if reader.localName(is: "ReportItem") {
        itemIndex += 1
        try readItem(reader, index: itemIndex, locationPrefix: locationPrefix, host: &host, context: &context)
      }
    }
    finish(host, context: &context)
  }

  private func readItem(
    _ reader: XMLStreamReader, index: Int, locationPrefix: String, host: inout Host, context: inout Context
  ) throws {
    let line = reader.lineNumber
    // The attributes are looked at on their bytes: the plugin's ID and name are kept only for
    // High and Critical findings, and the scan-information plugin is told by its ID.
    let severity = reader.withAttribute("severity") { Self.integer($0) } ?? 0
    let level = (0...4).contains(severity) ? severity : 0
    let scanInformation = reader.withAttribute("pluginID") { Self.cleanEquals($0, "19506") }
    let plugin =
      level >= 3
      ? (
        id: XMLImportSupport.clean(reader.attribute("pluginID")) ?? "",
        name: XMLImportSupport.clean(reader.attribute("pluginName")) ?? ""
      ) : nil
    var fields = ItemFields()
    try reader.forEachChildElement {
      guard let name = reader.localNameBytes else { return }
      // Only the children poam uses are made into Strings; the rest (descriptions, solutions,
      // most plugin output) are skipped by the reader.
      if strncmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "compliance-", 11) == 0 {
        try readComplianceField(reader, name + 11, into: &fields)
      } else if XMLStreamReader.equal(name, "cve") {
        if let value = try reader.readCleanText() { fields.cves.append(value) }
      } else if XMLStreamReader.equal(name, "patch_publication_date") {
        if let value = try reader.readCleanText() { fields.patchDate = value }
      } else if scanInformation && XMLStreamReader.equal(name, "plugin_output") {
        if let value = try reader.readCleanText() { fields.pluginOutput = value }
      }
    }
    if let result = fields.result {
      context.result.observations.append(
        complianceObservation(
          fields: fields, result: result, location: "\(locationPrefix)\(index)]", line: line,
          source: context.source, diagnostics: &context.result.diagnostics))
      return
    }
    if scanInformation, let output = fields.pluginOutput {
      // "Nessus Scan Information": the scanner's version.
      for outputLine in output.split(whereSeparator: \.isNewline) {
        let parts = outputLine.split(separator: ":", maxSplits: 1)
        if parts.count == 2, XMLImportSupport.trim(String(parts[0])).lowercased() == "nessus version" {
          host.scannerVersion = XMLImportSupport.clean(String(parts[1]))
        }
      }
    }
    host.severityCounts[level] += 1
    if host.firstVulnerabilityLine == nil { host.firstVulnerabilityLine = line }
    if let plugin {
      host.vulnerabilities.append(
        Vulnerability(
          pluginID: plugin.id, name: plugin.name, severity: level, cves: fields.cves,
          patchDate: fields.patchDate.flatMap(Self.day)))
    }
  }

  /// Reads a `compliance-…` child (`suffix` is its name after `compliance-`) in the
  /// `http://www.nessus.org/cm` namespace; other children of that name are skipped.
  private func readComplianceField(
    _ reader: XMLStreamReader, _ suffix: UnsafePointer<UInt8>, into fields: inout ItemFields
  ) throws {
    typealias Field = WritableKeyPath<ItemFields, String?>
    let field: Field
    if XMLStreamReader.equal(suffix, "reference") {
      guard reader.namespace(hasPrefix: "http://www.nessus.org/cm") else { return }
      // The token list is parsed on the reader's bytes, without a String for the whole list.
      if let parsed = try reader.withText(Self.parsedReferences) { fields.references = parsed }
      return
    } else if XMLStreamReader.equal(suffix, "result") {
      field = \.result
    } else if XMLStreamReader.equal(suffix, "check-name") {
      field = \.checkName
    } else if XMLStreamReader.equal(suffix, "actual-value") {
      field = \.actualValue
    } else if XMLStreamReader.equal(suffix, "policy-value") {
      field = \.policyValue
    } else if XMLStreamReader.equal(suffix, "audit-file") {
      field = \.auditFile
    } else if XMLStreamReader.equal(suffix, "info") {
      field = \.info
    } else {
      return
    }
    guard reader.namespace(hasPrefix: "http://www.nessus.org/cm") else { return }
    if let value = try reader.readCleanText() { fields[keyPath: field] = value }
  }

  /// `Int(String(decoding: bytes, as: UTF8.self))`, with the one-digit attribute values Nessus
  /// writes (`severity="3"`) answered on the byte.
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int? {
    guard let bytes else { return nil }
    if bytes.count == 1, bytes[0] >= UInt8(ascii: "0"), bytes[0] <= UInt8(ascii: "9") {
      return Int(bytes[0] - UInt8(ascii: "0"))
    }
    return Int(String(decoding: bytes, as: UTF8.self))
  }

  /// True when `XMLImportSupport.clean` of the bytes is `expected`; Strings are made only for
  /// text that is not ASCII (whose ends Unicode trims).
  static func cleanEquals(_ bytes: UnsafeBufferPointer<UInt8>?, _ expected: StaticString) -> Bool {
    guard let bytes else { return false }
    let wanted = UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)
    guard let range = XMLImportSupport.asciiTrimmed(bytes) else {
      return XMLImportSupport.clean(String(decoding: bytes, as: UTF8.self)) == expected.description
    }
    return range.count == wanted.count && UnsafeBufferPointer(rebasing: bytes[range]).elementsEqual(wanted)
  }

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

  /// The references and the severity (`CAT II`) a `cm:compliance-reference` value gives.
  typealias ParsedReferences = (refs: [Reference], severity: String?)

  /// What a `cm:compliance-reference` value holds, or nil when it is blank (an earlier value
  /// then stands, as for every other child).
  static func parsedReferences(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedReferences? {
    guard let range = XMLImportSupport.asciiTrimmed(bytes) else {
      // Ends that are not ASCII: Unicode decides what is blank.
      guard let text = XMLImportSupport.clean(String(decoding: bytes, as: UTF8.self)) else { return nil }
      return references(text)
    }
    return range.isEmpty ? nil : references(bytes)
  }

  /// The references in a `cm:compliance-reference` value.
  static func references(_ text: String) -> ParsedReferences {
    var text = text
    return text.withUTF8 { references($0) }
  }

  /// The keys of the `KEY|value` tokens poam reads, lowercase, and what each gives.
  enum ReferenceKey {
    case requirement, rev3
    case reference(ReferenceKind)
    case category

    static let table: [(key: StaticString, meaning: ReferenceKey)] = [
      ("800-171", .requirement), ("800-171r2", .requirement), ("nist800-171", .requirement),
      ("800-171r3", .rev3), ("cci", .reference(.cci)), ("800-53", .reference(.sp80053)),
      ("800-53r4", .reference(.sp80053)), ("800-53r5", .reference(.sp80053)),
      ("rule-id", .reference(.stigRule)), ("vuln-id", .reference(.stigVuln)),
      ("stig-id", .reference(.other)), ("cat", .category),
    ]

    /// The key written in `bytes` (ASCII, already trimmed), compared without case; nil for the
    /// frameworks poam ignores (`CSF`, `ISO/IEC-27001`, `800-53A`, ...).
    static func find(_ bytes: UnsafeBufferPointer<UInt8>) -> ReferenceKey? {
      for entry in table where entry.key.utf8CodeUnitCount == bytes.count {
        let key = entry.key.utf8Start
        var index = 0
        while index < bytes.count {
          let byte = bytes[index]
          let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
          if lower != key[index] { break }
          index += 1
        }
        if index == bytes.count { return entry.meaning }
      }
      return nil
    }
  }

  /// The references in the UTF-8 bytes of a `cm:compliance-reference` value: comma-separated
  /// `KEY|value` tokens. A token without `|`, or with nothing after it, is ignored; the key is
  /// the text before the first `|` (leading `|`s skipped), the value everything after it, both
  /// without surrounding white space; keys are compared without case, and tokens of other
  /// frameworks are passed over without making a String. Text that is not ASCII is split as
  /// Strings (``referencesFromCharacters(_:)``), where a combining mark can join a `,` or `|`.
  static func references(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedReferences {
    if bytes.contains(where: { $0 >= 0x80 }) {
      return referencesFromCharacters(String(decoding: bytes, as: UTF8.self))
    }
    var refs: [Reference] = []
    // Room for every token at once (a list rarely has more than the eight Nessus writes for a
    // STIG check) instead of growing the array one reallocation at a time.
    refs.reserveCapacity(min(8, 1 + bytes.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }))
    var rev3: [String] = []
    var hasRev2 = false
    var severity: String?
    let count = bytes.count
    var tokenStart = 0
    while tokenStart < count {
      var tokenEnd = tokenStart
      while tokenEnd < count && bytes[tokenEnd] != UInt8(ascii: ",") { tokenEnd += 1 }
      defer { tokenStart = tokenEnd + 1 }
      var keyStart = tokenStart
      while keyStart < tokenEnd && bytes[keyStart] == UInt8(ascii: "|") { keyStart += 1 }
      var keyEnd = keyStart
      while keyEnd < tokenEnd && bytes[keyEnd] != UInt8(ascii: "|") { keyEnd += 1 }
      guard keyEnd < tokenEnd,
        let key = XMLImportSupport.asciiTrimmed(UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd])),
        let meaning = ReferenceKey.find(
          UnsafeBufferPointer(rebasing: bytes[keyStart + key.lowerBound..<keyStart + key.upperBound])),
        let valueRange = XMLImportSupport.asciiTrimmed(UnsafeBufferPointer(rebasing: bytes[keyEnd + 1..<tokenEnd])),
        !valueRange.isEmpty
      else { continue }
      let value = String(
        decoding: UnsafeBufferPointer(
          rebasing: bytes[keyEnd + 1 + valueRange.lowerBound..<keyEnd + 1 + valueRange.upperBound]),
        as: UTF8.self)
      switch meaning {
      case .requirement:
        hasRev2 = true
        XMLImportSupport.add(.requirement, value, to: &refs)
      case .rev3: rev3.append(value)
      case .reference(let kind): XMLImportSupport.add(kind, value, to: &refs)
      case .category: severity = "CAT \(value)"
      }
    }
    // A Rev 3 identifier goes through the catalog's crosswalk, which may widen it: only when
    // the item names no Rev 2 requirement.
    if !hasRev2 { for value in rev3 { XMLImportSupport.add(.requirement, value, to: &refs) } }
    return (refs, severity)
  }

  /// ``references(_:)-(UnsafeBufferPointer<UInt8>)`` on Characters, for text that is not ASCII
  /// (and, in the tests, to check the byte path against).
  static func referencesFromCharacters(_ text: String) -> ParsedReferences {
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
    if !hasRev2 { for value in rev3 { XMLImportSupport.add(.requirement, value, to: &refs) } }
    return (refs, severity)
  }

  /// The status a compliance result stands for, and what the details add about it.
  static func status(_ result: String) -> (status: Status?, remark: String?) {
    switch uppercasedResult(result) {
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

  /// `result.uppercased()`, without the Unicode tables for the upper-case ASCII words Nessus
  /// writes.
  static func uppercasedResult(_ result: String) -> String {
    let isUpperASCII = result.utf8.allSatisfy { $0 < 0x80 && !($0 >= 0x61 && $0 <= 0x7A) }
    return isUpperASCII ? result : result.uppercased()
  }

  private func complianceObservation(
    fields: ItemFields, result: String, location: String, line: Int, source: String,
    diagnostics: inout [Diagnostic]
  ) -> Observation {
    let (refs, severity) = fields.references ?? ([], nil)
    var (status, remark) = Self.status(result)
    if status == nil {
      status = StatusNormalizer.normalize(result, source: source, location: location, diagnostics: &diagnostics)
    }
    // The remark and the values, one a line.
    var details = remark ?? ""
    // One allocation for the whole text (appending grows a String several times).
    let valuesLength =
      (fields.actualValue?.utf8.count ?? 0) + (fields.policyValue?.utf8.count ?? 0)
      + (fields.auditFile?.utf8.count ?? 0)
    // The three labels and new lines take 43 bytes.
    if valuesLength > 0 { details.reserveCapacity(details.utf8.count + valuesLength + 43) }
    func add(_ label: StaticString, _ value: String?) {
      guard let value else { return }
      if !details.isEmpty { details += "\n" }
      details += label.description
      details += value
    }
    add("Actual value: ", fields.actualValue)
    add("Policy value: ", fields.policyValue)
    add("Audit file: ", fields.auditFile)
    return Observation(
      source: source, location: location, line: line, kind: .automated, refs: refs, rawStatus: result,
      status: status, severity: severity, title: fields.checkName,
      details: details.isEmpty ? nil : details, comments: fields.info)
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
    // The host's compliance observations were written as they were read: they get the asset
    // and producer in place.
    for index in host.firstCompliance..<context.result.observations.count {
      context.result.observations[index].asset = asset
      context.result.observations[index].producer = producer
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
    let scanned = "Nessus scanned \(hostLabel) \(when)\(policy): \(Plural.count(total, "plugin result")), \(counts)."
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
              "the host has no HOST_END or HOST_START tag: how long \(Plural.count(host.vulnerabilities.count, "Critical/High finding")) \(Plural.noun(host.vulnerabilities.count, "has", "have")) had a patch cannot be told, so flaw remediation (SI.L2-3.14.1[f]) is not judged"
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
        title: "\(Plural.count(overdue.count, "Critical/High finding")) with a patch public more than \(days) days",
        details:
          "\(Plural.count(overdue.count, "Critical/High finding")) on \(hostLabel) (\(critical) critical) \(Plural.noun(overdue.count, "has", "have")) had a patch for longer than the \(days)-day remediation time frame assumed (--remediation-days; the organization defines its own, SI.L2-3.14.1[e]):\n"
          + lines.joined(separator: "\n")))
  }
}
