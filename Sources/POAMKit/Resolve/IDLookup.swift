import Foundation

/// `poam catalog ID` for any ID a compliance person holds: a CMMC or NIST SP 800-171
/// requirement or objective, a NIST SP 800-53 control, or a CCI. Every answer comes from
/// ``ObservationResolver/resolve(_:)``, the same entry point the gap engine is fed by: a
/// control or CCI is resolved as a one-reference result would be, and the reverse (the
/// controls and CCIs of a requirement) is every known control and CCI resolved the same way
/// and kept when it reaches the requirement. A change to the mapping shows here unchanged.
public struct IDLookup: Sendable {
  /// What an ID turned out to be.
  public enum Kind: String, Sendable, Codable {
    case requirement
    case sp80053 = "nist-800-53"
    case cci
  }

  /// A control or CCI and the CMMC requirements (and objectives) it reaches.
  public struct Forward: Sendable, Equatable, Encodable {
    /// The ID as given.
    public var query: String
    /// What it is.
    public var kind: Kind
    /// The ID normalized: `IA-5(1)`, `CCI-000205`.
    public var normalized: String
    /// For a CCI: its NIST SP 800-53 controls in the CCI list (Rev 4, Rev 5).
    public var controls: [String]
    /// The requirements and objectives reached, sorted.
    public var targets: [RequirementTarget]
    /// Why nothing was reached, when nothing was.
    public var reason: String?
  }

  /// The controls and CCIs that reach one requirement.
  public struct Reverse: Sendable, Equatable, Encodable {
    /// The requirement.
    public var requirement: String
    /// NIST SP 800-53 controls (Rev 4 or Rev 5) that resolve to it, with the objective when
    /// the mapping is that precise.
    public var controls: [Mapped]
    /// CCIs that resolve to it (only with a CCI list).
    public var ccis: [Mapped]
  }

  /// One control or CCI reaching a requirement (an objective, when the mapping says).
  public struct Mapped: Sendable, Equatable, Encodable {
    /// The control or CCI.
    public var id: String
    /// The objective letter, when the mapping reaches one objective.
    public var objective: String?
  }

  /// The catalog.
  public let catalog: Catalog
  /// The DISA CCI list, when given.
  public let cciList: CCIList?
  private let resolver: ObservationResolver

  /// Creates a lookup through the gap engine's resolver.
  public init(catalog: Catalog, cciList: CCIList?) {
    self.catalog = catalog
    self.cciList = cciList
    self.resolver = ObservationResolver(catalog: catalog, cciList: cciList)
  }

  /// What kind of ID `text` is: a requirement first (in any spelling the catalog knows), then a
  /// CCI, then a NIST SP 800-53 control; nil for none.
  public func kind(of text: String) -> Kind? {
    if case .success = RequirementIDResolver(catalog: catalog).resolve(text) { return .requirement }
    if CCIList.normalize(text) != nil { return .cci }
    if SP80053Control.normalize(text) != nil { return .sp80053 }
    return nil
  }

  /// The requirements a control or CCI reaches, as the gap engine would resolve a result that
  /// names only it.
  public func forward(_ text: String, kind: Kind) -> Forward {
    let normalized =
      (kind == .cci ? CCIList.normalize(text) : (SP80053Part.canonical(text) ?? SP80053Control.normalize(text)))
      ?? text.trimmingWhitespace
    var controls: [String] = []
    if kind == .cci, let parts = cciList?.parts[normalized] {
      // The references the resolver uses: Rev 4, else Rev 5, else Rev 3.
      if !parts.rev4.isEmpty {
        controls = parts.rev4.map { "Rev 4 \($0)" }
      } else if !parts.rev5.isEmpty {
        controls = parts.rev5.map { "Rev 5 \($0)" }
      } else {
        controls = parts.rev3.map { "Rev 3 \($0)" }
      }
    }
    if kind == .cci, cciList == nil {
      return Forward(
        query: text, kind: kind, normalized: normalized, controls: [], targets: [],
        reason: "a CCI resolves only through the DISA CCI list: \(CCIList.hint)")
    }
    let reference = Reference(kind == .cci ? .cci : .sp80053, text.trimmingWhitespace)
    let outcome = resolver.resolve([Self.probe(reference)])
    let targets = outcome.observations.first?.targets ?? []
    var reason: String?
    if targets.isEmpty {
      // The objective table's own reason, when it has an entry that maps to nothing.
      reason = tableReason(
        kind == .cci ? cciList?.parts[normalized] : nil, cci: kind == .cci ? normalized : nil,
        reference: kind == .sp80053 ? normalized : nil)
    }
    if targets.isEmpty, reason == nil {
      // The resolver's own words (e.g. "maps to no NIST SP 800-171 requirement").
      reason =
        outcome.diagnostics.first { $0.source != "resolve" }?.message
        ?? (kind == .cci
          ? (controls.isEmpty
            ? "\(normalized) is not in the CCI list"
            : "its NIST SP 800-53 controls are not mapped to any NIST SP 800-171 requirement")
          : "no NIST SP 800-171 requirement is mapped to it"
            + (normalized.contains("(") ? " (an enhancement does not borrow its base control's)" : ""))
    }
    return Forward(
      query: text, kind: kind, normalized: normalized, controls: controls, targets: Self.sorted(targets),
      reason: reason)
  }

  /// The basis of the objective-table entry that maps a reference to nothing (for a CCI, its
  /// reference of the revision the resolver uses), or nil.
  private func tableReason(_ parts: CCIList.Parts?, cci: String?, reference: String?) -> String? {
    var candidates: [(String, Int)] = []
    if let parts {
      if !parts.rev4.isEmpty {
        candidates = parts.rev4.map { ($0, 4) }
      } else if !parts.rev5.isEmpty {
        candidates = parts.rev5.map { ($0, 5) }
      } else {
        candidates = parts.rev3.map { ($0, 3) }
      }
    } else if let reference {
      candidates = [(reference, 4)]
    }
    let reasons = candidates.compactMap { (index, revision) -> String? in
      guard case .table(let entry, let matched, _) = resolver.mapping(index, revision: revision, cci: cci),
        entry.objectives.isEmpty
      else { return nil }
      return "Rev \(entry.revision) \(matched): \(entry.basis)"
    }
    return reasons.isEmpty ? nil : "outside the CMMC mapping (" + reasons.joined(separator: "; ") + ")"
  }

  /// The controls (from the catalog and the CCI list) and CCIs that the resolver takes to
  /// `requirement`.
  public func reverse(_ requirement: String) -> Reverse {
    var controls = Set<String>()
    for item in catalog.requirements {
      for control in (item.nist80053?.rev4 ?? []) + (item.nist80053?.rev5 ?? []) { controls.insert(control) }
    }
    if let cciList {
      for list in [cciList.rev4, cciList.rev5] {
        for values in list.values { controls.formUnion(values) }
      }
    }
    // The parts and enhancements the objective table names, beside the controls.
    for entry in catalog.objectiveMap?.entries ?? [] where entry.revision == 4 && entry.cci == nil {
      controls.insert(entry.reference)
    }
    let sortedControls = controls.sorted(by: SP80053Control.ordered)
    let reached = reaching(requirement, references: sortedControls.map { Reference(.sp80053, $0) })
    var ccis: [Mapped] = []
    if let cciList {
      let all = Set(cciList.rev4.keys).union(cciList.rev5.keys).sorted()
      ccis = reaching(requirement, references: all.map { Reference(.cci, $0) })
    }
    return Reverse(requirement: requirement, controls: reached, ccis: ccis)
  }

  private func reaching(_ requirement: String, references: [Reference]) -> [Mapped] {
    let outcome = resolver.resolve(references.map(Self.probe))
    var found: [Mapped] = []
    for (reference, resolved) in zip(references, outcome.observations) {
      for target in resolved.targets where target.requirement == requirement {
        let mapped = Mapped(id: reference.value, objective: target.objective)
        if !found.contains(mapped) { found.append(mapped) }
      }
    }
    return found
  }

  /// A result naming only `reference`, for the resolver.
  static func probe(_ reference: Reference) -> Observation {
    Observation(
      source: "catalog", location: reference.value, kind: .automated, refs: [reference], rawStatus: "",
      status: nil)
  }

  static func sorted(_ targets: [RequirementTarget]) -> [RequirementTarget] {
    targets.sorted { ($0.requirement, $0.objective ?? "") < ($1.requirement, $1.objective ?? "") }
  }

  // MARK: - Text

  /// `poam catalog AC-2` as text: each requirement reached, with its title and the objective
  /// when the mapping names one.
  /// A lookup's answer as poam's deterministic JSON.
  public func json(_ forward: Forward) throws -> String { try JSONOutput.string(forward) }

  public func text(_ forward: Forward) -> String {
    let what = forward.kind == .cci ? forward.normalized : "NIST SP 800-53 \(forward.normalized)"
    var lines: [String] = []
    let asGiven = forward.query.trimmingWhitespace
    if forward.kind == .sp80053,
      asGiven.uppercased().filter({ !$0.isWhitespace })
        != forward.normalized.uppercased().filter({ !$0.isWhitespace })
    {
      lines.append("\(asGiven) is read as \(forward.normalized).")
    }
    if forward.kind == .cci, !forward.controls.isEmpty {
      lines.append("\(forward.normalized) → NIST SP 800-53 \(forward.controls.joined(separator: ", ")) (CCI list)")
    }
    if forward.targets.isEmpty {
      lines.append("\(what) maps to no CMMC requirement: \(forward.reason ?? "no mapping")")
      return lines.joined(separator: "\n") + "\n"
    }
    let requirements = Set(forward.targets.map(\.requirement)).count
    lines.append("\(what) maps to \(Plural.count(requirements, "CMMC requirement")):")
    for target in forward.targets {
      let title = catalog.requirement(id: target.requirement)?.title ?? ""
      let id = target.objective.map { "\(target.requirement)[\($0)]" } ?? target.requirement
      let objective = target.objective == nil ? "  (every objective)" : ""
      lines.append("  \(id)  \(title)\(objective)")
    }
    lines.append(
      "Evidence that reaches a requirement this way is marked indirect (via \(forward.kind == .cci ? "cci" : "nist-800-53"))."
    )
    return lines.joined(separator: "\n") + "\n"
  }

  /// The reverse section printed under a requirement.
  public func text(_ reverse: Reverse) -> String {
    func list(_ items: [Mapped]) -> String {
      items.map { item in item.objective.map { "\(item.id)→[\($0)]" } ?? item.id }.joined(separator: ", ")
    }
    var lines: [String] = [""]
    lines.append("Mapped from (what poam resolves to \(reverse.requirement)):")
    let controls = reverse.controls.isEmpty ? "none" : list(reverse.controls)
    let wrappedControls = TextWrap.wrap(controls, width: 70)
    let controlLabel = "  NIST SP 800-53 (\(reverse.controls.count)): "
    for (index, line) in wrappedControls.enumerated() {
      lines.append((index == 0 ? controlLabel : String(repeating: " ", count: controlLabel.count)) + line)
    }
    if cciList == nil {
      lines.append("  CCIs: give --cci-list U_CCI_List.xml (or POAM_CCI_LIST) to list them")
    } else {
      let label = "  CCIs (\(reverse.ccis.count)): "
      let wrapped = TextWrap.wrap(reverse.ccis.isEmpty ? "none" : list(reverse.ccis), width: 70)
      for (index, line) in wrapped.enumerated() {
        lines.append((index == 0 ? label : String(repeating: " ", count: label.count)) + line)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension SP80053Control {
  /// Orders controls as people read them: family, then number, then enhancement (`AC-2`,
  /// `AC-2(1)`, `AC-2(10)`, `AC-3`).
  public static func ordered(_ lhs: String, _ rhs: String) -> Bool {
    func key(_ control: String) -> (String, Int, Int) {
      let family = String(control.prefix(2))
      let rest = control.dropFirst(3)
      let number = Int(rest.prefix { $0.isNumber }) ?? 0
      let enhancement =
        rest.firstIndex(of: "(").flatMap { open in Int(rest[rest.index(after: open)...].prefix { $0.isNumber }) } ?? -1
      return (family, number, enhancement)
    }
    let (left, right) = (key(lhs), key(rhs))
    // Parts of one control or enhancement (`CM-6 b`, `CM-6 c`) in text order.
    return left < right || (left == right && lhs < rhs)
  }
}
