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
  /// The Level 2 requirements of each control the catalog names, sorted, per revision.
  private let controlIndex: [String: ControlRequirements]

  /// The requirements a control maps to in Rev 4, in Rev 5 and in either, each sorted and
  /// without repeats.
  private struct ControlRequirements {
    var rev4: [String] = []
    var rev5: [String] = []
    var either: [String] = []

    func requirements(revision: Int?) -> [String] {
      revision == 4 ? rev4 : (revision == 5 ? rev5 : either)
    }
  }

  /// Creates a resolver.
  public init(catalog: Catalog, cciList: CCIList? = nil) {
    self.catalog = catalog
    self.cciList = cciList
    self.ids = RequirementIDResolver(catalog: catalog)
    var index: [String: ControlRequirements] = [:]
    for requirement in catalog.requirements(level: .two) {
      for control in requirement.nist80053?.rev4 ?? [] { index[control, default: .init()].rev4.append(requirement.id) }
      for control in requirement.nist80053?.rev5 ?? [] { index[control, default: .init()].rev5.append(requirement.id) }
    }
    self.controlIndex = index.mapValues { found in
      ControlRequirements(
        rev4: Self.sortedUnique(found.rev4), rev5: Self.sortedUnique(found.rev5),
        either: Self.sortedUnique(found.rev4 + found.rev5))
    }
  }

  /// The Level 2 requirements a NIST SP 800-53 control maps to: exact control first, then its
  /// base control for an enhancement the catalog does not list.
  public func requirements(forControl control: String, revision: Int? = nil) -> [String] {
    guard let normalized = SP80053Control.normalize(control) else { return [] }
    func lookup(_ key: String) -> [String] {
      controlIndex[key]?.requirements(revision: revision) ?? []
    }
    let exact = lookup(normalized)
    return exact.isEmpty ? lookup(SP80053Control.base(normalized)) : exact
  }

  /// How often one reference did not resolve, the position of the first observation with it,
  /// and why.
  struct UnresolvedSample: Sendable {
    var count: Int
    var first: Int
    var reason: String
  }

  /// What resolving one run of observations gave, before the runs are put together.
  struct Part: Sendable {
    var resolved: [ResolvedObservation] = []
    var unresolvedByKind: [ReferenceKind: Int] = [:]
    var unresolvedSamples: [Reference: UnresolvedSample] = [:]
    var unmappedObservations: [ReferenceKind: Int] = [:]
    var cciOnlyWithoutList = 0

    /// Adds a later run: its observations after these, its first sightings after these.
    mutating func append(_ later: Part) {
      resolved += later.resolved
      unresolvedByKind.merge(later.unresolvedByKind, uniquingKeysWith: +)
      for (reference, sample) in later.unresolvedSamples {
        unresolvedSamples[reference, default: UnresolvedSample(count: 0, first: sample.first, reason: sample.reason)]
          .count += sample.count
      }
      unmappedObservations.merge(later.unmappedObservations, uniquingKeysWith: +)
      cciOnlyWithoutList += later.cciOnlyWithoutList
    }
  }

  /// The observations a run must have before the resolver splits the work over two cores.
  static let minimumPerPart = 200

  /// Resolves every observation.
  public func resolve(_ observations: [Observation]) -> ResolveOutcome {
    resolve(observations, minimumPerPart: Self.minimumPerPart)
  }

  /// ``resolve(_:)`` with the runs at least `minimumPerPart` long (tests compare both ways).
  func resolve(_ observations: [Observation], minimumPerPart: Int) -> ResolveOutcome {
    // Consecutive runs of observations on both cores, put together in order.
    var parts = Parallel.ranges(observations.count, minimumPerPart: minimumPerPart) { range in
      resolve(observations, range)
    }
    var merged = parts.removeFirst()
    merged.resolved.reserveCapacity(observations.count)
    for part in parts { merged.append(part) }
    return summarize(merged, observations: observations)
  }

  /// Resolves the observations in `range`.
  func resolve(_ observations: [Observation], _ range: Range<Int>) -> Part {
    var cache: [Reference: Swift.Result<[RequirementTarget], ResolutionFailure>] = [:]
    var controls: [ControlKey: [String]] = [:]
    var part = Part()
    part.resolved.reserveCapacity(range.count)

    for position in range {
      let observation = observations[position]
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
          part.unresolvedByKind[reference.kind, default: 0] += 1
          part.unresolvedSamples[
            reference, default: UnresolvedSample(count: 0, first: position, reason: failure.message)
          ]
          .count += 1
        }
      }
      var targets = direct.isEmpty ? indirect : direct
      targets = Self.deduplicate(targets)
      if targets.isEmpty {
        if hasCCI && cciList == nil && !observation.refs.contains(where: { $0.kind == .requirement }) {
          part.cciOnlyWithoutList += 1
        }
        let kind = observation.refs.first?.kind ?? .other
        part.unmappedObservations[kind, default: 0] += 1
      }
      part.resolved.append(ResolvedObservation(observation: observation, targets: targets))
    }

    return part
  }

  /// The outcome of resolved runs put together: unresolved references summarized.
  private func summarize(_ part: Part, observations: [Observation]) -> ResolveOutcome {
    let (unresolvedByKind, unresolvedSamples) = (part.unresolvedByKind, part.unresolvedSamples)
    let (unmappedObservations, cciOnlyWithoutList) = (part.unmappedObservations, part.cciOnlyWithoutList)
    var diagnostics: [Diagnostic] = []
    let samples = unresolvedSamples.sorted {
      let (left, right) = (observations[$0.value.first], observations[$1.value.first])
      return (left.source, left.line ?? 0, $0.key.value) < (right.source, right.line ?? 0, $1.key.value)
    }
    for (reference, sample) in samples where reference.kind == .requirement {
      let times = sample.count > 1 ? " (\(sample.count) times)" : ""
      let first = observations[sample.first]
      diagnostics.append(
        Diagnostic(
          .warning, .unknownRequirement, source: first.source, location: first.location,
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
            .note, .unmappedReference, source: "resolve",
            message:
              "\(values.count) distinct \(kind.rawValue) reference(s) map to no CMMC requirement (e.g. \(examples))"))
      }
    }
    if cciOnlyWithoutList > 0 {
      diagnostics.append(
        Diagnostic(
          .warning, .noCCIList, source: "resolve",
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
          .warning, .unmapped, source: "resolve",
          message:
            "\(unmapped) result(s) resolved to no CMMC requirement and are not scored (by first reference kind: \(parts.joined(separator: ", ")))"
        ))
    }
    return ResolveOutcome(observations: part.resolved, diagnostics: diagnostics, unresolvedByKind: unresolvedByKind)
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
      let rev4Controls = cciList.rev4[cci]
      let rev5Controls = cciList.rev5[cci]
      if rev4Controls == nil && rev5Controls == nil {
        return .failure(ResolutionFailure("\(cci) is not in the CCI list"))
      }
      var found: [String] = []
      for control in rev4Controls ?? [] { found += requirements(forControl: control, revision: 4, cache: &controls) }
      for control in rev5Controls ?? [] { found += requirements(forControl: control, revision: 5, cache: &controls) }
      found = Self.sortedUnique(found)
      return found.isEmpty
        ? .failure(ResolutionFailure("\(cci) maps to NIST SP 800-53 controls with no NIST SP 800-171 requirement"))
        : .success(found.map { RequirementTarget(requirement: $0, via: .cci) })
    default:
      return .success([])
    }
  }

  /// `Array(Set(values)).sorted()`, without hashing: CCIs map to a handful of requirements.
  static func sortedUnique(_ values: [String]) -> [String] {
    if values.count < 2 { return values }
    var unique: [String] = []
    unique.reserveCapacity(values.count)
    for value in values.sorted() where unique.last != value { unique.append(value) }
    return unique
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
