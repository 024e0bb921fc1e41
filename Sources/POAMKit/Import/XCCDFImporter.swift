import Foundation

/// Reads XCCDF 1.1 and 1.2 results (a `Benchmark` holding `TestResult`s, or a `TestResult`
/// alone) and SCAP 1.2 / 1.3 Asset Reporting Format (`asset-report-collection`, where the
/// Benchmark sits in a report-request's data stream and the TestResult in a report), as written
/// by OpenSCAP, DISA SCC and STIG Manager.
///
/// Each `rule-result` is joined to its `Rule` (by `idref`) and becomes one `automated`
/// observation with the Rule's references and idents:
/// - `<reference href="…NIST.SP.800-171…">3.1.7</reference>` (and CMMC references) → requirement;
/// - `<reference href="…800-53…">AC-6(10)</reference>` → nist-800-53;
/// - `<ident system="http://cyber.mil/cci">CCI-000015</ident>` → cci; other idents (CCE) → other;
/// - the rule ID → xccdf-rule; DISA rule and group IDs → stig-rule (`SV-…_rule`) and stig-vuln
///   (`V-…`); a DISA rule's version, its STIG ID (`RHEL-08-010000`) → other.
///
/// Results `pass`, `fail`, `error`, `unknown`, `notapplicable`, `notchecked`, `informational`
/// and `fixed` go through ``StatusNormalizer``. `notselected` means the rule was not in the
/// scanned profile, so it says nothing about the system: such results are not imported, and one
/// note per TestResult says how many were left out. The asset comes from `target`,
/// `target-address` and `target-facts` (or the ARF asset the report is about); the producer
/// from the scanner facts or the TestResult's `test-system`.
///
/// The file is streamed once. Rules and rule-results are kept in compact form and joined at
/// the end, so a TestResult that comes before its Benchmark is handled as well.
struct XCCDFImporter: Importer {
  public let format: InputFormat

  /// Creates the importer for XCCDF results (`.xccdf`) or ARF (`.arf`); both read either.
  public init(format: InputFormat = .xccdf) {
    self.format = format
  }

  /// What is kept of a Rule.
  struct RuleInfo {
    var refs: [Reference] = []
    var severity: String?
    var title: String?
  }

  /// What is kept of a rule-result until the join.
  struct RuleResult {
    var idref = ""
    var testResult = 0
    var index = 0
    var line = 0
    var result: String?
    var severity: String?
    var idents: [Reference] = []
    var details: [String] = []
    var comments: [String] = []
  }

  /// What is kept of a TestResult.
  struct TestResultInfo {
    var report: String?
    var target: String?
    var addresses: [String] = []
    var facts: [(name: String, value: String)] = []
    var testSystem: String?
    var notSelected = 0
    var line = 0
  }

  /// An ARF asset's identification.
  struct ARFAsset {
    var hostName: String?
    var fqdn: String?
    var ips: [String] = []
  }

  /// Everything gathered in one pass.
  struct Gathered {
    var rules: [String: RuleInfo] = [:]
    var results: [RuleResult] = []
    var testResults: [TestResultInfo] = []
    var assets: [String: ARFAsset] = [:]
    var reportAsset: [String: String] = [:]
    var diagnostics: [Diagnostic] = []
  }

  public func read(_ input: InputFile) throws -> ImportResult {
    let reader = try XMLStreamReader(input)
    try XMLImportSupport.requireRoot(
      reader, expected: "XCCDF results (root Benchmark or TestResult) or SCAP ARF (root asset-report-collection)"
    ) {
      ($0.localName(is: "Benchmark") || $0.localName(is: "TestResult")) && Self.isXCCDF($0)
        || $0.localName(is: "asset-report-collection")
    }
    let generator = XMLImportSupport.generator(in: reader.leadingComments)
    var gathered = Gathered()
    var groups: [(depth: Int, id: String)] = []
    var reports: [(depth: Int, id: String)] = []
    repeat {
      guard let name = reader.localNameBytes else { continue }
      let depth = reader.depth
      while let last = groups.last, last.depth >= depth { groups.removeLast() }
      while let last = reports.last, last.depth >= depth { reports.removeLast() }
      // One look at the name, then the namespace only for the few names poam reads.
      if XMLStreamReader.equal(name, "Group") && Self.isXCCDF(reader) {
        groups.append((depth, reader.attribute("id") ?? ""))
      } else if XMLStreamReader.equal(name, "Rule") && Self.isXCCDF(reader) {
        let id = reader.attribute("id") ?? ""
        let rule = try readRule(reader, id: id, group: groups.last?.id)
        if gathered.rules[id] == nil { gathered.rules[id] = rule }
      } else if XMLStreamReader.equal(name, "TestResult") && Self.isXCCDF(reader) {
        try readTestResult(reader, report: reports.last?.id, into: &gathered)
      } else if XMLStreamReader.equal(name, "report")
        && reader.namespace(hasPrefix: "http://scap.nist.gov/schema/asset-reporting-format")
      {
        reports.append((depth, reader.attribute("id") ?? ""))
      } else if XMLStreamReader.equal(name, "asset")
        && reader.namespace(hasPrefix: "http://scap.nist.gov/schema/asset-reporting-format")
      {
        let id = reader.attribute("id") ?? ""
        var asset = ARFAsset()
        try readARFAsset(reader, into: &asset)
        gathered.assets[id] = asset
      } else if XMLStreamReader.equal(name, "relationship")
        && reader.namespace(hasPrefix: "http://scap.nist.gov/schema/reporting-core")
      {
        let type = reader.attribute("type") ?? ""
        let subject = reader.attribute("subject") ?? ""
        var refs: [String] = []
        try reader.forEachChildElement {
          if reader.localName(is: "ref") { refs.append(try reader.readTrimmedText()) }
        }
        if type.hasSuffix("isAbout"), let asset = refs.first { gathered.reportAsset[subject] = asset }
      }
    } while try reader.readToElement()

    return join(gathered, source: input.displayName, generator: generator)
  }

  // MARK: - Reading

  static func isXCCDF(_ reader: XMLStreamReader) -> Bool {
    reader.namespace(hasPrefix: "http://checklists.nist.gov/xccdf/")
  }

  private func readRule(_ reader: XMLStreamReader, id: String, group: String?) throws -> RuleInfo {
    var rule = RuleInfo()
    rule.severity = reader.attribute("severity")
    XMLImportSupport.add(.xccdfRule, id, to: &rule.refs)
    XMLImportSupport.add(.stigRule, XMLImportSupport.suffix(of: id, after: "stig_rule_"), to: &rule.refs)
    if let group {
      XMLImportSupport.add(.stigVuln, XMLImportSupport.suffix(of: group, after: "stig_group_"), to: &rule.refs)
    }
    let isSTIG = XMLImportSupport.contains(id, "stig_rule_")
    try reader.forEachChildElement {
      guard let name = reader.localNameBytes else { return }
      if XMLStreamReader.equal(name, "title") {
        if rule.title == nil { rule.title = try reader.readCleanText() }
      } else if XMLStreamReader.equal(name, "version") {
        // A DISA rule's version is its STIG ID (RHEL-08-010000); other rules' versions are
        // not read (the reader skips them).
        if isSTIG { XMLImportSupport.add(.other, try reader.readText(), to: &rule.refs) }
      } else if XMLStreamReader.equal(name, "reference") {
        let kind = reader.withAttribute("href") {
          Self.referenceKind(href: $0 ?? UnsafeBufferPointer(start: nil, count: 0))
        }
        guard let kind else { return }
        for value in XMLImportSupport.split(try reader.readText()) where kind != .cci || CCIList.normalize(value) != nil
        {
          XMLImportSupport.add(kind, value, to: &rule.refs)
        }
      } else if XMLStreamReader.equal(name, "ident") {
        try Self.addIdent(reader, to: &rule.refs)
      }
    }
    return rule
  }

  /// The reference kind an XCCDF `reference` href stands for, or nil for benchmarks poam does
  /// not map. SCAP Security Guide writes DISA CCIs as references to `https://public.cyber.mil/stigs/cci/`.
  static func referenceKind(href: String) -> ReferenceKind? {
    var lower = href.lowercased()
    return lower.withUTF8 { referenceKind(lowercasedHref: $0) }
  }

  /// ``referenceKind(href:)`` on the bytes of the attribute, without making a String.
  static func referenceKind(href bytes: UnsafeBufferPointer<UInt8>) -> ReferenceKind? {
    XMLImportSupport.withLowercasedASCII(bytes) { lower in
      guard let lower else { return referenceKind(href: String(decoding: bytes, as: UTF8.self)) }
      return referenceKind(lowercasedHref: lower)
    }
  }

  private static func referenceKind(lowercasedHref lower: UnsafeBufferPointer<UInt8>) -> ReferenceKind? {
    func has(_ needle: StaticString) -> Bool { XMLImportSupport.contains(lower, needle) }
    if has("800-171") || has("800_171") || has("cmmc") { return .requirement }
    if has("800-53") || has("800_53") { return .sp80053 }
    if has("/stigs/cci") { return .cci }
    return nil
  }

  /// An `ident`: a CCI (system `http://cyber.mil/cci`, `https://public.cyber.mil/stigs/cci/`,
  /// `http://iase.disa.mil/cci`, or a value that is a CCI) or another identifier such as a CCE.
  static func addIdent(system: String, value: String, to refs: inout [Reference]) {
    let isCCI = XMLImportSupport.contains(system.lowercased(), "cci") || CCIList.normalize(value) != nil
    XMLImportSupport.add(isCCI ? .cci : .other, value, to: &refs)
  }

  /// ``addIdent(system:value:to:)`` for the `ident` element the reader is on; the system is
  /// looked at as bytes.
  static func addIdent(_ reader: XMLStreamReader, to refs: inout [Reference]) throws {
    let systemIsCCI = reader.withAttribute("system") { bytes in
      bytes.map { XMLImportSupport.lowercasedContains($0, "cci") } ?? false
    }
    let value = try reader.readText()
    let isCCI = systemIsCCI || CCIList.normalize(value) != nil
    XMLImportSupport.add(isCCI ? .cci : .other, value, to: &refs)
  }

  private func readTestResult(_ reader: XMLStreamReader, report: String?, into gathered: inout Gathered) throws {
    var info = TestResultInfo()
    info.report = report
    info.testSystem = XMLImportSupport.clean(reader.attribute("test-system"))
    info.line = reader.lineNumber
    let number = gathered.testResults.count + 1
    var index = 0
    try reader.forEachChildElement {
      guard let name = reader.localNameBytes else { return }
      if XMLStreamReader.equal(name, "rule-result") {
        index += 1
        var result = try readRuleResult(reader)
        result.testResult = number
        result.index = index
        if result.result?.lowercased() == "notselected" {
          info.notSelected += 1
        } else {
          gathered.results.append(result)
        }
      } else if XMLStreamReader.equal(name, "target") {
        info.target = try reader.readCleanText()
      } else if XMLStreamReader.equal(name, "target-address") {
        if let address = try reader.readCleanText() { info.addresses.append(address) }
      } else if XMLStreamReader.equal(name, "target-facts") {
        try reader.forEachChildElement {
          guard reader.localName(is: "fact") else { return }
          let name = reader.attribute("name") ?? ""
          if let value = try reader.readCleanText() { info.facts.append((name, value)) }
        }
      }
    }
    if index == 0 {
      gathered.diagnostics.append(
        Diagnostic(
          .warning, .nothingToImport, source: reader.displayName, location: "TestResult[\(number)]",
          message: "the TestResult holds no rule-result: it records no check"))
    }
    gathered.testResults.append(info)
  }

  private func readRuleResult(_ reader: XMLStreamReader) throws -> RuleResult {
    var result = RuleResult()
    result.idref = reader.attribute("idref") ?? ""
    result.severity = XMLImportSupport.clean(reader.attribute("severity"))
    if XMLImportSupport.contains(result.idref, "stig_rule_") {
      XMLImportSupport.add(.other, reader.attribute("version"), to: &result.idents)
    }
    result.line = reader.lineNumber
    try reader.forEachChildElement {
      guard let name = reader.localNameBytes else { return }
      if XMLStreamReader.equal(name, "result") {
        result.result = try reader.readTrimmedText()
      } else if XMLStreamReader.equal(name, "ident") {
        try Self.addIdent(reader, to: &result.idents)
      } else if XMLStreamReader.equal(name, "message") {
        if let text = try reader.readCleanText() { result.details.append(text) }
      } else if XMLStreamReader.equal(name, "override") {
        // <override time="…" authority="…"><old-result>fail</old-result><new-result>pass</new-result><remark>…
        let authority = XMLImportSupport.clean(reader.attribute("authority"))
        let time = XMLImportSupport.clean(reader.attribute("time"))
        var old: String?
        var new: String?
        var remark: String?
        try reader.forEachChildElement {
          if reader.localName(is: "remark") {
            remark = try reader.readCleanText()
          } else if reader.localName(is: "old-result") {
            old = try reader.readCleanText()
          } else if reader.localName(is: "new-result") {
            new = try reader.readCleanText()
          }
        }
        var text = "Result overridden"
        if let old, let new { text += " from \(old) to \(new)" }
        if let authority { text += " by \(authority)" }
        if let time { text += " at \(time)" }
        if let remark { text += ": \(remark)" }
        result.comments.append(text)
      } else if XMLStreamReader.equal(name, "check") {
        // STIG Manager writes the reviewer's detail and comment inside check-content.
        try reader.forEachChildElement {
          guard reader.localName(is: "check-content") else { return }
          try reader.forEachChildElement {
            if reader.localName(is: "detail"), let text = try reader.readCleanText() {
              result.details.append(text)
            } else if reader.localName(is: "comment"), let text = try reader.readCleanText() {
              result.comments.append(text)
            }
          }
        }
      }
    }
    return result
  }

  private func readARFAsset(_ reader: XMLStreamReader, into asset: inout ARFAsset) throws {
    try reader.forEachChildElement {
      if reader.localName(is: "hostname") {
        let text = XMLImportSupport.clean(try reader.readText())
        if asset.hostName == nil { asset.hostName = text }
      } else if reader.localName(is: "fqdn") {
        let text = XMLImportSupport.clean(try reader.readText())
        if asset.fqdn == nil { asset.fqdn = text }
      } else if reader.localName(is: "ip-v4") || reader.localName(is: "ip-v6") {
        if let ip = XMLImportSupport.clean(try reader.readText()) { asset.ips.append(ip) }
      } else {
        try readARFAsset(reader, into: &asset)
      }
    }
  }

  // MARK: - Joining

  private func join(_ gathered: Gathered, source: String, generator: Producer?) -> ImportResult {
    var result = ImportResult(diagnostics: gathered.diagnostics)
    let assets = gathered.testResults.map { asset(for: $0, gathered: gathered) }
    let producers = gathered.testResults.map { producer(for: $0, generator: generator) }
    var missingRules: [String] = []
    for item in gathered.results {
      let location = "TestResult[\(item.testResult)]/rule-result[\(item.index)]"
      let rule = gathered.rules[item.idref]
      var refs = rule?.refs ?? []
      if rule == nil {
        missingRules.append(item.idref)
        XMLImportSupport.add(.xccdfRule, item.idref, to: &refs)
        XMLImportSupport.add(.stigRule, XMLImportSupport.suffix(of: item.idref, after: "stig_rule_"), to: &refs)
      }
      for ident in item.idents { XMLImportSupport.add(ident.kind, ident.value, to: &refs) }
      let raw = item.result ?? ""
      if item.result == nil {
        result.diagnostics.append(
          Diagnostic(
            .warning, .missingStatus, source: source, location: location,
            message: "rule-result has no result: read as unknown"))
      }
      let status = StatusNormalizer.normalize(raw, source: source, location: location, diagnostics: &result.diagnostics)
      result.observations.append(
        Observation(
          source: source, location: location, line: item.line, asset: assets[item.testResult - 1],
          producer: producers[item.testResult - 1], kind: .automated, refs: refs, rawStatus: raw, status: status,
          severity: item.severity ?? rule?.severity, title: rule?.title,
          details: item.details.isEmpty ? nil : item.details.joined(separator: "\n"),
          comments: item.comments.isEmpty ? nil : item.comments.joined(separator: "\n")))
    }
    for (number, info) in gathered.testResults.enumerated() where info.notSelected > 0 {
      result.diagnostics.append(
        Diagnostic(
          .note, .readNote, source: source, location: "TestResult[\(number + 1)]",
          message:
            "\(info.notSelected) rule-result(s) are 'notselected' (rules outside the scanned profile): they say nothing about the system and were not imported"
        ))
    }
    if !missingRules.isEmpty {
      let examples = Array(Set(missingRules)).sorted().prefix(3).joined(separator: ", ")
      result.diagnostics.append(
        Diagnostic(
          .note, .readNote, source: source,
          message:
            "\(missingRules.count) rule-result(s) name rules this file does not define (the benchmark is elsewhere), e.g. \(examples): only their rule IDs and own idents are used"
        ))
    }
    if gathered.testResults.isEmpty {
      result.diagnostics.append(
        Diagnostic(
          .warning, .nothingToImport, source: source,
          message: "the file holds no TestResult: it is a benchmark without results, nothing to import"))
    }
    return result
  }

  private func fact(_ info: TestResultInfo, _ suffix: String) -> String? {
    info.facts.first { $0.name.hasSuffix(suffix) }?.value
  }

  private func asset(for info: TestResultInfo, gathered: Gathered) -> Asset? {
    let arf = info.report.flatMap { gathered.reportAsset[$0] }.flatMap { gathered.assets[$0] }
    let fqdn = (fact(info, ":fqdn") ?? arf?.fqdn).map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
    let addresses =
      info.addresses + info.facts.filter { $0.name.hasSuffix(":ipv4") || $0.name.hasSuffix(":ipv6") }.map(\.value)
      + (arf?.ips ?? [])
    return Asset(
      hostName: info.target ?? fact(info, ":host_name") ?? arf?.hostName, ip: Self.preferredAddress(addresses),
      fqdn: fqdn)
  }

  /// The first address that is neither loopback nor link-local, else the first that is not
  /// loopback; never a loopback address (`127.0.0.1/8`, `::1/128`), which names every host.
  static func preferredAddress(_ addresses: [String]) -> String? {
    func isLoopback(_ address: String) -> Bool {
      let lower = address.lowercased().split(separator: "/").first.map(String.init) ?? ""
      return lower.hasPrefix("127.") || lower == "::1" || lower == "0:0:0:0:0:0:0:1"
    }
    func isLocal(_ address: String) -> Bool {
      let lower = address.lowercased()
      return isLoopback(address) || lower.hasPrefix("fe80:") || lower.hasPrefix("169.254.")
    }
    return addresses.first { !isLocal($0) } ?? addresses.first { !isLoopback($0) }
  }

  private func producer(for info: TestResultInfo, generator: Producer?) -> Producer {
    if let name = fact(info, ":scanner:name") {
      return Producer(tool: name, version: fact(info, ":scanner:version"))
    }
    if let system = info.testSystem {
      return Self.producer(testSystem: system)
    }
    return generator ?? Producer(tool: "XCCDF results")
  }

  /// A TestResult's `test-system`: a CPE (`cpe:/a:redhat:openscap:1.3.7`) or a plain name.
  static func producer(testSystem: String) -> Producer {
    let known = ["openscap": "OpenSCAP", "scc": "SCAP Compliance Checker"]
    if testSystem.lowercased().hasPrefix("cpe:/") {
      let parts = testSystem.dropFirst(5).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      if parts.count >= 3 {
        let product = parts[2]
        let version = parts.count > 3 ? XMLImportSupport.clean(parts[3]) : nil
        return Producer(tool: known[product.lowercased()] ?? product, version: version)
      }
    } else if testSystem.lowercased().hasPrefix("cpe:2.3:") {
      let parts = testSystem.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      if parts.count >= 6 {
        let version = parts[5] == "*" || parts[5] == "-" ? nil : parts[5]
        return Producer(tool: known[parts[4].lowercased()] ?? parts[4], version: version)
      }
    }
    return Producer(tool: testSystem)
  }
}
