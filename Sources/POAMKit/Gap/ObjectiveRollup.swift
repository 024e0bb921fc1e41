/// A requirement's findings rolled up from its objectives.
struct Rollup: Sendable {
  /// Each objective's status, by letter (ODP statements only when evidence names them).
  var objectives: [String: Status]
  /// The requirement's finding.
  var status: RequirementStatus
  /// True when the requirement is NOT MET only through objectives found partly implemented.
  var partial: Bool
  /// Assessor / automated disagreements, in plain words.
  var conflicts: [String]
  /// Conflicts and contradictory rows, as diagnostics.
  var diagnostics: [Diagnostic]
  /// Who decided each objective, by letter (``EvidenceBasis/none`` when nothing did).
  var objectiveBasis: [String: EvidenceBasis] = [:]
  /// Who decided the requirement: for a NOT MET one the strongest basis among its failing
  /// objectives, otherwise the weakest of all its objectives.
  var basis: EvidenceBasis = .none
}

/// Rolls findings up from objectives to a requirement, the way an assessor records them
/// (32 CFR 170.24(b); CMMC Assessment Guides v2.13, "Assessment Findings"):
///
/// 1. **Objective level.** Each objective takes the findings that name it plus every
///    whole-requirement assessor finding (a requirement-level determination with no objective
///    detail applies to all its objectives). A checklist's or tool's result decides only the
///    objectives it names: a whole-requirement one applies to every objective only when it
///    fails (the tool says the requirement is not met) or when the requirement has a single
///    objective, so one automated pass never makes a multi-objective requirement MET. A
///    checklist's or tool's not-applicable ("this check does not apply to this host") is not
///    evidence at all; only an assessor makes an objective N/A.
/// 2. **Worst wins across assets and files**: NOT MET over partial over not assessed over MET
///    over N/A, among the assessor's determinations and, separately, among the automated
///    ones (a person's review in a checklist, `manual`, and a tool's check together; the basis
///    is the stronger of the two that gave the outcome). Every finding stays in the evidence.
///    Automated results that make no determination (`notchecked`, `informational`...) are
///    ignored when other automated results for the objective do make one.
/// 3. **Assessor against automated.** When both have a determination and one says MET/N/A
///    while the other says NOT MET, that is a conflict: it is reported, and the assessor's
///    determination stands, unless the policy is `strict` and the automated evidence fails,
///    in which case the failure wins. An assessor who has not concluded (not assessed) yields
///    to automated evidence that has.
/// 4. **Requirement level.** MET only when every objective is MET or N/A (N/A counts as MET);
///    NOT MET when any objective is NOT MET or partial ("one NOT MET assessment objective results
///    in a failure of the entire security requirement"); N/A when every objective is N/A.
///    **Not assessed** when no objective fails but at least one has no evidence: an assessor
///    cannot credit an objective without evidence, so the requirement cannot be MET, yet
///    nothing says it failed. It is scored as NOT MET with its full value and listed apart from
///    the real gaps.
/// 5. **The SSP is never N/A.** CA.L2-3.12.4 (the requirement with no point value) assessed N/A
///    is scored NOT MET with an error diagnostic, which blocks the status.
enum ObjectiveRollup {
  /// One objective's disagreement.
  struct Conflict: Hashable {
    var objective: String
    var assessor: Status
    var automated: Status
    var outcome: Status
  }

  static func rollUp(
    _ requirement: Requirement, tally: RequirementTally, policy: GapOptions.EvidencePolicy
  ) -> Rollup {
    let named = Set(tally.objectives.keys.filter { !$0.isEmpty })
    let odp = (requirement.odpStatements ?? []).map(\.id).filter { named.contains($0) }
    let letters = requirement.objectives.map(\.id) + odp
    let single = requirement.objectives.count == 1
    var objectives: [String: Status] = [:]
    var objectiveBasis: [String: EvidenceBasis] = [:]
    var conflicts: [Conflict] = []
    var diagnostics: [Diagnostic] = []
    let isSSP = requirement.level == .two && requirement.points == nil
    var sspNotApplicable: [String] = []
    for letter in letters {
      var (status, basis, conflict) = decide(tally, objective: letter, policy: policy, single: single)
      if isSSP, status == .notApplicable {
        status = .notMet
        sspNotApplicable.append(letter)
      }
      objectives[letter] = status
      objectiveBasis[letter] = basis
      if let conflict { conflicts.append(conflict) }
    }

    let values = letters.map { objectives[$0] ?? .notAssessed }
    let status: RequirementStatus
    var partial = false
    if values.contains(where: { $0 == .notMet || $0 == .partial }) {
      status = .notMet
      partial = !values.contains(.notMet)
    } else if values.contains(.notAssessed) {
      status = .notAssessed
    } else if values.allSatisfy({ $0 == .notApplicable }) {
      status = .notApplicable
    } else {
      status = .met
    }
    let basis: EvidenceBasis
    if status == .notMet {
      basis =
        letters.filter { objectives[$0] == .notMet || objectives[$0] == .partial }
        .map { objectiveBasis[$0] ?? .none }.max() ?? .none
    } else {
      basis = letters.map { objectiveBasis[$0] ?? .none }.min() ?? .none
    }

    let messages = describe(conflicts, requirement: requirement, letters: letters, tally: tally)
    diagnostics += messages.map {
      Diagnostic(.warning, .evidenceConflict, source: "gap", location: requirement.id, message: $0)
    }
    if !sspNotApplicable.isEmpty {
      let which =
        sspNotApplicable.count == letters.count
        ? "" : "[\(sspNotApplicable.joined(separator: ", "))]"
      diagnostics.append(
        Diagnostic(
          .error, .sspNotApplicable, source: "gap", location: requirement.id,
          message:
            "\(requirement.id)\(which) \(requirement.title) was marked not applicable, but a System Security Plan is always required (32 CFR 170.24(c)(2)(i)(B)(5)): scored NOT MET"
        ))
    }
    if status == .notMet, partial, (requirement.partialPoints ?? []).isEmpty, requirement.level == .two {
      diagnostics.append(
        Diagnostic(
          .note, .partialCredit, source: "gap", location: requirement.id,
          message:
            "\(requirement.id) was found partially implemented, but it has no partial credit: scored NOT MET at its full value (32 CFR 170.24(c)(2)(i)(B))"
        ))
    }
    diagnostics += contradictions(requirement, tally: tally)
    return Rollup(
      objectives: objectives, status: status, partial: partial, conflicts: messages, diagnostics: diagnostics,
      objectiveBasis: objectiveBasis, basis: basis)
  }

  /// True when evidence of this kind and status, naming `named` (nil: the whole requirement),
  /// speaks to an objective: it names it, or it is about the whole requirement and is an
  /// assessor's determination, a failure, or the requirement has a single objective. A
  /// checklist's or tool's not-applicable speaks to nothing.
  static func applies(kind: ObservationKind, status: Status?, named: String?, to objective: String, single: Bool)
    -> Bool
  {
    if let named { return named == objective && countsAsEvidence(kind: kind, status: status) }
    if kind == .assessor || single { return countsAsEvidence(kind: kind, status: status) }
    guard let status else { return false }
    return !status.isSatisfied && status != .notAssessed
  }

  /// False for a checklist's or tool's not-applicable: "this check does not apply to this
  /// host" is not evidence about the requirement.
  static func countsAsEvidence(kind: ObservationKind, status: Status?) -> Bool {
    kind == .assessor || status != .notApplicable
  }

  /// One objective's status from the requirement's findings that apply to it, who decided it,
  /// and the conflict, if any.
  static func decide(
    _ tally: RequirementTally, objective: String, policy: GapOptions.EvidencePolicy, single: Bool = false
  ) -> (Status, EvidenceBasis, Conflict?) {
    // Worst assessor status; worst manual and automated statuses other than not assessed, and
    // whether any of those had a status: from the counts of the objective's own evidence and
    // of the whole-requirement evidence.
    var assessorVerdict: Status?
    var manualVerdict: Status?
    var automatedVerdict: Status?
    var toolSeen = false
    for named in [objective, ""] {
      for (key, count) in tally.objectives[named]?.counts ?? [:] where count > 0 {
        guard
          applies(
            kind: key.kind, status: key.status, named: named.isEmpty ? nil : named, to: objective, single: single),
          let status = key.status
        else { continue }
        switch key.kind {
        case .assessor:
          assessorVerdict = max(assessorVerdict ?? status, status)
        case .manual:
          toolSeen = true
          if status != .notAssessed { manualVerdict = max(manualVerdict ?? status, status) }
        case .automated:
          toolSeen = true
          if status != .notAssessed { automatedVerdict = max(automatedVerdict ?? status, status) }
        }
      }
    }
    // A person's review and a tool's check together: the worst counts; the basis is the
    // stronger of the two that gave it.
    var toolVerdict: Status?
    var toolBasis = EvidenceBasis.none
    switch (manualVerdict, automatedVerdict) {
    case (let manual?, let automated?):
      toolVerdict = max(manual, automated)
      toolBasis = manual == toolVerdict ? .manual : .automated
    case (let manual?, nil):
      (toolVerdict, toolBasis) = (manual, .manual)
    case (nil, let automated?):
      (toolVerdict, toolBasis) = (automated, .automated)
    case (nil, nil):
      if toolSeen { toolVerdict = .notAssessed }
    }
    switch (assessorVerdict, toolVerdict) {
    case (nil, nil):
      return (.notAssessed, .none, nil)
    case (let verdict?, nil):
      return (verdict, verdict == .notAssessed ? .none : .assessor, nil)
    case (nil, let verdict?):
      return (verdict, verdict == .notAssessed ? .none : toolBasis, nil)
    case (let mine?, let theirs?):
      if mine == .notAssessed { return (theirs, theirs == .notAssessed ? .none : toolBasis, nil) }
      if theirs == .notAssessed || mine.isSatisfied == theirs.isSatisfied { return (mine, .assessor, nil) }
      let overridden = policy == .strict && !theirs.isSatisfied
      let outcome = overridden ? theirs : mine
      return (
        outcome, overridden ? toolBasis : .assessor,
        Conflict(objective: objective, assessor: mine, automated: theirs, outcome: outcome)
      )
    }
  }

  /// One sentence per kind of disagreement, naming the objectives and the automated sources.
  static func describe(
    _ conflicts: [Conflict], requirement: Requirement, letters: [String], tally: RequirementTally
  ) -> [String] {
    var groups: [(key: [Status], letters: [String])] = []
    for conflict in conflicts {
      let key = [conflict.assessor, conflict.automated, conflict.outcome]
      if let index = groups.firstIndex(where: { $0.key == key }) {
        groups[index].letters.append(conflict.objective)
      } else {
        groups.append((key, [conflict.objective]))
      }
    }
    return groups.map { group in
      let (mine, theirs, outcome) = (group.key[0], group.key[1], group.key[2])
      let which =
        group.letters.count == letters.count
        ? "\(requirement.id) (all objectives)" : "\(requirement.id)[\(group.letters.joined(separator: ", "))]"
      let unique = ObjectiveTally.union(
        ([""] + group.letters).compactMap { tally.objectives[$0]?.toolSources[theirs] })
      let from = unique.prefix(3).joined(separator: "; ") + (unique.count > 3 ? "; …" : "")
      let resolution: String
      if outcome == mine {
        resolution =
          theirs.isSatisfied
          ? "the assessor's determination stands (automated evidence overrides it only when it fails)"
          : "the assessor's determination stands (evidence policy: assessor; --evidence-policy strict lets failing automated evidence override it)"
      } else {
        resolution = "the failing automated evidence overrides it (evidence policy: strict)"
      }
      return
        "\(which): the assessor's determination is \(mine.label) but automated evidence (\(from)) says \(theirs.label); \(resolution)"
    }
  }

  /// Contradictions named one by one per requirement; more are counted in one more warning.
  static let contradictionLimit = 20

  /// Assessor rows that contradict each other for the same asset and objective (a MET row and a
  /// NOT MET row, say): the worst counts, and the user should fix the input.
  static func contradictions(_ requirement: Requirement, tally: RequirementTally) -> [Diagnostic] {
    // Only the pairs that contradict are put in order (a sheet of a million rows has a million pairs).
    let pairs = tally.assessorPairs.compactMap {
      entry -> (
        key: String, first: EvidencePosition, pass: RequirementTally.AssessorMark,
        fail: RequirementTally.AssessorMark
      )? in
      guard let pass = entry.value.pass, let fail = entry.value.fail else { return nil }
      return (entry.key, entry.value.first, pass, fail)
    }.sorted { $0.first < $1.first }.map { (key: $0.key, pass: $0.pass, fail: $0.fail) }
    var diagnostics = pairs.prefix(contradictionLimit).map { key, pass, fail in
      let (asset, objective) = RequirementTally.AssessorPair.split(key)
      let which = requirement.id + (objective.map { "[\($0)]" } ?? "")
      let shownAsset = asset.map { " for asset \($0)" } ?? ""
      return Diagnostic(
        .warning, .contradictoryAssessors, source: fail.position.source, location: fail.location,
        message:
          "contradictory assessor results for \(which)\(shownAsset): \(pass.status.label) at \(pass.place) and \(fail.status.label) at \(fail.place); the worst counts"
      )
    }
    if pairs.count > contradictionLimit {
      let more = pairs.count - contradictionLimit
      diagnostics.append(
        Diagnostic(
          .warning, .contradictoryAssessors, source: "gap", location: requirement.id,
          message:
            "contradictory assessor results for \(requirement.id) on \(Plural.count(more, "more asset and objective", "more assets and objectives")); the worst counts in each"
        ))
    }
    return diagnostics
  }

}
