import Foundation
import Yams

/// A problem with a system profile: the file, the line, and what was expected (the same shape
/// as an owners file's, and read from the same kind of YAML).
public typealias ProfileError = YAMLFileError

/// Who did the assessment, which decides who posts the result to SPRS.
public enum AssessmentType: String, Codable, Sendable, CaseIterable {
  /// The organization's own self-assessment: the organization posts it in SPRS.
  case selfAssessment = "self"
  /// A Level 2 certification assessment by a C3PAO: the assessor posts it through CMMC eMASS.
  case c3pao
  /// A Level 3 (or Level 2) assessment by DCMA DIBCAC: the assessor posts it through CMMC eMASS.
  case dibcac

  /// Self-assessment, C3PAO assessment, DIBCAC assessment.
  public var title: String {
    switch self {
    case .selfAssessment: return "Self-assessment"
    case .c3pao: return "C3PAO certification assessment"
    case .dibcac: return "DCMA DIBCAC assessment"
    }
  }
}

/// Whose system this is: the `poam.yml` profile (`--profile FILE`, or `poam.yml` in the working
/// directory). Every field is optional; what is given appears in the report headers, the
/// spreadsheet header block, the OSCAL metadata and the SPRS entry.
///
/// ```yaml
/// organization: Example Aerospace LLC
/// system: {name: Engineering Enclave, id: EX-ENG-001}
/// cage_codes: [1ABC2, 3DEF4]
/// scope: Engineering enclave processing CUI, 42 assets
/// ssp: {title: Engineering Enclave SSP, version: "2.1", date: 2025-01-10}
/// assessment: {type: self, assessor: Jane Doe}   # self | c3pao | dibcac
/// contacts: {poam: Security Office <security@example.com>}
/// owners: {AC: Jane Doe <jane@example.com>}      # optional; --owners FILE replaces it
/// ```
public struct SystemProfile: Sendable, Hashable {
  /// The system security plan the assessment is against.
  public struct SSP: Codable, Sendable, Hashable {
    /// Its title.
    public var title: String?
    /// Its version, as written.
    public var version: String?
    /// Its date, `YYYY-MM-DD`.
    public var date: String?

    /// Creates an SSP reference.
    public init(title: String? = nil, version: String? = nil, date: String? = nil) {
      self.title = title
      self.version = version
      self.date = date
    }

    /// `Engineering Enclave SSP, version 2.1 of 2025-01-10`.
    public var summary: String? {
      var parts: [String] = []
      if let title { parts.append(title) }
      if let version { parts.append("version \(version)") }
      var text = parts.joined(separator: ", ")
      if let date { text += text.isEmpty ? date : " of \(date)" }
      return text.isEmpty ? nil : text
    }
  }

  /// The organization seeking assessment.
  public var organization: String?
  /// The in-scope system's name.
  public var systemName: String?
  /// The organization's identifier for the system (OSCAL `system-id`).
  public var systemID: String?
  /// Every CAGE code associated with the in-scope systems.
  public var cageCodes: [String]
  /// The CMMC Assessment Scope, in words.
  public var scope: String?
  /// The system security plan.
  public var ssp: SSP?
  /// Who assessed: self, c3pao or dibcac.
  public var assessmentType: AssessmentType
  /// The assessor's name.
  public var assessor: String?
  /// Contacts by role (`poam`: who answers for the POA&M), in file order.
  public var contacts: [Contact]
  /// Owners given in the profile (`owners:`), already resolved.
  public var owners: Owners?
  /// The file it came from.
  public var source: String

  /// One contact: a role and a person or team.
  public struct Contact: Codable, Sendable, Hashable {
    /// The role key as written (`poam`).
    public var role: String
    /// `Security Office <security@example.com>`.
    public var name: String

    /// Creates a contact.
    public init(role: String, name: String) {
      self.role = role
      self.name = name
    }
  }

  /// Creates a profile.
  public init(
    organization: String? = nil, systemName: String? = nil, systemID: String? = nil, cageCodes: [String] = [],
    scope: String? = nil, ssp: SSP? = nil, assessmentType: AssessmentType = .selfAssessment, assessor: String? = nil,
    contacts: [Contact] = [], owners: Owners? = nil, source: String = ""
  ) {
    self.organization = organization
    self.systemName = systemName
    self.systemID = systemID
    self.cageCodes = cageCodes
    self.scope = scope
    self.ssp = ssp
    self.assessmentType = assessmentType
    self.assessor = assessor
    self.contacts = contacts
    self.owners = owners
    self.source = source
  }

  /// The profile's file name in the working directory.
  public static let defaultFileName = "poam.yml"

  /// Writes the commented ``template`` to `path` atomically (`poam init`).
  public static func writeTemplate(to path: String) throws {
    try AtomicFile.write(Data(template.utf8), to: URL(fileURLWithPath: path))
  }

  /// `Engineering Enclave (EX-ENG-001)`, or nil when the profile names no system.
  public var systemLabel: String? {
    switch (systemName, systemID) {
    case (let name?, let id?): return "\(name) (\(id))"
    case (let name?, nil): return name
    case (nil, let id?): return id
    default: return nil
    }
  }

  /// The contact for a role (`poam`).
  public func contact(_ role: String) -> String? { contacts.first { $0.role == role }?.name }

  /// The identity lines every output's header shows, label and value, in order; empty rows are
  /// left out.
  public var headerRows: [(String, String)] {
    var rows: [(String, String)] = []
    if let organization { rows.append(("Organization", organization)) }
    if let system = systemLabel { rows.append(("System", system)) }
    if !cageCodes.isEmpty { rows.append(("CAGE codes", cageCodes.joined(separator: ", "))) }
    if let scope { rows.append(("Scope", scope)) }
    if let ssp = ssp?.summary { rows.append(("SSP", ssp)) }
    var assessment = assessmentType.title
    if let assessor { assessment += " by \(assessor)" }
    rows.append(("Assessment", assessment))
    for contact in contacts {
      rows.append((contact.role == "poam" ? "POA&M contact" : "Contact (\(contact.role))", contact.name))
    }
    return rows
  }

  // MARK: - Loading

  /// Finds the profile: `explicit` when given (it must exist), else `poam.yml` in `directory`
  /// when present, else nil.
  public static func locate(explicit: String?, directory: String = FileManager.default.currentDirectoryPath)
    -> String?
  {
    if let explicit { return explicit }
    let candidate = (directory as NSString).appendingPathComponent(defaultFileName)
    return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
  }

  /// Reads a profile file.
  public static func load(path: String, catalog: Catalog) throws -> SystemProfile {
    try parse(try YAMLFileError.text(of: path), file: path, catalog: catalog)
  }

  static let topKeys = ["organization", "system", "cage_codes", "scope", "ssp", "assessment", "contacts", "owners"]

  /// Parses the text of a profile; `file` names it in errors. YAML anchors and aliases are
  /// refused (a profile needs none, and an alias can multiply a small file into a huge one).
  public static func parse(_ text: String, file: String, catalog: Catalog) throws -> SystemProfile {
    guard text.utf8.count <= 1_000_000 else {
      throw ProfileError(file: file, line: nil, message: "over 1 MB: expected a short YAML profile")
    }
    // The parser holds the anchors while it lives: keep it until the tree is checked.
    let parser: Parser
    let root: Node?
    do {
      parser = try Parser(yaml: text)
      root = try parser.singleRoot()
    } catch let error as YamlError {
      throw ProfileError(
        file: file, line: YAMLErrorText.line(of: error), message: "not valid YAML: \(YAMLErrorText.problem(of: error))")
    } catch {
      throw ProfileError(file: file, line: nil, message: "not valid YAML: \(error)")
    }
    var profile = SystemProfile(source: file)
    guard let root else { return profile }
    try withExtendedLifetime(parser) { try refuseAnchors(root, file: file) }
    guard let mapping = root.mapping else {
      throw ProfileError(
        file: file, line: line(root), message: "expected a mapping with keys \(topKeys.joined(separator: ", "))")
    }
    for (keyNode, value) in mapping {
      let key = keyNode.scalar?.string ?? ""
      switch key {
      case "organization": profile.organization = try string(value, "organization", file)
      case "system":
        let fields = try submapping(value, "system", keys: ["name", "id"], file: file)
        profile.systemName = try fields["name"].map { try string($0, "system.name", file) }
        if let node = fields["id"] {
          let id = try string(node, "system.id", file)
          guard OSCAL.isValidString(id) else {
            throw ProfileError(file: file, line: line(node), message: "system.id: expected text without line breaks")
          }
          profile.systemID = id
        }
      case "cage_codes":
        let nodes: [Node]
        if let sequence = value.sequence {
          nodes = Array(sequence)
        } else if value.scalar != nil {
          nodes = [value]
        } else {
          throw ProfileError(
            file: file, line: line(value), message: "cage_codes: expected a list such as [1ABC2, 3DEF4]")
        }
        for node in nodes {
          let code = try string(node, "cage_codes", file).uppercased()
          guard code.count == 5, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ProfileError(
              file: file, line: line(node), message: "cage_codes: '\(code)' is not a CAGE code (five letters or digits)"
            )
          }
          guard !profile.cageCodes.contains(code) else {
            throw ProfileError(file: file, line: line(node), message: "cage_codes: '\(code)' is listed twice")
          }
          profile.cageCodes.append(code)
        }
      case "scope": profile.scope = try string(value, "scope", file)
      case "ssp":
        let fields = try submapping(value, "ssp", keys: ["title", "version", "date"], file: file)
        var ssp = SSP()
        ssp.title = try fields["title"].map { try string($0, "ssp.title", file) }
        ssp.version = try fields["version"].map { try string($0, "ssp.version", file) }
        if let node = fields["date"] { ssp.date = try date(node, "ssp.date", file) }
        profile.ssp = ssp
      case "assessment":
        let fields = try submapping(value, "assessment", keys: ["type", "assessor"], file: file)
        if let node = fields["type"] {
          let raw = try string(node, "assessment.type", file)
          guard let type = AssessmentType(rawValue: raw.lowercased()) else {
            throw ProfileError(
              file: file, line: line(node), message: "assessment.type: '\(raw)' is not one of self, c3pao, dibcac")
          }
          profile.assessmentType = type
        }
        profile.assessor = try fields["assessor"].map { try string($0, "assessment.assessor", file) }
      case "contacts":
        guard let contacts = value.mapping else {
          throw ProfileError(
            file: file, line: line(value),
            message:
              "contacts: expected a mapping of roles to people, such as 'poam: Security Office <security@example.com>'")
        }
        for (roleNode, nameNode) in contacts {
          let role = roleNode.scalar?.string ?? ""
          guard role.range(of: #"^[A-Za-z][A-Za-z0-9_-]*$"#, options: .regularExpression) != nil else {
            throw ProfileError(
              file: file, line: line(roleNode),
              message: "contacts: '\(role)' is not a role name (letters, digits, - and _)")
          }
          profile.contacts.append(Contact(role: role, name: try string(nameNode, "contacts.\(role)", file)))
        }
      case "owners":
        profile.owners = try Owners.parse(node: value, file: file, catalog: catalog)
      default:
        throw ProfileError(
          file: file, line: line(keyNode),
          message: "unknown key '\(key)': expected one of \(topKeys.joined(separator: ", "))")
      }
    }
    return profile
  }

  private static func line(_ node: Node) -> Int? { node.mark?.line }

  private static func refuseAnchors(_ node: Node, file: String) throws {
    if let anchor = node.anchor {
      throw ProfileError(
        file: file, line: line(node),
        message:
          "YAML anchors and aliases are not accepted in a profile (found &\(anchor.rawValue)): write the value out")
    }
    if let mapping = node.mapping {
      for (key, value) in mapping {
        try refuseAnchors(key, file: file)
        try refuseAnchors(value, file: file)
      }
    } else if let sequence = node.sequence {
      for element in sequence { try refuseAnchors(element, file: file) }
    }
  }

  private static func string(_ node: Node, _ field: String, _ file: String) throws -> String {
    guard let scalar = node.scalar else {
      throw ProfileError(file: file, line: line(node), message: "\(field): expected text, not a list or mapping")
    }
    let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty, text.count <= 2_000 else {
      throw ProfileError(
        file: file, line: line(node), message: "\(field): expected text of 1 to 2,000 characters")
    }
    return text
  }

  private static func date(_ node: Node, _ field: String, _ file: String) throws -> String {
    let text = try string(node, field, file)
    guard let date = CalendarDate(iso: text) else {
      throw ProfileError(
        file: file, line: line(node), message: "\(field): '\(text)' is not a date: expected YYYY-MM-DD")
    }
    return date.iso
  }

  private static func submapping(_ node: Node, _ field: String, keys: [String], file: String) throws -> [String: Node] {
    guard let mapping = node.mapping else {
      throw ProfileError(
        file: file, line: line(node), message: "\(field): expected a mapping with \(keys.joined(separator: ", "))")
    }
    var fields: [String: Node] = [:]
    for (keyNode, value) in mapping {
      let key = keyNode.scalar?.string ?? ""
      guard keys.contains(key) else {
        throw ProfileError(
          file: file, line: line(keyNode),
          message: "\(field): unknown key '\(key)': expected \(keys.joined(separator: ", "))")
      }
      fields[key] = value
    }
    return fields
  }

  // MARK: - poam init

  /// The commented profile `poam init` writes.
  public static let template = """
    # poam system profile: whose system this is. poam reads ./poam.yml, or the file given
    # with --profile. Every key is optional; what you give appears in report.md and
    # report.html, the header block of poam.csv and poam.xlsx, the OSCAL poam.json metadata,
    # and the SPRS entry section. Anchors and aliases (&name, *name) are not accepted.

    # The organization seeking assessment (OSC).
    organization: Example Aerospace LLC

    # The in-scope system. `id` is your own identifier for it: poam.json writes it as the
    # OSCAL system-id (identifier-type urn:poam:oscal:system-id).
    system: {name: Engineering Enclave, id: EX-ENG-001}

    # Every CAGE code associated with the in-scope systems (five letters or digits each).
    cage_codes: [1ABC2, 3DEF4]

    # The CMMC Assessment Scope, in words, as it is entered in SPRS.
    scope: Engineering enclave processing CUI, 42 assets

    # The system security plan assessed against.
    ssp: {title: Engineering Enclave SSP, version: "2.1", date: 2025-01-10}

    # Who assessed: self (you post the result in SPRS), c3pao or dibcac (the assessor posts it
    # through CMMC eMASS; poam then shows the SPRS values for reference only).
    assessment: {type: self, assessor: Jane Doe}

    # Who answers for the POA&M (and any other role you want named).
    contacts: {poam: Security Office <security@example.com>}

    # Optional: owners by family or requirement, as in an --owners file (which replaces
    # this section when given).
    # owners:
    #   AC: Jane Doe <jane@example.com>
    #   3.1.9: Facilities <facilities@example.com>

    """
}

/// Line and wording of a Yams error, shared by the YAML readers.
enum YAMLErrorText {
  static func line(of error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    case .duplicatedKeysInMapping(_, let context): return context.mark.line
    default: return nil
    }
  }

  static func problem(of error: YamlError) -> String {
    switch error {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
      .composer(let context, let problem, _, _):
      return context.map { "\(problem) (\($0.text))" } ?? problem
    case .duplicatedKeysInMapping(let duplicates, _):
      return "duplicate key \(duplicates.joined(separator: ", "))"
    default:
      return "\(error)"
    }
  }
}
