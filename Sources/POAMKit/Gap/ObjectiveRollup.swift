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
}

/// Rolls findings up from objectives to a requirement, the way an assessor records them
/// (32 CFR 170.24(b); CMMC Assessment Guides v2.13, "Assessment Findings"):
///
/// 1. **Objective level.** Each objective takes the findings that name it plus every
///    whole-requirement finding (a requirement-level determination with no objective detail
///    applies to all its objectives).
/// 2. **Worst wins across assets and files**: NOT MET over partial over not assessed over MET
///    over N/A, among the assessor's determinations and, separately, among the automated
///    ones. Every finding stays in the evidence. Automated results that make no determination
///    (`notchecked`, `informational`...) are ignored when other automated results for the
///    objective do make one.
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
enum ObjectiveRollup {
  /// One objective's disagreement.
  struct Conflict: Hashable {
    var objective: String
    var assessor: Status
    var automated: Status
    var outcome: Status
  }

  static func rollUp(
    _ requirement: Requirement, findings: [Finding], policy: GapOptions.EvidencePolicy
  ) -> Rollup {
    let named = Set(findings.compactMap(\.evidence.objective))
    let odp = (requirement.odpStatements ?? []).map(\.id).filter { named.contains($0) }
    let letters = requirement.objectives.map(\.id) + odp
    var objectives: [String: Status] = [:]
    var conflicts: [Conflict] = []
    for letter in letters {
      let (status, conflict) = decide(findings, objective: letter, policy: policy)
      objectives[letter] = status
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

    let messages = describe(conflicts, requirement: requirement, letters: letters, findings: findings)
    var diagnostics = messages.map {
      Diagnostic(.warning, .evidenceConflict, source: "gap", location: requirement.id, message: $0)
    }
    diagnostics += contradictions(requirement, findings: findings)
    return Rollup(
      objectives: objectives, status: status, partial: partial, conflicts: messages, diagnostics: diagnostics)
  }

  /// One objective's status from the requirement's findings that apply to it (those naming
  /// the objective or none), and the conflict, if any.
  static func decide(
    _ findings: [Finding], objective: String, policy: GapOptions.EvidencePolicy
  ) -> (Status, Conflict?) {
    // Worst assessor status; worst automated status other than not assessed, and whether
    // any automated finding had a status. One pass, reading the findings in place.
    var assessorVerdict: Status?
    var automatedVerdict: Status?
    var automatedSeen = false
    for index in findings.indices {
      if let named = findings[index].evidence.objective, named != objective { continue }
      guard let status = findings[index].effective else { continue }
      switch findings[index].evidence.kind {
      case .assessor:
        assessorVerdict = max(assessorVerdict ?? status, status)
      case .automated:
        automatedSeen = true
        if status != .notAssessed { automatedVerdict = max(automatedVerdict ?? status, status) }
      }
    }
    if automatedVerdict == nil, automatedSeen { automatedVerdict = .notAssessed }
    switch (assessorVerdict, automatedVerdict) {
    case (nil, nil):
      return (.notAssessed, nil)
    case (let verdict?, nil), (nil, let verdict?):
      return (verdict, nil)
    case (let mine?, let theirs?):
      if mine == .notAssessed { return (theirs, nil) }
      if theirs == .notAssessed || mine.isSatisfied == theirs.isSatisfied { return (mine, nil) }
      let outcome = policy == .strict && !theirs.isSatisfied ? theirs : mine
      return (outcome, Conflict(objective: objective, assessor: mine, automated: theirs, outcome: outcome))
    }
  }

  /// One sentence per kind of disagreement, naming the objectives and the automated sources.
  static func describe(
    _ conflicts: [Conflict], requirement: Requirement, letters: [String], findings: [Finding]
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
      let sources = findings.filter { finding in
        finding.kind == .automated && finding.effective == theirs
          && (finding.evidence.objective == nil || group.letters.contains(finding.evidence.objective!))
      }.map { finding in
        finding.evidence.source + (finding.evidence.asset.map { " on \($0)" } ?? "")
      }
      var unique: [String] = []
      for source in sources where !unique.contains(source) { unique.append(source) }
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

  /// Assessor rows that contradict each other for the same asset and objective (a MET row and a
  /// NOT MET row, say): the worst counts, and the user should fix the input.
  static func contradictions(_ requirement: Requirement, findings: [Finding]) -> [Diagnostic] {
    var groups: [String: [Finding]] = [:]
    var order: [String] = []
    for finding in findings where finding.kind == .assessor && finding.evidence.via == .direct {
      guard let status = finding.effective, status != .notAssessed else { continue }
      let key = (finding.evidence.asset ?? "") + "|" + (finding.evidence.objective ?? "*")
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(finding)
    }
    return order.compactMap { key in
      let group = groups[key]!
      guard let pass = group.first(where: { $0.effective!.isSatisfied }),
        let fail = group.first(where: { !$0.effective!.isSatisfied })
      else { return nil }
      let which = requirement.id + (pass.evidence.objective.map { "[\($0)]" } ?? "")
      let asset = pass.evidence.asset.map { " for asset \($0)" } ?? ""
      return Diagnostic(
        .warning, .contradictoryAssessors, source: fail.evidence.source, location: fail.evidence.location,
        message:
          "contradictory assessor results for \(which)\(asset): \(pass.effective!.label) at \(place(pass.evidence)) and \(fail.effective!.label) at \(place(fail.evidence)); the worst counts"
      )
    }
  }

  static func place(_ evidence: Evidence) -> String {
    evidence.location.isEmpty ? evidence.source : "\(evidence.source):\(evidence.location)"
  }
}
