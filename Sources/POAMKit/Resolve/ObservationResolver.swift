import Foundation

/// What resolving gave: every observation with its targets, and what could not be resolved.
public struct ResolveOutcome: Sendable {
  /// Every observation, in input order, with the requirements it speaks to.
  public var observations: [ResolvedObservation]
  /// Unresolved references and observations, summarized.
  public var diagnostics: [Diagnostic]
  /// How many references of each kind could not be resolved.
  public var unresolvedByKind: [ReferenceKind: Int]
}

/// Maps each observation's references to CMMC requirements and objectives: direct IDs in any
/// spelling, NIST SP 800-53 controls through the catalog's mapping, and CCIs through the DISA
/// CCI list. Evidence that reached a requirement only through a mapping is marked indirect.
public struct ObservationResolver: Sendable {
  /// The catalog.
  public let catalog: Catalog
  /// The DISA CCI list, when the user supplied one.
  public let cciList: CCIList?
  private let ids: RequirementIDResolver
  private let rev4Index: [String: [String]]
  private let rev5Index: [String: [String]]

  /// Creates a resolver.
  public init(catalog: Catalog, cciList: CCIList? = nil) {
    self.catalog = catalog
    self.cciList = cciList
    self.ids = RequirementIDResolver(catalog: catalog)
    var rev4: [String: [String]] = [:]
    var rev5: [String: [String]] = [:]
    for requirement in catalog.requirements(level: .two) {
      for control in requirement.nist80053?.rev4 ?? [] { rev4[control, default: []].append(requirement.id) }
      for control in requirement.nist80053?.rev5 ?? [] { rev5[control, default: []].append(requirement.id) }
    }
    self.rev4Index = rev4
    self.rev5Index = rev5
  }

  /// The Level 2 requirements a NIST SP 800-53 control maps to: exact control first, then its
  /// base control for an enhancement the catalog does not list.
  public func requirements(forControl control: String, revision: Int? = nil) -> [String] {
    guard let normalized = SP80053Control.normalize(control) else { return [] }
    func lookup(_ key: String) -> [String] {
      let fours = revision == 5 ? [] : rev4Index[key] ?? []
      let fives = revision == 4 ? [] : rev5Index[key] ?? []
      return Array(Set(fours + fives)).sorted()
    }
    let exact = lookup(normalized)
    return exact.isEmpty ? lookup(SP80053Control.base(normalized)) : exact
  }

  /// Resolves every observation.
  public func resolve(_ observations: [Observation]) -> ResolveOutcome {
    var cache: [Reference: Swift.Result<[RequirementTarget], ResolutionFailure>] = [:]
    var controls: [ControlKey: [String]] = [:]
    var unresolvedByKind: [ReferenceKind: Int] = [:]
    var unresolvedSamples: [Reference: (count: Int, first: Observation, reason: String)] = [:]
    var unmappedObservations: [ReferenceKind: Int] = [:]
    var cciOnlyWithoutList = 0
    var resolved: [ResolvedObservation] = []
    resolved.reserveCapacity(observations.count)

    for observation in observations {
      var direct: [RequirementTarget] = []
      var indirect: [RequirementTarget] = []
      var hasCCI = false
      for reference in observation.refs {
        switch reference.kind {
        case .requirement, .cci, .sp80053: break
        default: continue
        }
        if reference.kind == .cci { hasCCI = true }
        if reference.kind == .cci, cciList == nil { continue }
        let outcome: Swift.Result<[RequirementTarget], ResolutionFailure>
        if let cached = cache[reference] {
          outcome = cached
        } else {
          outcome = targets(for: reference, controls: &controls)
          cache[reference] = outcome
        }
        switch outcome {
        case .success(let targets):
          for target in targets {
            if target.via == .direct { direct.append(target) } else { indirect.append(target) }
          }
        case .failure(let failure):
          let reason = failure.message
          unresolvedByKind[reference.kind, default: 0] += 1
          if let existing = unresolvedSamples[reference] {
            unresolvedSamples[reference] = (existing.count + 1, existing.first, existing.reason)
          } else {
            unresolvedSamples[reference] = (1, observation, reason)
          }
        }
      }
      var targets = direct.isEmpty ? indirect : direct
      targets = Self.deduplicate(targets)
      if targets.isEmpty {
        if hasCCI && cciList == nil && !observation.refs.contains(where: { $0.kind == .requirement }) {
          cciOnlyWithoutList += 1
        }
        let kind = observation.refs.first?.kind ?? .other
        unmappedObservations[kind, default: 0] += 1
      }
      resolved.append(ResolvedObservation(observation: observation, targets: targets))
    }

    var diagnostics: [Diagnostic] = []
    let samples = unresolvedSamples.sorted {
      ($0.value.first.source, $0.value.first.line ?? 0, $0.key.value) < (
        $1.value.first.source, $1.value.first.line ?? 0, $1.key.value
      )
    }
    for (reference, sample) in samples where reference.kind == .requirement {
      let times = sample.count > 1 ? " (\(sample.count) times)" : ""
      diagnostics.append(
        Diagnostic(
          .warning, source: sample.first.source, location: sample.first.location,
          message: "\(sample.reason)\(times)"))
    }
    let otherUnresolved = samples.filter { $0.key.kind != .requirement }
    if !otherUnresolved.isEmpty {
      var byKind: [ReferenceKind: [String]] = [:]
      for (reference, _) in otherUnresolved { byKind[reference.kind, default: []].append(reference.value) }
      for (kind, values) in byKind.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        let examples = values.sorted().prefix(5).joined(separator: ", ")
        diagnostics.append(
          Diagnostic(
            .note, source: "resolve",
            message:
              "\(values.count) distinct \(kind.rawValue) reference(s) map to no CMMC requirement (e.g. \(examples))"))
      }
    }
    if cciOnlyWithoutList > 0 {
      diagnostics.append(
        Diagnostic(
          .warning, source: "resolve",
          message:
            "\(cciOnlyWithoutList) result(s) carry only CCI references and no CCI list was given: \(CCIList.hint)"
        ))
    }
    let unmapped = unmappedObservations.values.reduce(0, +)
    if unmapped > 0 {
      let parts = unmappedObservations.sorted { $0.key.rawValue < $1.key.rawValue }.map {
        "\($0.key.rawValue) \($0.value)"
      }
      diagnostics.append(
        Diagnostic(
          .warning, source: "resolve",
          message:
            "\(unmapped) result(s) resolved to no CMMC requirement and are not scored (by first reference kind: \(parts.joined(separator: ", ")))"
        ))
    }
    return ResolveOutcome(observations: resolved, diagnostics: diagnostics, unresolvedByKind: unresolvedByKind)
  }

  /// A control as a CCI list writes it, and the revision of the list's column.
  private struct ControlKey: Hashable {
    var control: String
    var revision: Int
  }

  /// ``requirements(forControl:revision:)``, remembered: CCIs share controls.
  private func requirements(
    forControl control: String, revision: Int, cache: inout [ControlKey: [String]]
  ) -> [String] {
    let key = ControlKey(control: control, revision: revision)
    if let known = cache[key] { return known }
    let found = requirements(forControl: control, revision: revision)
    cache[key] = found
    return found
  }

  private func targets(
    for reference: Reference, controls: inout [ControlKey: [String]]
  ) -> Swift.Result<[RequirementTarget], ResolutionFailure> {
    switch reference.kind {
    case .requirement:
      switch ids.resolve(reference.value) {
      case .success(let id):
        return .success([RequirementTarget(requirement: id.requirement, objective: id.objective, via: .direct)])
      case .failure(let error):
        return .failure(ResolutionFailure(error.localizedDescription))
      }
    case .sp80053:
      let found = requirements(forControl: reference.value)
      return found.isEmpty
        ? .failure(ResolutionFailure("NIST SP 800-53 \(reference.value) maps to no NIST SP 800-171 requirement"))
        : .success(found.map { RequirementTarget(requirement: $0, via: .sp80053) })
    case .cci:
      guard let cciList, let cci = CCIList.normalize(reference.value) else {
        return .failure(ResolutionFailure("\(reference.value) is not a CCI"))
      }
      let rev4 = (cciList.rev4[cci] ?? []).flatMap {
        requirements(forControl: $0, revision: 4, cache: &controls)
      }
      let rev5 = (cciList.rev5[cci] ?? []).flatMap {
        requirements(forControl: $0, revision: 5, cache: &controls)
      }
      let found = Array(Set(rev4 + rev5)).sorted()
      if cciList.rev4[cci] == nil && cciList.rev5[cci] == nil {
        return .failure(ResolutionFailure("\(cci) is not in the CCI list"))
      }
      return found.isEmpty
        ? .failure(ResolutionFailure("\(cci) maps to NIST SP 800-53 controls with no NIST SP 800-171 requirement"))
        : .success(found.map { RequirementTarget(requirement: $0, via: .cci) })
    default:
      return .success([])
    }
  }

  static func deduplicate(_ targets: [RequirementTarget]) -> [RequirementTarget] {
    if targets.count < 2 { return targets }
    // Sorted, the targets for one requirement and objective are next to each other: keep the first.
    var best: [RequirementTarget] = []
    for target in targets.sorted(by: {
      ($0.requirement, $0.objective ?? "", $0.via) < ($1.requirement, $1.objective ?? "", $1.via)
    }) {
      if let last = best.last, last.requirement == target.requirement,
        (last.objective ?? "") == (target.objective ?? "")
      {
        continue
      }
      best.append(target)
    }
    return best
  }
}

/// Why one reference did not resolve.
struct ResolutionFailure: Error, Hashable, Sendable {
  let message: String
  init(_ message: String) { self.message = message }
}
