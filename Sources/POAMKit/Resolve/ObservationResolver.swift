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
  /// The catalog's objective table, by revision, reference and CCI.
  private let objectiveIndex: [SP80053ObjectiveMap.Key: SP80053ObjectiveMap.Entry]

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
    self.objectiveIndex = catalog.objectiveMap?.index() ?? [:]
    self.controlIndex = index.mapValues { found in
      ControlRequirements(
        rev4: Self.sortedUnique(found.rev4), rev5: Self.sortedUnique(found.rev5),
        either: Self.sortedUnique(found.rev4 + found.rev5))
    }
  }

  /// The Level 2 requirements whose NIST SP 800-171 Appendix D row (or NIST's Rev 5 mapping)
  /// names a NIST SP 800-53 control or enhancement. An enhancement the catalog does not list
  /// does not fall back to its base control: Appendix D left it out on purpose.
  public func requirements(forControl control: String, revision: Int? = nil) -> [String] {
    guard let normalized = SP80053Control.normalize(control) else { return [] }
    return controlIndex[normalized]?.requirements(revision: revision) ?? []
  }

  /// What one NIST SP 800-53 reference of one revision maps to.
  enum PartMapping: Equatable {
    /// The table's entry at the most specific level it has: the objectives (maybe none).
    case table(entry: SP80053ObjectiveMap.Entry, reference: String, level: String)
    /// No table entry: the requirements whose Appendix D row names the control, at
    /// requirement level.
    case appendixD(control: String, requirements: [String])
    /// Nothing.
    case none
  }

  /// Maps one reference of one revision through the objective table: the entry for this CCI,
  /// then the part's own, at the part, then its enhancement, then (for a part of a base control)
  /// the control. A Rev 3 index uses a Rev 3 entry, else the Rev 4 entry of the same index.
  /// Without an entry, a control or enhancement that an Appendix D row names reaches that
  /// row's requirements at requirement level.
  /// A tool's own tag (`anyRow`) does not say its revision: without a table entry it reaches the
  /// rows of either revision's mapping.
  func mapping(_ reference: String, revision: Int, cci: String?, anyRow: Bool = false) -> PartMapping {
    let revisions = revision == 3 ? [3, 4] : [revision]
    let levels = SP80053Part.levels(reference)
    for (candidate, level) in levels {
      for revision in revisions {
        if let cci, let entry = objectiveIndex[.init(revision: revision, reference: candidate, cci: cci)] {
          return .table(entry: entry, reference: candidate, level: level)
        }
        if let entry = objectiveIndex[.init(revision: revision, reference: candidate, cci: "")] {
          return .table(entry: entry, reference: candidate, level: level)
        }
      }
    }
    guard let control = SP80053Part.control(in: levels) else { return .none }
    let found = controlIndex[control]?.requirements(revision: anyRow ? nil : (revision == 5 ? 5 : 4)) ?? []
    return found.isEmpty ? .none : .appendixD(control: control, requirements: found)
  }

  /// How often one reference did not resolve, the first observation with it (its input's
  /// place, its place in the input, where it is), and why.
  struct UnresolvedSample: Sendable {
    var count: Int
    var input: Int = 0
    var first: Int
    var source: String = ""
    var location: String = ""
    var line: Int? = nil
    var reason: String
    var group: ResolutionFailure.Reason = .other

    /// True when this sighting comes before `other` in the run.
    func precedes(_ other: UnresolvedSample) -> Bool { (input, first) < (other.input, other.first) }
  }

  /// What resolving some observations gave: merged with other parts in any order, the same whole.
  struct Part: Sendable {
    var resolved: [ResolvedObservation] = []
    var unresolvedByKind: [ReferenceKind: Int] = [:]
    var unresolvedSamples: [Reference: UnresolvedSample] = [:]
    var unmappedObservations: [ReferenceKind: Int] = [:]
    var cciOnlyWithoutList = 0

    /// Adds a later run: its observations after these; the first sighting of each reference kept.
    mutating func append(_ later: Part) {
      resolved += later.resolved
      unresolvedByKind.merge(later.unresolvedByKind, uniquingKeysWith: +)
      for (reference, sample) in later.unresolvedSamples {
        if var known = unresolvedSamples[reference] {
          known.count += sample.count
          if sample.precedes(known) {
            let count = known.count
            known = sample
            known.count = count
          }
          unresolvedSamples[reference] = known
        } else {
          unresolvedSamples[reference] = sample
        }
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
    return summarize(merged)
  }

  /// The outcome of parts resolved and merged (``Part/append(_:)``): the diagnostics, and the
  /// part's observations.
  func finish(_ part: Part) -> ResolveOutcome { summarize(part) }

  /// Resolves the observations in `range` of input number `input`, the first of `observations`
  /// being the input's observation number `firstPosition`.
  func resolve(_ observations: [Observation], _ range: Range<Int>, input: Int = 0, firstPosition: Int = 0) -> Part {
    var cache = TargetCache()
    return resolve(observations, range, input: input, firstPosition: firstPosition, cache: &cache)
  }

  /// What references resolved to, kept from one run of observations to the next (a scan names
  /// the same few hundred checks on every host), up to ``limit`` references.
  struct TargetCache: Sendable {
    /// References beyond this many are resolved again each time they come: a run of unique
    /// references (a million-row sheet) does not grow the cache.
    static let limit = 16_384
    fileprivate var targets: [Reference: Swift.Result<[RequirementTarget], ResolutionFailure>] = [:]
    /// The references resolved since ``learning()`` made this copy.
    fileprivate var learned: [Reference] = []

    /// A copy that records what it learns from here on, to be merged back.
    func learning() -> TargetCache {
      var copy = self
      copy.learned = []
      return copy
    }

    /// ``merge(_:)`` of a copy made by ``learning()`` from this cache as it still is: the
    /// copy's references are this cache's and what it learned, so it is taken whole.
    mutating func adopt(_ other: TargetCache) {
      let learned = self.learned + other.learned
      self = other
      self.learned = learned
    }

    /// Adds what `other` learned (since its ``learning()`` copy) that this cache does not know,
    /// within the limit.
    mutating func merge(_ other: TargetCache) {
      for reference in other.learned where targets[reference] == nil {
        guard let outcome = other.targets[reference] else { continue }
        learn(reference, outcome)
      }
    }

    /// Keeps what a reference resolved to, unless the cache is full.
    mutating func learn(_ reference: Reference, _ outcome: Swift.Result<[RequirementTarget], ResolutionFailure>) {
      guard targets.count < Self.limit else { return }
      targets[reference] = outcome
      learned.append(reference)
    }
  }

  /// ``resolve(_:_:input:firstPosition:)`` with what earlier runs resolved in `cache`; what
  /// this run resolves is added to it.
  func resolve(
    _ observations: [Observation], _ range: Range<Int>, input: Int = 0, firstPosition: Int = 0,
    cache: inout TargetCache
  ) -> Part {
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
        if let cached = cache.targets[reference] {
          outcome = cached
        } else {
          outcome = targets(for: reference)
          cache.learn(reference, outcome)
        }
        switch outcome {
        case .success(let targets):
          for target in targets {
            if target.via == .direct { direct.append(target) } else { indirect.append(target) }
          }
        case .failure(let failure):
          part.unresolvedByKind[reference.kind, default: 0] += 1
          part.unresolvedSamples[
            reference,
            default: UnresolvedSample(
              count: 0, input: input, first: firstPosition + position, source: observation.source,
              location: observation.location,
              line: observation.line, reason: failure.message, group: failure.reason)
          ]
          .count += 1
        }
      }
      var targets = direct.isEmpty ? indirect : Self.narrow(direct, by: indirect)
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
  private func summarize(_ part: Part) -> ResolveOutcome {
    let (unresolvedByKind, unresolvedSamples) = (part.unresolvedByKind, part.unresolvedSamples)
    let (unmappedObservations, cciOnlyWithoutList) = (part.unmappedObservations, part.cciOnlyWithoutList)
    var diagnostics: [Diagnostic] = []
    let samples = unresolvedSamples.sorted {
      let (left, right) = ($0.value, $1.value)
      return (left.source, left.line ?? 0, $0.key.value) < (right.source, right.line ?? 0, $1.key.value)
    }
    for (reference, sample) in samples where reference.kind == .requirement {
      let times = sample.count > 1 ? " (\(sample.count) times)" : ""
      diagnostics.append(
        Diagnostic(
          .warning, .unknownRequirement, source: sample.source, location: sample.location,
          message: "\(sample.reason)\(times)"))
    }
    let otherUnresolved = samples.filter { $0.key.kind != .requirement }
    if !otherUnresolved.isEmpty {
      // One note per kind of reference and reason, each with examples that say why.
      struct Group: Hashable {
        var kind: ReferenceKind
        var reason: ResolutionFailure.Reason
      }
      var groups: [Group: [(String, String)]] = [:]
      for (reference, sample) in otherUnresolved {
        groups[Group(kind: reference.kind, reason: sample.group), default: []].append((reference.value, sample.reason))
      }
      for (group, values) in groups.sorted(by: {
        ($0.key.kind.rawValue, $0.key.reason.rawValue) < ($1.key.kind.rawValue, $1.key.reason.rawValue)
      }) {
        let examples = values.sorted { $0.0 < $1.0 }.prefix(5).map(\.1).joined(separator: "; ")
        diagnostics.append(
          Diagnostic(
            .note, .unmappedReference, source: "resolve",
            message:
              "\(Plural.number(values.count)) distinct \(group.kind.rawValue) \(Plural.noun(values.count, "reference")) \(group.reason.phrase(count: values.count)) (e.g. \(examples))"
          ))
      }
    }
    if cciOnlyWithoutList > 0 {
      diagnostics.append(
        Diagnostic(
          .warning, .noCCIList, source: "resolve",
          message:
            "\(Plural.count(cciOnlyWithoutList, "result")) \(Plural.noun(cciOnlyWithoutList, "carries", "carry")) only CCI references and no CCI list was given: \(CCIList.hint)"
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
            "\(Plural.count(unmapped, "result")) resolved to no CMMC requirement and \(Plural.noun(unmapped, "is", "are")) not scored (by first reference kind: \(parts.joined(separator: ", ")))"
        ))
    }
    return ResolveOutcome(observations: part.resolved, diagnostics: diagnostics, unresolvedByKind: unresolvedByKind)
  }

  private func targets(for reference: Reference) -> Swift.Result<[RequirementTarget], ResolutionFailure> {
    switch reference.kind {
    case .requirement:
      switch ids.resolve(reference.value) {
      case .success(let id):
        return .success([RequirementTarget(requirement: id.requirement, objective: id.objective, via: .direct)])
      case .failure(let error):
        return .failure(ResolutionFailure(error.localizedDescription))
      }
    case .sp80053:
      // A tool's own 800-53 tag (HDF `tags.nist`, a spreadsheet column) is read as Rev 4, the
      // revision Appendix D is written in.
      guard let part = SP80053Part.canonical(reference.value) else {
        return .failure(ResolutionFailure("\(reference.value) is not a NIST SP 800-53 reference", .notInList))
      }
      let mapped = targets(
        mapping(part, revision: 4, cci: nil, anyRow: true), revision: 4, path: .sp80053, label: part)
      return mapped.isEmpty
        ? .failure(ResolutionFailure("NIST SP 800-53 \(reference.value) maps to no CMMC objective", .outsideMapping))
        : .success(mapped)
    case .cci:
      guard let cciList, let cci = CCIList.normalize(reference.value) else {
        return .failure(ResolutionFailure("\(reference.value) is not a CCI", .notInList))
      }
      guard let parts = cciList.parts[cci], !(parts.rev4.isEmpty && parts.rev5.isEmpty && parts.rev3.isEmpty)
      else {
        return .failure(ResolutionFailure("\(cci) is not in the CCI list", .notInList))
      }
      // One precedence: the Rev 4 reference when there is one, else Rev 5, else Rev 3.
      let (revision, indices) =
        !parts.rev4.isEmpty ? (4, parts.rev4) : (!parts.rev5.isEmpty ? (5, parts.rev5) : (3, parts.rev3))
      var found: [RequirementTarget] = []
      for index in indices {
        found += targets(mapping(index, revision: revision, cci: cci), revision: revision, path: .cci, label: cci)
      }
      if found.isEmpty {
        let written = indices.joined(separator: "; ")
        if revision == 3 {
          return .failure(
            ResolutionFailure(
              "\(cci) has only a Rev 3 reference (\(written)) and no CMMC objective maps it", .rev3Only))
        }
        return .failure(
          ResolutionFailure(
            "\(cci) (Rev \(revision) \(written)) is outside the CMMC mapping", .outsideMapping))
      }
      return .success(found)
    default:
      return .success([])
    }
  }

  /// The targets of one mapping, each saying how it was reached.
  private func targets(_ mapping: PartMapping, revision: Int, path: ResolutionPath, label: String)
    -> [RequirementTarget]
  {
    switch mapping {
    case .table(let entry, let reference, let level):
      let route =
        "\(label) → NIST SP 800-53 Rev \(entry.revision) \(reference) (\(level)\(entry.cci == nil ? "" : ", this CCI"))"
      return entry.objectives.compactMap { objective in
        guard let (requirement, letter) = SP80053ObjectiveMap.split(objective) else { return nil }
        return RequirementTarget(requirement: requirement, objective: letter, via: path, mapping: route)
      }
    case .appendixD(let control, let requirements):
      let route =
        "\(label) → NIST SP 800-53 Rev \(revision == 3 ? 4 : revision) \(control) (control, Appendix D row, requirement level)"
      return requirements.map { RequirementTarget(requirement: $0, via: path, mapping: route) }
    case .none:
      return []
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

  /// A source that names a requirement directly identifies it; a CCI or 800-53 reference on the
  /// same result that the table maps inside that requirement narrows a requirement-level target
  /// to those objectives.
  static func narrow(_ direct: [RequirementTarget], by mapped: [RequirementTarget]) -> [RequirementTarget] {
    if mapped.isEmpty { return direct }
    var result: [RequirementTarget] = []
    for target in direct {
      let inside = mapped.filter { $0.requirement == target.requirement && $0.objective != nil }
      if target.objective == nil, !inside.isEmpty {
        result += inside.map {
          RequirementTarget(requirement: target.requirement, objective: $0.objective, via: .direct, mapping: $0.mapping)
        }
      } else {
        result.append(target)
      }
    }
    return result
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
  /// Why, in groups the diagnostics can name truthfully.
  enum Reason: String, Hashable, Sendable {
    case notInList = "are not in the CCI list or not references"
    case outsideMapping = "are outside the CMMC mapping (their NIST SP 800-53 part tests no CMMC objective)"
    case rev3Only = "have only a Rev 3 reference that maps to no CMMC objective"
    case other = "map to no CMMC requirement"

    /// The reason said of `count` references: the raw value (plural), or its singular form.
    func phrase(count: Int) -> String {
      guard count == 1 else { return rawValue }
      switch self {
      case .notInList: return "is not in the CCI list or not a reference"
      case .outsideMapping: return "is outside the CMMC mapping (its NIST SP 800-53 part tests no CMMC objective)"
      case .rev3Only: return "has only a Rev 3 reference that maps to no CMMC objective"
      case .other: return "maps to no CMMC requirement"
      }
    }
  }
  let message: String
  let reason: Reason
  init(_ message: String, _ reason: Reason = .other) {
    self.message = message
    self.reason = reason
  }
}
