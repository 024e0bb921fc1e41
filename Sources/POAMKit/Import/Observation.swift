/// Whether a result is a person's determination or a tool's check.
public enum ObservationKind: String, Codable, Sendable {
  /// An assessor's (or self-assessor's) determination, such as a row of an assessment spreadsheet.
  case assessor
  /// A scan or checklist result (SCAP, STIG checklist, InSpec/HDF).
  case automated
  /// A person's review recorded in a checklist or scan tool, not an assessor's determination.
  case manual

  /// Who judged, as a basis: an assessor's determination outweighs a person's review in a
  /// checklist, which outweighs a tool's check.
  public var basis: EvidenceBasis {
    switch self {
    case .assessor: return .assessor
    case .manual: return .manual
    case .automated: return .automated
    }
  }
}

/// Who judged a determination, weakest first: nobody (no evidence), a tool's check, a
/// person's review in a checklist or scan tool, an assessor.
public enum EvidenceBasis: String, Codable, Sendable, Comparable, CaseIterable {
  /// No evidence decided it.
  case none
  /// A tool's check only: an assessor must confirm it.
  case automated
  /// A person's review recorded in a checklist or scan tool.
  case manual
  /// An assessor's (or self-assessor's) determination.
  case assessor

  var rank: Int {
    switch self {
    case .none: return 0
    case .automated: return 1
    case .manual: return 2
    case .assessor: return 3
    }
  }

  public static func < (lhs: EvidenceBasis, rhs: EvidenceBasis) -> Bool { lhs.rank < rhs.rank }
}

/// The kind of a reference an observation carries.
public enum ReferenceKind: String, Codable, Sendable, CaseIterable {
  /// A CMMC or NIST SP 800-171/172 requirement or objective ID in any spelling.
  case requirement
  /// A DISA Control Correlation Identifier, such as `CCI-000015`.
  case cci
  /// A NIST SP 800-53 control, such as `AC-2(1)`.
  case sp80053 = "nist-800-53"
  /// A STIG rule ID (`SV-230221r743913_rule`).
  case stigRule = "stig-rule"
  /// A STIG vulnerability ID (`V-230221`).
  case stigVuln = "stig-vuln"
  /// An XCCDF rule ID (`xccdf_org.ssgproject.content_rule_...`).
  case xccdfRule = "xccdf-rule"
  /// Anything else worth keeping (group IDs, OSCAL UUIDs...).
  case other
}

/// One reference an observation carries, as written in the input.
public struct Reference: Codable, Sendable, Hashable {
  /// What kind of identifier this is.
  public var kind: ReferenceKind
  /// The identifier as written.
  public var value: String

  /// Creates a reference.
  public init(_ kind: ReferenceKind, _ value: String) {
    self.kind = kind
    self.value = value
  }
}

/// The system a result is about.
public struct Asset: Codable, Sendable, Hashable {
  /// Host name.
  public var hostName: String?
  /// IP address.
  public var ip: String?
  /// Fully qualified domain name.
  public var fqdn: String?
  /// MAC address, as written (CKL `HOST_MAC`, XCCDF `urn:xccdf:fact:asset:identifier:mac`).
  public var mac: String?

  /// Creates an asset; returns nil when every field is empty.
  public init?(hostName: String? = nil, ip: String? = nil, fqdn: String? = nil, mac: String? = nil) {
    func clean(_ value: String?) -> String? {
      guard let value = value?.trimmingWhitespace, !value.isEmpty else { return nil }
      return value
    }
    self.hostName = clean(hostName)
    self.ip = clean(ip)
    self.fqdn = clean(fqdn)
    self.mac = clean(mac)
    if self.hostName == nil, self.ip == nil, self.fqdn == nil, self.mac == nil { return nil }
  }

  /// The best single name for the asset.
  public var name: String { hostName ?? fqdn ?? ip ?? mac ?? "" }

  enum CodingKeys: String, CodingKey {
    case hostName = "host_name"
    case ip, fqdn, mac
  }
}

/// The tool (and version) that produced a file.
public struct Producer: Codable, Sendable, Hashable {
  /// Tool name, such as `STIG Viewer`, `OpenSCAP`, `InSpec`.
  public var tool: String
  /// Tool version, when the file says.
  public var version: String?

  /// Creates a producer.
  public init(tool: String, version: String? = nil) {
    self.tool = tool
    self.version = version
  }
}

/// One result read from an input: a row, a checklist VULN, a rule-result, a finding.
/// Importers produce these; the resolve stage maps their references to CMMC requirements.
public struct Observation: Codable, Sendable, Hashable {
  /// The input file path as the user gave it (or `-` for standard input).
  public var source: String
  /// Where in the file: `line 12`, `row 7`, an element path.
  public var location: String
  /// The 1-based line, when the format has lines (for SARIF and editors).
  public var line: Int?
  /// The system the result is about.
  public var asset: Asset?
  /// The tool that produced the file.
  public var producer: Producer?
  /// A person's determination or a tool's check.
  public var kind: ObservationKind
  /// Every identifier the result carries.
  public var refs: [Reference]
  /// The status as written.
  public var rawStatus: String
  /// The normalized status; nil when the word was not recognised (a diagnostic says so).
  public var status: Status?
  /// The severity as written (`high`, `CAT I`, `medium`...), after any override.
  public var severity: String?
  /// A short title of the check or requirement.
  public var title: String?
  /// Finding details, evidence, or the tool's message.
  public var details: String?
  /// Comments by the assessor or the checklist's author.
  public var comments: String?
  /// An explicit deduction given by the input for a partial-credit requirement
  /// (a `Points` column of 3 for IA.L2-3.5.3 or SC.L2-3.13.11).
  public var partialPoints: Int?

  /// Creates an observation.
  public init(
    source: String, location: String, line: Int? = nil, asset: Asset? = nil, producer: Producer? = nil,
    kind: ObservationKind, refs: [Reference], rawStatus: String, status: Status?, severity: String? = nil,
    title: String? = nil, details: String? = nil, comments: String? = nil, partialPoints: Int? = nil
  ) {
    // Control characters from a file (ESC, OSC, BEL...) never reach a terminal, a report or
    // the history; tab and line breaks inside fields stay.
    let clean = { (text: String) in ControlCharacters.strip(text) }
    self.source = ControlCharacters.replace(source)
    self.location = clean(location)
    self.line = line
    self.asset = asset.map {
      var asset = $0
      asset.hostName = asset.hostName.map { ControlCharacters.strip($0, keepingLayout: false) }
      asset.ip = asset.ip.map { ControlCharacters.strip($0, keepingLayout: false) }
      asset.fqdn = asset.fqdn.map { ControlCharacters.strip($0, keepingLayout: false) }
      asset.mac = asset.mac.map { ControlCharacters.strip($0, keepingLayout: false) }
      return asset
    }
    self.producer = producer
    self.kind = kind
    self.refs = refs
    self.rawStatus = ControlCharacters.strip(rawStatus, keepingLayout: false)
    self.status = status
    self.severity = severity.map { ControlCharacters.strip($0, keepingLayout: false) }
    self.title = title.map(clean)
    self.details = details.map(clean)
    self.comments = comments.map(clean)
    self.partialPoints = partialPoints
  }

  enum CodingKeys: String, CodingKey {
    case source, location, line, asset, producer, kind, refs
    case rawStatus = "raw_status"
    case status, severity, title, details, comments
    case partialPoints = "partial_points"
  }
}
