import Foundation

/// Where one piece of evidence sits among all the evidence of a run: its file, the place of its
/// input among the run's inputs (sorted by name), the place of its result in that input, and
/// its place among the requirements and objectives the result reaches. A total order that does
/// not depend on how the inputs were named or split between readers; sorted by it, evidence
/// comes by file and then in file order, as the importers read it.
struct EvidencePosition: Hashable, Sendable, Comparable {
  /// The input file the evidence names (``Evidence/source``).
  var source: String
  /// The input's place in the run.
  var input: Int
  /// The result's place in its input.
  var result: Int
  /// The place among the result's credits.
  var credit: Int

  static func < (lhs: EvidencePosition, rhs: EvidencePosition) -> Bool {
    (lhs.source, lhs.input, lhs.result, lhs.credit) < (rhs.source, rhs.input, rhs.result, rhs.credit)
  }
}

/// A result held by reference (``Finding/pending``); equal when the results are.
final class PendingResult: Sendable, Hashable {
  let observation: Observation

  init(_ observation: Observation) { self.observation = observation }

  static func == (lhs: PendingResult, rhs: PendingResult) -> Bool { lhs.observation == rhs.observation }

  func hash(into hasher: inout Hasher) { hasher.combine(observation) }
}

/// One piece of evidence on an in-scope requirement, with the status the roll-up uses.
struct Finding: Sendable, Hashable {
  /// The evidence as reported.
  var evidence: Evidence
  /// The status the roll-up uses: the observation's status after an explicit partial-credit
  /// value was applied (nil: the status word was not recognised).
  let effective: Status?
  /// Where it sits in the run, to keep file order.
  var position: EvidencePosition
  /// The result whose detail line is still to be written (``Evidence/detail`` is empty): the
  /// line is written once the finding is known to be listed, at the end of the run, not each
  /// time a finding is kept for a while as one of the worst so far.
  var pending: Observation? {
    get { pendingResult?.observation }
    set { pendingResult = newValue.map(PendingResult.init) }
  }
  /// ``pending``, held by reference: findings move about in exemplar lists (an insertion shifts
  /// the ones after it), and a result inline would make each finding twice as large.
  private var pendingResult: PendingResult?
  /// How bad it is, before its place: the sort key of ``worseFirst(_:_:)``, worked out once.
  private let badness: Int32
  /// Assessor determination or automated check.
  var kind: ObservationKind { evidence.kind }

  init(evidence: Evidence, effective: Status?, position: EvidencePosition) {
    self.evidence = evidence
    self.effective = effective
    self.position = position
    // Status, then basis, then category, each well under 16 values wide.
    let status = (effective?.severity ?? -1) + 1
    badness = Int32((status * 16 + evidence.kind.basis.rank) * 16 + Self.categoryRank(evidence.severity))
  }

  /// "Worst first": NOT MET over partial over not assessed over MET over N/A (an unrecognised
  /// status last), then an assessor's determination over a person's review over a tool's check,
  /// then the higher STIG category, then the run's order.
  static func worseFirst(_ lhs: Finding, _ rhs: Finding) -> Bool {
    if lhs.badness != rhs.badness { return lhs.badness > rhs.badness }
    return lhs.position < rhs.position
  }

  /// 3 for CAT I / high, 2 for CAT II / medium, 1 for CAT III / low, 0 otherwise.
  static func categoryRank(_ severity: String?) -> Int {
    guard let severity = severity?.lowercased() else { return 0 }
    switch severity {
    case "cat i", "high", "critical", "i": return 3
    case "cat ii", "medium", "moderate", "ii": return 2
    case "cat iii", "low", "iii": return 1
    default: return 0
    }
  }
}

/// What one objective's evidence comes to: exactly what the roll-up decides from, without the
/// evidence itself.
struct ObjectiveTally: Sendable, Hashable {
  /// A kind of evidence and the status the roll-up uses.
  struct Key: Hashable, Sendable {
    var kind: ObservationKind
    var status: Status?
  }

  /// One "source on asset" that a conflict message may name, and where it first appears.
  struct SourceExample: Hashable, Sendable {
    /// The input file.
    var source: String
    /// The asset, when the evidence names one.
    var asset: String?
    var position: EvidencePosition

    /// `source on asset`, or the source alone.
    var text: String { source + (asset.map { " on \($0)" } ?? "") }

    /// Whether both name the same source on the same asset (compared without building texts:
    /// most evidence repeats the text already listed).
    func sameText(as other: SourceExample) -> Bool { source == other.source && asset == other.asset }
  }

  /// How many pieces of evidence of each kind and status name the objective (or, under the
  /// key `""`, the whole requirement).
  var counts: [Key: Int] = [:]
  /// For checklist and tool evidence, by status: the first few distinct `source on asset`
  /// texts, in evidence order (what a conflict message names).
  var toolSources: [Status: [SourceExample]] = [:]

  /// How many examples a conflict message needs: it names three and says when there are more.
  static let sourceExampleLimit = 4

  mutating func add(_ finding: Finding) {
    counts[Key(kind: finding.kind, status: finding.effective), default: 0] += 1
    guard finding.kind != .assessor, let status = finding.effective else { return }
    // A full list keeps only earlier examples: most evidence is turned away before its text is built.
    if let list = toolSources[status], list.count == Self.sourceExampleLimit,
      let last = list.last, !(finding.position < last.position)
    {
      return
    }
    Self.insert(
      SourceExample(source: finding.evidence.source, asset: finding.evidence.asset, position: finding.position),
      into: &toolSources[status, default: []])
  }

  mutating func merge(_ other: ObjectiveTally) {
    counts.merge(other.counts, uniquingKeysWith: +)
    for (status, examples) in other.toolSources {
      for example in examples { Self.insert(example, into: &toolSources[status, default: []]) }
    }
  }

  /// Keeps the first ``sourceExampleLimit`` distinct texts by their first position.
  static func insert(_ example: SourceExample, into list: inout [SourceExample]) {
    if let index = list.firstIndex(where: { $0.sameText(as: example) }) {
      guard example.position < list[index].position else { return }
      list.remove(at: index)
    } else if list.count == sourceExampleLimit, let last = list.last, !(example.position < last.position) {
      return
    }
    let at = list.firstIndex { example.position < $0.position } ?? list.endIndex
    list.insert(example, at: at)
    if list.count > sourceExampleLimit { list.removeLast() }
  }

  /// The distinct texts of all the lists, in evidence order.
  static func union(_ lists: [[SourceExample]]) -> [String] {
    var first: [String: EvidencePosition] = [:]
    for example in lists.joined() where first[example.text].map({ example.position < $0 }) ?? true {
      first[example.text] = example.position
    }
    return first.sorted { $0.value < $1.value }.map(\.key)
  }
}

/// What one requirement's evidence comes to, folded as it is read: counts by objective, kind
/// and status (what the roll-up decides from), the assets by status, the first pair of
/// contradicting assessor determinations per asset and objective, and the worst few pieces of
/// evidence as exemplars. It holds no more than the requirement's objectives × assets, however
/// many results speak to it; folding the same evidence in any order or grouping gives the same
/// tally.
struct RequirementTally: Sendable {
  /// One assessor determination, as much of it as a contradiction names: where it is and what
  /// it says. (A whole ``Finding`` per asset and objective would hold every result's text: a
  /// million-row sheet of one row per asset and objective kept a million of them.)
  struct AssessorMark: Sendable {
    var position: EvidencePosition
    var status: Status
    var location: String

    init(_ finding: Finding, status: Status) {
      position = finding.position
      self.status = status
      location = finding.evidence.location
    }

    /// `file:location`, or the file alone.
    var place: String { location.isEmpty ? position.source : "\(position.source):\(location)" }
  }

  /// The first satisfied and first unsatisfied assessor determination for one asset and
  /// objective.
  struct AssessorPair: Sendable {
    var pass: AssessorMark?
    var fail: AssessorMark?

    /// Where the first of either appears.
    var first: EvidencePosition {
      switch (pass, fail) {
      case (let pass?, let fail?): return min(pass.position, fail.position)
      case (let pass?, nil): return pass.position
      case (nil, let fail?): return fail.position
      case (nil, nil): preconditionFailure("a pair holds a determination")
      }
    }

    mutating func merge(_ other: AssessorPair) {
      if let pass = other.pass, self.pass.map({ pass.position < $0.position }) ?? true { self.pass = pass }
      if let fail = other.fail, self.fail.map({ fail.position < $0.position }) ?? true { self.fail = fail }
    }

    /// The asset and objective of a pair's key (``RequirementTally/assessorKey(asset:objective:)``).
    static func split(_ key: String) -> (asset: String?, objective: String?) {
      guard let bar = key.lastIndex(of: "|") else { return (key.isEmpty ? nil : key, nil) }
      let asset = String(key[..<bar])
      let objective = String(key[key.index(after: bar)...])
      return (asset.isEmpty ? nil : asset, objective == "*" ? nil : objective)
    }
  }

  /// The key of an asset and objective's assessor pair.
  static func assessorKey(asset: String?, objective: String?) -> String {
    (asset ?? "") + "|" + (objective ?? "*")
  }

  /// By objective letter; `""` for evidence about the whole requirement.
  var objectives: [String: ObjectiveTally] = [:]
  /// The worst ``EvidenceTally/exemplarLimit`` findings, worst first.
  var exemplars: [Finding] = []
  /// Every piece of evidence folded.
  var total = 0
  /// The pieces that named the requirement directly (not through a mapping).
  var direct = 0
  /// Pieces by reported status and kind.
  var counts: [ObjectiveTally.Key: Int] = [:]
  /// Assets (interned, ``EvidenceTally/assets``) by reported status; nil holds an
  /// unrecognised status.
  var assets: [Status?: Set<Int32>] = [:]
  /// Direct assessor determinations by asset and objective (`asset|objective`).
  var assessorPairs: [String: AssessorPair] = [:]

  /// Adds a finding. `pending` is the result of a finding that has no detail line yet: it is
  /// kept with the finding when the finding is kept as an exemplar, and the line is written for
  /// the exemplars left at the end (``Finding/pending``); evidence that is only counted has none.
  mutating func add(_ finding: Finding, asset: Int32?, limit: Int, bar: Finding? = nil, pending: Observation? = nil) {
    var finding = finding
    total += 1
    if finding.evidence.via == .direct { direct += 1 }
    counts[ObjectiveTally.Key(kind: finding.kind, status: finding.evidence.status), default: 0] += 1
    if let asset { assets[finding.evidence.status, default: []].insert(asset) }
    objectives[finding.evidence.objective ?? "", default: ObjectiveTally()].add(finding)
    if finding.kind == .assessor, finding.evidence.via == .direct, let status = finding.effective,
      status != .notAssessed
    {
      // The pair keeps where the determination is, not its text: no detail line is built for it.
      let key = Self.assessorKey(asset: finding.evidence.asset, objective: finding.evidence.objective)
      let mark = AssessorMark(finding, status: status)
      let pair = AssessorPair(pass: status.isSatisfied ? mark : nil, fail: status.isSatisfied ? nil : mark)
      if assessorPairs[key] == nil { assessorPairs[key] = pair } else { assessorPairs[key]!.merge(pair) }
    }
    guard Self.admits(finding, into: exemplars, limit: limit) else { return }
    // No better than what the tally this one joins already keeps: it would be dropped there.
    if let bar, !Finding.worseFirst(finding, bar) { return }
    if finding.evidence.detail.isEmpty { finding.pending = pending }
    Self.insert(finding, into: &exemplars, limit: limit)
  }

  /// Adds another tally; `assetMap` turns its asset numbers into this one's.
  mutating func merge(_ other: RequirementTally, assetMap: [Int32], limit: Int) {
    total += other.total
    direct += other.direct
    counts.merge(other.counts, uniquingKeysWith: +)
    for (status, set) in other.assets { assets[status, default: []].formUnion(set.map { assetMap[Int($0)] }) }
    for (letter, tally) in other.objectives { objectives[letter, default: ObjectiveTally()].merge(tally) }
    for (key, pair) in other.assessorPairs {
      if assessorPairs[key] == nil { assessorPairs[key] = pair } else { assessorPairs[key]!.merge(pair) }
    }
    exemplars = Self.merged(exemplars, other.exemplars, limit: limit)
  }

  /// Two lists, each worst first, as one of at most `limit`: what inserting the second's
  /// findings one by one into the first gives (``insert(_:into:limit:)``: on a tie the first
  /// list's finding stays ahead), in one pass.
  static func merged(_ first: [Finding], _ second: [Finding], limit: Int) -> [Finding] {
    if second.isEmpty { return first.count > limit ? Array(first.prefix(limit)) : first }
    var result: [Finding] = []
    result.reserveCapacity(min(limit, first.count + second.count))
    var (i, j) = (0, 0)
    while result.count < limit, i < first.count || j < second.count {
      if j == second.count || (i < first.count && !Finding.worseFirst(second[j], first[i])) {
        result.append(first[i])
        i += 1
      } else {
        result.append(second[j])
        j += 1
      }
    }
    return result
  }

  /// Whether ``insert(_:into:limit:)`` would keep the finding.
  static func admits(_ finding: Finding, into list: [Finding], limit: Int) -> Bool {
    !(list.count >= limit && list.last.map { !Finding.worseFirst(finding, $0) } == true)
  }

  static func insert(_ finding: Finding, into list: inout [Finding], limit: Int) {
    guard admits(finding, into: list, limit: limit) else { return }
    let at = list.firstIndex { Finding.worseFirst(finding, $0) } ?? list.endIndex
    list.insert(finding, at: at)
    if list.count > limit { list.removeLast() }
  }

  /// The exemplars as reports list them: by source and then in file order.
  var exemplarsInOrder: [Finding] { exemplars.sorted { $0.position < $1.position } }
}

/// Every requirement's evidence folded, with the asset names interned: the gap engine's input,
/// built one input at a time and merged across readers.
struct EvidenceTally: Sendable {
  /// The pieces of evidence a report lists per requirement: the worst, and how many more.
  static let defaultExemplarLimit = 20

  /// How many exemplars each requirement keeps.
  let exemplarLimit: Int
  /// By requirement ID.
  var requirements: [String: RequirementTally] = [:]
  /// Asset names by number.
  private(set) var assets: [String] = []
  private var assetNumbers: [String: Int32] = [:]
  /// By requirement, the least bad exemplar of a full list in the tally this one will be merged
  /// into (``bars``): evidence no worse than it cannot be listed, so it is only counted here.
  var admissionBars: [String: Finding] = [:]

  init(exemplarLimit: Int = EvidenceTally.defaultExemplarLimit) {
    self.exemplarLimit = max(1, exemplarLimit)
  }

  /// The number of an asset name, given one the first time it is seen.
  mutating func intern(_ asset: String) -> Int32 {
    if let known = assetNumbers[asset] { return known }
    let number = Int32(assets.count)
    assets.append(asset)
    assetNumbers[asset] = number
    return number
  }

  mutating func add(_ finding: Finding, to requirement: String, pending: Observation? = nil) {
    let asset = finding.evidence.asset.map { intern($0) }
    requirements[requirement, default: RequirementTally()].add(
      finding, asset: asset, limit: exemplarLimit, bar: admissionBars[requirement], pending: pending)
  }

  /// For a tally to be merged into this one: by requirement, the last exemplar of each full list.
  var bars: [String: Finding] {
    requirements.compactMapValues { $0.exemplars.count >= exemplarLimit ? $0.exemplars.last : nil }
  }

  mutating func merge(_ other: EvidenceTally) {
    // Into a tally that holds nothing yet: the other's requirements and assets as they are
    // (what merging them one by one gives).
    if requirements.isEmpty, assets.isEmpty, exemplarLimit == other.exemplarLimit {
      requirements = other.requirements
      assets = other.assets
      assetNumbers = other.assetNumbers
      return
    }
    let map = other.assets.map { intern($0) }
    for (id, tally) in other.requirements {
      if requirements[id] == nil {
        var copy = RequirementTally()
        copy.merge(tally, assetMap: map, limit: exemplarLimit)
        requirements[id] = copy
      } else {
        requirements[id]!.merge(tally, assetMap: map, limit: exemplarLimit)
      }
    }
  }

  /// The names of a set of asset numbers, sorted.
  func names(_ numbers: Set<Int32>) -> [String] { numbers.map { assets[Int($0)] }.sorted() }
}
