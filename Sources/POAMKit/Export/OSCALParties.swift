import Foundation

/// The people and organizations `poam.json` names: the profile's organization, assessor and
/// contacts, and the items' owners, each once as an OSCAL `party`, with the roles they hold as
/// `responsible-parties` in the metadata.
struct PartyRegistry {
  /// The role of an item's point of contact; milestone tasks name it in `responsible-roles`.
  static let ownerRole = "poam-item-owner"

  let uuid: (String, String) -> String
  private(set) var parties: [OSCAL.Party] = []
  private var byName: [String: String] = [:]
  private var holders: [(role: OSCAL.Role, parties: [String])] = []

  init(uuid: @escaping (String, String) -> String) {
    self.uuid = uuid
  }

  /// The roles used, in first-use order (nil when none).
  var roles: [OSCAL.Role]? { holders.isEmpty ? nil : holders.map(\.role) }

  /// Each role with its parties (nil when none).
  var responsibleParties: [OSCAL.ResponsibleParty]? {
    holders.isEmpty ? nil : holders.map { OSCAL.ResponsibleParty(roleID: $0.role.id, partyUUIDs: $0.parties) }
  }

  mutating func register(profile: SystemProfile?) {
    guard let profile else { return }
    if let organization = profile.organization {
      let party = party(organization, type: "organization")
      assign(
        OSCAL.Role(id: "prepared-for", title: "Prepared For", description: "The organization seeking assessment."),
        party)
    }
    if let assessor = profile.assessor {
      assign(
        OSCAL.Role(
          id: "assessor", title: "Assessor",
          description: "Who performed the \(profile.assessmentType.title.lowercased())."),
        party(assessor, type: nil))
    }
    for contact in profile.contacts {
      let id = "\(contact.role)-contact"
      let title = contact.role == "poam" ? "POA&M Point of Contact" : "Contact: \(contact.role)"
      assign(OSCAL.Role(id: id, title: title), party(contact.name, type: nil))
    }
  }

  /// Registers the owners named in a point of contact (`A; B`); "Unassigned" names nobody.
  mutating func registerOwners(_ pointOfContact: String) {
    for name in Self.names(pointOfContact) {
      assign(
        OSCAL.Role(id: Self.ownerRole, title: "POA&M Item Owner", description: "Answers for one or more POA&M items."),
        party(name, type: nil))
    }
  }

  /// The party UUIDs of a point of contact's owners.
  func ownerParties(_ pointOfContact: String) -> [String] {
    Self.names(pointOfContact).compactMap { byName[$0] }
  }

  static func names(_ pointOfContact: String) -> [String] {
    pointOfContact.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
      !$0.isEmpty && $0 != Owners.unassigned && OSCAL.isValidString($0)
    }
  }

  private mutating func assign(_ role: OSCAL.Role, _ party: String) {
    if let index = holders.firstIndex(where: { $0.role.id == role.id }) {
      if !holders[index].parties.contains(party) { holders[index].parties.append(party) }
    } else {
      holders.append((role, [party]))
    }
  }

  /// The party for `Name <email>` (registered once per exact text).
  private mutating func party(_ text: String, type: String?) -> String {
    if let existing = byName[text] { return existing }
    var name = text
    var emails: [String]?
    if let match = text.wholeMatch(of: #/\s*(.*?)\s*<([^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)>\s*/#) {
      let display = String(match.output.1)
      name = display.isEmpty ? String(match.output.2) : display
      emails = [String(match.output.2)]
    }
    let id = uuid("party", text)
    parties.append(OSCAL.Party(uuid: id, type: type ?? Self.guessType(name), name: name, emailAddresses: emails))
    byName[text] = id
    return id
  }

  /// `organization` for a name that reads like a team or office, else `person`.
  static func guessType(_ name: String) -> String {
    let words = Set(name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
    let team: Set<String> = [
      "team", "office", "department", "dept", "group", "facilities", "services", "operations", "it", "security",
      "llc", "inc", "corp", "center", "division", "desk", "unit",
    ]
    return words.isDisjoint(with: team) ? "person" : "organization"
  }
}

/// The assets the POA&M names (Devices Affected), each once as a `local-definitions`
/// inventory item that observations reference as `subjects`.
struct AssetRegistry {
  let uuid: (String, String) -> String
  private(set) var items: [OSCAL.InventoryItem] = []
  private var seen: Set<String> = []

  init(uuid: @escaping (String, String) -> String) {
    self.uuid = uuid
  }

  func uuid(for asset: String) -> String { uuid("asset", asset) }

  mutating func register(_ asset: String) {
    guard seen.insert(asset).inserted else { return }
    items.append(
      OSCAL.InventoryItem(
        uuid: uuid(for: asset), description: "Asset \(asset), named by the assessment evidence.",
        props: [OSCAL.Property.poam("asset-id", asset)].compactMap { $0 }))
  }
}
