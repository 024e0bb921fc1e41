import Foundation

/// Reads DISA STIG Viewer 2.x checklists (`.ckl`), as written by STIG Viewer, STIG Manager,
/// Heimdall and Evaluate-STIG:
///
/// ```xml
/// <CHECKLIST>
///   <ASSET><HOST_NAME>web01</HOST_NAME><HOST_IP>10.0.0.5</HOST_IP><HOST_FQDN>…</HOST_FQDN></ASSET>
///   <STIGS>
///     <iSTIG>
///       <STIG_INFO><SI_DATA><SID_NAME>title</SID_NAME><SID_DATA>…</SID_DATA></SI_DATA>…</STIG_INFO>
///       <VULN>
///         <STIG_DATA><VULN_ATTRIBUTE>Vuln_Num</VULN_ATTRIBUTE><ATTRIBUTE_DATA>V-230221</ATTRIBUTE_DATA></STIG_DATA>
///         … Rule_ID, Rule_Ver, Rule_Title, Severity, Group_Title, CCI_REF (repeated) …
///         <STATUS>Open</STATUS><FINDING_DETAILS/><COMMENTS/>
///         <SEVERITY_OVERRIDE/><SEVERITY_JUSTIFICATION/>
///       </VULN>
/// ```
///
/// Every VULN of every iSTIG becomes one `automated` observation located at its element path
/// (`CHECKLIST/STIGS/iSTIG[1]/VULN[14]`) and line. References: each `CCI_REF` (cci), `Rule_ID`
/// (stig-rule), `Vuln_Num` (stig-vuln), `Rule_Ver`, the STIG ID (other), and NIST SP 800-171 /
/// CMMC / NIST SP 800-53 IDs when a
/// STIG_DATA attribute is named for them or a CMMC ID appears in `Rule_Ver` or `Group_Title`.
/// STATUS is read in any case (`NotAFinding`, `Open`, `Not_Applicable`, `Not_Reviewed`). A
/// severity override replaces the severity and is explained in the comments. The producer is the
/// STIG itself (STIG_INFO `title`, and `V<version>R<release>`), falling back on the tool that
/// signed the file in a leading comment.
struct CKLImporter: Importer {
  public let format = InputFormat.ckl

  /// Creates the importer.
  public init() {}

  /// The asset fields of a checklist.
  struct AssetFields {
    var hostName: String?
    var ip: String?
    var fqdn: String?
  }

  /// One VULN as read.
  struct Vuln {
    var attributes: [(name: String, value: String)] = []
    var status: String?
    var details: String?
    var comments: String?
    var severityOverride: String?
    var justification: String?

    func first(_ name: String) -> String? {
      attributes.first { $0.name == name }.flatMap { XMLImportSupport.clean($0.value) }
    }
  }

  public func read(_ input: InputFile) throws -> ImportResult {
    let reader = try XMLStreamReader(input)
    try XMLImportSupport.requireRoot(reader, expected: "a STIG checklist (root element CHECKLIST)") {
      $0.localName(is: "CHECKLIST")
    }
    let source = input.displayName
    let generator = XMLImportSupport.generator(in: reader.leadingComments)
    var result = ImportResult()
    var asset: AssetFields?
    var stigIndex = 0
    var vulnCount = 0

    try reader.forEachChildElement {
      if reader.localName(is: "ASSET") {
        asset = try readAsset(reader)
      } else if reader.localName(is: "STIGS") {
        try reader.forEachChildElement {
          guard reader.localName(is: "iSTIG") else { return }
          stigIndex += 1
          var producer = Self.producer(info: [:], generator: generator)
          var vulnIndex = 0
          try reader.forEachChildElement {
            if reader.localName(is: "STIG_INFO") {
              producer = Self.producer(info: try readStigInfo(reader), generator: generator)
            } else if reader.localName(is: "VULN") {
              vulnIndex += 1
              vulnCount += 1
              let line = reader.lineNumber
              let vuln = try readVuln(reader)
              let location = "CHECKLIST/STIGS/iSTIG[\(stigIndex)]/VULN[\(vulnIndex)]"
              let observation = makeObservation(
                vuln, source: source, location: location, line: line,
                asset: asset.flatMap { Asset(hostName: $0.hostName, ip: $0.ip, fqdn: $0.fqdn) },
                producer: producer, diagnostics: &result.diagnostics)
              result.observations.append(observation)
            }
          }
        }
      }
    }
    if asset == nil && vulnCount > 0 {
      result.diagnostics.append(
        Diagnostic(
          .note, .missingHost, source: source, message: "the checklist has no ASSET element: its results name no host"))
    } else if let asset, XMLImportSupport.clean(asset.hostName) == nil, vulnCount > 0 {
      result.diagnostics.append(
        Diagnostic(
          .warning, .missingHost, source: source,
          message:
            "the checklist's ASSET has no HOST_NAME: "
            + ((XMLImportSupport.clean(asset.ip) ?? XMLImportSupport.clean(asset.fqdn)).map {
              "its results are named by \($0) only"
            } ?? "its results name no host")
        ))
    }
    if vulnCount == 0 {
      result.diagnostics.append(
        Diagnostic(
          .warning, .nothingToImport, source: source, message: "the checklist holds no VULN elements: nothing to import"
        ))
    }
    return result
  }

  private func readAsset(_ reader: XMLStreamReader) throws -> AssetFields {
    var fields = AssetFields()
    try reader.forEachChildElement {
      if reader.localName(is: "HOST_NAME") {
        fields.hostName = try reader.readText()
      } else if reader.localName(is: "HOST_IP") {
        fields.ip = try reader.readText()
      } else if reader.localName(is: "HOST_FQDN") {
        fields.fqdn = try reader.readText()
      }
    }
    return fields
  }

  private func readStigInfo(_ reader: XMLStreamReader) throws -> [String: String] {
    var info: [String: String] = [:]
    try reader.forEachChildElement {
      guard reader.localName(is: "SI_DATA") else { return }
      var name: String?
      var data: String?
      try reader.forEachChildElement {
        if reader.localName(is: "SID_NAME") {
          name = try reader.readText()
        } else if reader.localName(is: "SID_DATA") {
          data = try reader.readText()
        }
      }
      if let name = XMLImportSupport.clean(name), let data = XMLImportSupport.clean(data) { info[name] = data }
    }
    return info
  }

  /// The STIG_DATA attributes ``makeObservation`` reads. The others (Vuln_Discuss,
  /// Check_Content, Fix_Text…) are most of a checklist's bytes: their text is never made into
  /// a String.
  static let usedAttributes: Set<String> = [
    "CCI_REF", "Rule_ID", "Vuln_Num", "Rule_Ver", "Group_Title", "Severity", "Rule_Title",
  ]

  /// The standard attributes poam does not read (none is named for NIST SP 800-171, CMMC or
  /// NIST SP 800-53), answered without looking into the name.
  static let unusedAttributes: Set<String> = [
    "Weight", "Vuln_Discuss", "IA_Controls", "Check_Content", "Fix_Text", "False_Positives", "False_Negatives",
    "Documentable", "Mitigations", "Potential_Impact", "Third_Party_Tools", "Mitigation_Control", "Responsibility",
    "Security_Override_Guidance", "Check_Content_Ref", "Class", "STIGRef", "TargetKey", "STIG_UUID", "LEGACY_ID",
  ]

  /// The standard attribute names, used or not, in one table (one lookup per STIG_DATA).
  static let knownAttributes: [String: Bool] = Dictionary(
    uniqueKeysWithValues: usedAttributes.map { ($0, true) } + unusedAttributes.map { ($0, false) })

  /// True when ``makeObservation`` reads an attribute of this name.
  static func isUsed(attribute name: String) -> Bool {
    if let known = knownAttributes[name] { return known }
    let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
    return XMLImportSupport.contains(key, "80017") || XMLImportSupport.contains(key, "cmmc")
      || XMLImportSupport.contains(key, "80053")
  }

  /// A STIG_DATA's VULN_ATTRIBUTE, as far as reading needs it.
  enum AttributeName: Equatable {
    /// No VULN_ATTRIBUTE read yet.
    case absent
    /// An attribute ``makeObservation`` does not read: its value is skipped.
    case unused
    /// An attribute that is read, with its name (trimmed).
    case used(String)

    /// True when the ATTRIBUTE_DATA is read: the name is used, or not known yet.
    var isRead: Bool { self != .unused }
  }

  /// The standard attribute names as bytes, for ``attributeName(_:)``.
  static let knownAttributeBytes: [(bytes: [UInt8], name: String, used: Bool)] = knownAttributes.map {
    (Array($0.key.utf8), $0.key, $0.value)
  }

  /// What a VULN_ATTRIBUTE's text names: `isUsed(attribute: trim(text))`, with the standard
  /// names recognised on the bytes (no String is made for the unused ones, most of them).
  static func attributeName(_ bytes: UnsafeBufferPointer<UInt8>) -> AttributeName {
    if let range = XMLImportSupport.asciiTrimmed(bytes), !range.isEmpty, let base = bytes.baseAddress {
      let count = range.count
      for entry in knownAttributeBytes where entry.bytes.count == count {
        let same = entry.bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, base + range.lowerBound, count) == 0 }
        if same { return entry.used ? .used(entry.name) : .unused }
      }
    }
    let name = XMLImportSupport.trim(String(decoding: bytes, as: UTF8.self))
    return isUsed(attribute: name) ? .used(name) : .unused
  }

  private func readVuln(_ reader: XMLStreamReader) throws -> Vuln {
    var vuln = Vuln()
    try reader.forEachChildElement {
      if reader.localName(is: "STIG_DATA") {
        var name = AttributeName.absent
        var value = ""
        try reader.forEachChildElement {
          if reader.localName(is: "VULN_ATTRIBUTE") {
            name = try reader.withText(Self.attributeName(_:))
          } else if reader.localName(is: "ATTRIBUTE_DATA") {
            // The name comes first in every checklist; when it does not, read the value anyway.
            if name.isRead { value = try reader.readText() }
          }
        }
        if case .used(let name) = name { vuln.attributes.append((name, value)) }
      } else if reader.localName(is: "STATUS") {
        vuln.status = try reader.readText()
      } else if reader.localName(is: "FINDING_DETAILS") {
        vuln.details = try reader.readText()
      } else if reader.localName(is: "COMMENTS") {
        vuln.comments = try reader.readText()
      } else if reader.localName(is: "SEVERITY_OVERRIDE") {
        vuln.severityOverride = try reader.readText()
      } else if reader.localName(is: "SEVERITY_JUSTIFICATION") {
        vuln.justification = try reader.readText()
      }
    }
    return vuln
  }

  private func makeObservation(
    _ vuln: Vuln, source: String, location: String, line: Int, asset: Asset?, producer: Producer,
    diagnostics: inout [Diagnostic]
  ) -> Observation {
    var refs: [Reference] = []
    for (name, value) in vuln.attributes {
      switch name {
      case "CCI_REF": XMLImportSupport.add(.cci, value, to: &refs)
      case "Rule_ID": XMLImportSupport.add(.stigRule, value, to: &refs)
      case "Vuln_Num": XMLImportSupport.add(.stigVuln, value, to: &refs)
      case "Severity", "Rule_Title":
        break  // read below, not references
      case "Rule_Ver", "Group_Title":
        for id in Self.cmmcIDs(in: value) { XMLImportSupport.add(.requirement, id, to: &refs) }
        // The STIG ID (RHEL-08-010000), which POA&M templates cite among the security checks.
        if name == "Rule_Ver" { XMLImportSupport.add(.other, value, to: &refs) }
      default:
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        if XMLImportSupport.contains(key, "80017") || XMLImportSupport.contains(key, "cmmc") {
          for part in XMLImportSupport.split(value) { XMLImportSupport.add(.requirement, part, to: &refs) }
        } else if XMLImportSupport.contains(key, "80053") {
          for part in XMLImportSupport.split(value) { XMLImportSupport.add(.sp80053, part, to: &refs) }
        }
      }
    }
    if refs.isEmpty {
      diagnostics.append(
        Diagnostic(
          .warning, .noReferences, source: source, location: location,
          message: "VULN has no Vuln_Num, Rule_ID or CCI_REF: it cannot be mapped to a requirement"))
    }
    let raw = vuln.status.map(XMLImportSupport.trim) ?? ""
    if vuln.status == nil {
      diagnostics.append(
        Diagnostic(
          .warning, .missingStatus, source: source, location: location,
          message: "VULN has no STATUS: read as not reviewed"))
    } else if raw.isEmpty {
      diagnostics.append(
        Diagnostic(
          .warning, .missingStatus, source: source, location: location,
          message: "VULN has an empty STATUS: read as not reviewed"))
    }
    let status = StatusNormalizer.normalize(raw, source: source, location: location, diagnostics: &diagnostics)
    var severity = vuln.first("Severity")
    var comments = XMLImportSupport.clean(vuln.comments)
    if let override = XMLImportSupport.clean(vuln.severityOverride) {
      var note = "Severity overridden from \(severity ?? "none") to \(override)"
      if let why = XMLImportSupport.clean(vuln.justification) { note += ": \(why)" }
      comments = comments.map { "\($0)\n\(note)" } ?? note
      severity = override
    }
    return Observation(
      source: source, location: location, line: line, asset: asset, producer: producer, kind: .automated,
      refs: refs, rawStatus: raw, status: status, severity: severity, title: vuln.first("Rule_Title"),
      details: XMLImportSupport.clean(vuln.details), comments: comments)
  }

  /// The STIG as producer: its title and `V<version>R<release>`; else the signing tool.
  static func producer(info: [String: String], generator: Producer?) -> Producer {
    let title = info["title"] ?? info["stigid"]
    guard let title else { return generator ?? Producer(tool: "STIG checklist") }
    var version = info["version"].map { "V\($0)" }
    if let release = info["releaseinfo"]?.firstMatch(of: #/(?i)release:\s*([0-9.]+)/#) {
      version = (version ?? "") + "R\(release.output.1)"
    }
    return Producer(tool: title, version: version)
  }

  /// CMMC IDs written inside a text (`AC.L2-3.1.1`, `AC.L1-b.1.i`).
  static func cmmcIDs(in text: String) -> [String] {
    // Most values hold none: skip the (costly) regular expression unless ".L" appears.
    guard XMLImportSupport.contains(text, ".L") || XMLImportSupport.contains(text, ".l") else { return [] }
    return text.matches(of: #/\b[A-Za-z]{2}\.L[1-3]-(?:\d{1,2}\.\d{1,2}\.\d{1,2}e?|b\.1\.[ivxIVX]+)\b/#).map {
      String($0.output)
    }
  }
}
