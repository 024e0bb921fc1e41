/// Where one piece of evidence lands in the target level's scope.
struct CreditedTarget: Hashable, Sendable {
  /// The in-scope requirement credited.
  var requirement: String
  /// The objective letter within it (nil: the whole requirement).
  var objective: String?
  /// The requirement (and objective) the input named, when the evidence was credited from an
  /// equivalent of another level; nil when it named the in-scope requirement itself.
  var creditedFrom: String?
}

/// Maps evidence on a requirement of one level to the target level's scope.
///
/// The target level's scope is ``Catalog/scope(of:)``: Level 1's 15 requirements, Level 2's 110,
/// or Level 3's 24 plus Level 2's 110. Evidence on a requirement of another level is credited
/// where the catalog maps the two (CMMC Model Overview v2.13 App. A; the Level 1 objectives are
/// exactly the objectives of the 17 NIST SP 800-171 requirements behind them):
/// - a Level 1 requirement with a **one-to-one** Level 2 equivalent shares its objectives
///   letter for letter (AC.L1-b.1.i[a] = AC.L2-3.1.1[a]);
/// - **PE.L1-b.1.ix** maps *partially* to PE.L2-3.10.3, 3.10.4 and 3.10.5. Its six objectives
///   are those three requirements' objectives in order (ix[a,b] = 3.10.3[a,b], ix[c] = 3.10.4[a],
///   ix[d,e,f] = 3.10.5[a,b,c]), so poam credits it **objective by objective**: a result on
///   PE.L2-3.10.3 speaks to ix[a] and ix[b] only, and ix is MET only when evidence covers all six.
///   The other way, a whole-requirement result on ix applies to every objective of all three
///   (the roll-up rule: a requirement-level determination applies to all its objectives).
///
/// Any other mapping, or a custom catalog whose objective counts do not line up, is not
/// credited. Evidence on a requirement that neither is in scope nor maps into it (Level 3
/// evidence for a Level 2 target, say) is out of scope.
struct ScopeCrosswalk: Sendable {
  /// Evidence on (requirement, objective) → targets in scope, for requirements of another level.
  private var objectiveMap: [String: [String: (requirement: String, objective: String)]] = [:]
  /// Evidence on a whole requirement of another level → the in-scope requirements it covers,
  /// each whole (nil) or as a set of objectives.
  private var wholeMap: [String: [(requirement: String, objectives: [String]?)]] = [:]
  /// The in-scope requirement IDs.
  let scope: Set<String>
  /// The target level.
  let level: CMMCLevel

  init(catalog: Catalog, level: CMMCLevel) {
    self.level = level
    scope = Set(catalog.scope(of: level).map(\.id))
    for l1 in catalog.requirements(level: .one) {
      let equivalents = (l1.l2Equivalents ?? []).compactMap { catalog.requirement(id: $0) }
      guard !equivalents.isEmpty, equivalents.count == (l1.l2Equivalents ?? []).count else { continue }
      // Pair objectives by position across the equivalents, in the catalog's order.
      let l2Objectives = equivalents.flatMap { requirement in requirement.objectives.map { (requirement.id, $0.id) } }
      guard l2Objectives.count == l1.objectives.count else { continue }
      let pairs = zip(l1.objectives.map(\.id), l2Objectives).map { (l1: $0, l2: $1) }
      let oneToOne = l1.l2Mapping == "one-to-one" && equivalents.count == 1
      if level == .one {
        // Level 2 evidence → Level 1.
        for equivalent in equivalents {
          let mine = pairs.filter { $0.l2.0 == equivalent.id }
          objectiveMap[equivalent.id] = Dictionary(
            uniqueKeysWithValues: mine.map { ($0.l2.1, (requirement: l1.id, objective: $0.l1)) })
          wholeMap[equivalent.id] = [(requirement: l1.id, objectives: oneToOne ? nil : mine.map(\.l1))]
        }
      } else {
        // Level 1 evidence → Level 2 (also within a Level 3 scope, which includes Level 2).
        objectiveMap[l1.id] = Dictionary(
          uniqueKeysWithValues: pairs.map { ($0.l1, (requirement: $0.l2.0, objective: $0.l2.1)) })
        wholeMap[l1.id] = equivalents.map { (requirement: $0.id, objectives: nil) }
      }
    }
  }

  /// Where a resolved target lands; empty when it is outside the scope.
  func credits(for target: RequirementTarget) -> [CreditedTarget] {
    if scope.contains(target.requirement) {
      return [CreditedTarget(requirement: target.requirement, objective: target.objective, creditedFrom: nil)]
    }
    let named = target.requirement + (target.objective.map { "[\($0)]" } ?? "")
    if let objective = target.objective {
      guard let mapped = objectiveMap[target.requirement]?[objective] else { return [] }
      return [CreditedTarget(requirement: mapped.requirement, objective: mapped.objective, creditedFrom: named)]
    }
    guard let whole = wholeMap[target.requirement] else { return [] }
    return whole.flatMap { entry -> [CreditedTarget] in
      guard let objectives = entry.objectives else {
        return [CreditedTarget(requirement: entry.requirement, objective: nil, creditedFrom: named)]
      }
      return objectives.map { CreditedTarget(requirement: entry.requirement, objective: $0, creditedFrom: named) }
    }
  }

  /// True when a whole-requirement result on `requirement` spreads over several in-scope
  /// requirements (PE.L1-b.1.ix at Level 2 or 3).
  func spreads(_ requirement: String) -> Bool {
    (wholeMap[requirement]?.count ?? 0) > 1
  }
}
