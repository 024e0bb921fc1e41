import Foundation

/// Reads the drift-relevant parts of an OSCAL POA&M JSON that poam wrote: level, score and
/// status from `metadata.props`, and per `poam-items` entry the requirement IDs, status and due
/// date. It reads only what it needs (with `JSONSerialization`), so the POA&M writer may add
/// anything else.
///
/// Props it expects (OSCAL `name`; any `ns`; a `poam:` prefix on the name is tolerated):
///
/// | where | name | value |
/// |---|---|---|
/// | `metadata.props` | `cmmc-level` | `1`, `2` or `3` |
/// | `metadata.props` | `score`, `max-score` | integers (absent at Level 1) |
/// | `metadata.props` | `certification-status` | `final`, `conditional` or `not-eligible` |
/// | `metadata.props` | `assessment-date` | `YYYY-MM-DD` |
/// | `poam-items[].props` | `requirement-id` | canonical CMMC ID, such as `AC.L2-3.1.1`; one or more, required |
/// | `poam-items[].props` | `requirement-status` | `not-met` (default) or `not-assessed` |
/// | `poam-items[].props` | `points-deducted` | integer |
/// | `poam-items[].props` | `item-status` | `open` (default) or `closed` |
/// | `poam-items[].props` | `scheduled-completion-date` | `YYYY-MM-DD` (or an OSCAL date-time) |
///
/// Without `scheduled-completion-date`, the due date is the latest `deadline` of the item's
/// related risks, else the latest milestone end date of their remediations. Without
/// `item-status`, an item is closed when all its related risks have status `closed`.
struct POAMBaselineReader: Sendable {
  /// The catalog used to canonicalize requirement IDs (nil: take them as written).
  public let catalog: Catalog?

  /// Creates a reader.
  public init(catalog: Catalog?) {
    self.catalog = catalog
  }

  /// Reads a POA&M from its parsed JSON root; `path` names the file in errors.
  public func read(root: [String: Any], path: String) throws(BaselineError) -> AssessmentSnapshot {
    guard let poam = root["plan-of-action-and-milestones"] as? [String: Any] else {
      throw .malformedPOAM(
        path: path, location: "plan-of-action-and-milestones", problem: "expected an object")
    }
    let metadata = poam["metadata"] as? [String: Any] ?? [:]
    let documentProps = Props(metadata["props"])
    var level: CMMCLevel?
    if let raw = documentProps.first("cmmc-level") {
      guard let value = Int(raw), let parsed = CMMCLevel(rawValue: value) else {
        throw .malformedPOAM(
          path: path, location: "metadata.props cmmc-level", problem: "'\(raw)' is not a level: expected 1, 2 or 3")
      }
      level = parsed
    }
    let score = try integer(documentProps, "score", location: "metadata.props", path: path)
    let maxScore = try integer(documentProps, "max-score", location: "metadata.props", path: path)
    var status: CertificationStatus?
    if let raw = documentProps.first("certification-status") {
      guard let parsed = CertificationStatus(rawValue: raw) else {
        throw .malformedPOAM(
          path: path, location: "metadata.props certification-status",
          problem: "'\(raw)' is not a status: expected final, conditional or not-eligible")
      }
      status = parsed
    }
    let risks = Dictionary(
      (poam["risks"] as? [[String: Any]] ?? []).compactMap { risk in (risk["uuid"] as? String).map { ($0, risk) } },
      uniquingKeysWith: { first, _ in first })
    guard let rawItems = poam["poam-items"] as? [[String: Any]] else {
      throw .malformedPOAM(
        path: path, location: "plan-of-action-and-milestones.poam-items", problem: "expected an array")
    }
    var items: [RemediationItem] = []
    var requirements: [String: RequirementSnapshot] = [:]
    for (index, item) in rawItems.enumerated() {
      let location = "poam-items[\(index)]"
      let props = Props(item["props"])
      let rawIDs = props.all("requirement-id")
      if rawIDs.isEmpty {
        throw .malformedPOAM(
          path: path, location: location,
          problem:
            "no requirement-id prop: expected the CMMC requirement each item remediates (was this POA&M written by poam?)"
        )
      }
      let ids = try rawIDs.map { raw throws(BaselineError) in try canonical(raw, location: location, path: path) }
      let related = (item["related-risks"] as? [[String: Any]] ?? []).compactMap { $0["risk-uuid"] as? String }
        .compactMap { risks[$0] }
      let open = try isOpen(props: props, risks: related, location: location, path: path)
      let due = try dueDate(props: props, risks: related, location: location, path: path)
      let itemID = item["uuid"] as? String ?? "\(location)"
      let title = item["title"] as? String ?? ids.joined(separator: ", ")
      items.append(
        RemediationItem(itemID: itemID, itemTitle: title, requirementIDs: ids, scheduledCompletion: due, isOpen: open))
      let requirementStatus: RequirementStatus
      if open {
        let raw = props.first("requirement-status") ?? "not-met"
        guard let parsed = RequirementStatus(rawValue: raw), !parsed.isSatisfied else {
          throw .malformedPOAM(
            path: path, location: "\(location).props requirement-status",
            problem: "'\(raw)' is not a gap status: expected not-met or not-assessed")
        }
        requirementStatus = parsed
      } else {
        requirementStatus = .met
      }
      let points = try integer(props, "points-deducted", location: "\(location).props", path: path)
      for id in ids {
        // An open item wins over a closed one for the same requirement (it was reopened).
        if let existing = requirements[id], existing.status != .met, requirementStatus == .met { continue }
        requirements[id] = RequirementSnapshot(
          id: id, title: catalog?.requirement(id: id)?.title, status: requirementStatus, hasEvidence: nil,
          pointsDeducted: open ? points : 0)
      }
    }
    let date = documentProps.first("assessment-date") ?? (metadata["last-modified"] as? String).flatMap(Self.validDay)
    return AssessmentSnapshot(
      kind: .poam, source: path, level: level, score: score, maxScore: maxScore, status: status,
      assessmentDate: date, requirements: requirements, coversAllRequirements: false, items: items)
  }

  private func canonical(_ raw: String, location: String, path: String) throws(BaselineError) -> String {
    guard let catalog else { return raw }
    switch RequirementIDResolver(catalog: catalog).resolve(raw) {
    case .success(let resolved): return resolved.requirement
    case .failure(let error):
      throw .malformedPOAM(
        path: path, location: "\(location).props requirement-id", problem: error.localizedDescription)
    }
  }

  private func integer(_ props: Props, _ name: String, location: String, path: String) throws(BaselineError) -> Int? {
    guard let raw = props.first(name) else { return nil }
    guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
      throw .malformedPOAM(path: path, location: "\(location) \(name)", problem: "'\(raw)' is not an integer")
    }
    guard FileNumbers.range.contains(value) else {
      throw .malformedPOAM(
        path: path, location: "\(location) \(name)",
        problem: "'\(raw)' is out of range: expected \(FileNumbers.expectation)")
    }
    return value
  }

  private func isOpen(props: Props, risks: [[String: Any]], location: String, path: String) throws(BaselineError)
    -> Bool
  {
    if let raw = props.first("item-status") {
      switch raw.lowercased() {
      case "open", "ongoing", "in-progress", "reopened", "risk-accepted": return true
      case "closed", "completed", "complete", "resolved": return false
      default:
        throw .malformedPOAM(
          path: path, location: "\(location).props item-status", problem: "'\(raw)' is not open or closed")
      }
    }
    if risks.isEmpty { return true }
    return !risks.allSatisfy { ($0["status"] as? String)?.lowercased() == "closed" }
  }

  private func dueDate(props: Props, risks: [[String: Any]], location: String, path: String) throws(BaselineError)
    -> String?
  {
    if let raw = props.first("scheduled-completion-date") {
      guard let day = Self.validDay(raw) else {
        throw .malformedPOAM(
          path: path, location: "\(location).props scheduled-completion-date",
          problem: "'\(raw)' is not a date: expected YYYY-MM-DD")
      }
      return day
    }
    let deadlines = risks.compactMap { $0["deadline"] as? String }.compactMap(Self.validDay)
    if let latest = deadlines.max() { return latest }
    var milestones: [String] = []
    for risk in risks {
      for remediation in risk["remediations"] as? [[String: Any]] ?? [] {
        for task in remediation["tasks"] as? [[String: Any]] ?? [] {
          guard let timing = task["timing"] as? [String: Any] else { continue }
          if let onDate = (timing["on-date"] as? [String: Any])?["date"] as? String { milestones.append(onDate) }
          if let end = (timing["within-date-range"] as? [String: Any])?["end"] as? String { milestones.append(end) }
        }
      }
    }
    return milestones.compactMap(Self.validDay).max()
  }

  /// The day of a date or date-time, if it starts with a real `YYYY-MM-DD`.
  static func validDay(_ text: String) -> String? { CalendarDate(leadingDayOf: text)?.iso }

  /// An OSCAL `props` array, looked up by name (namespace ignored, `poam:` prefix tolerated).
  struct Props {
    var entries: [(name: String, value: String)] = []

    init(_ raw: Any?) {
      for prop in raw as? [[String: Any]] ?? [] {
        guard var name = prop["name"] as? String, let value = prop["value"] as? String else { continue }
        if name.hasPrefix("poam:") { name.removeFirst(5) }
        entries.append((name, value))
      }
    }

    /// The names `poam analyze` writes (OSCALPOAMExporter) for the names this reader documents.
    static let aliases = [
      "requirement-status": "finding", "item-status": "status", "scheduled-completion-date": "scheduled-completion",
      "points-deducted": "points",
    ]

    func first(_ name: String) -> String? {
      if let value = entries.first(where: { $0.name == name })?.value { return value }
      guard let alias = Self.aliases[name] else { return nil }
      return entries.first { $0.name == alias }?.value
    }
    func all(_ name: String) -> [String] { entries.filter { $0.name == name }.map(\.value) }
  }
}
