import Foundation

/// One piece of evidence on an in-scope requirement, with the status the roll-up uses.
struct Finding: Sendable {
  /// The evidence as reported.
  var evidence: Evidence
  /// The status the roll-up uses: the observation's status after an explicit partial-credit
  /// value was applied (nil: the status word was not recognised).
  var effective: Status?
  /// The observation's position in the input, to keep file order.
  var order: Int
  /// Assessor determination or automated check.
  var kind: ObservationKind { evidence.kind }
}

/// Turns resolved observations into findings per in-scope requirement, and says what it
/// could not use.
struct EvidenceCollector: Sendable {
  let catalog: Catalog
  let crosswalk: ScopeCrosswalk

  struct Outcome: Sendable {
    /// Findings by requirement ID, by source and then in file order.
    var findings: [String: [Finding]]
    /// Out-of-scope counts, partial-credit remarks and the like.
    var diagnostics: [Diagnostic]
  }

  func collect(_ observations: [ResolvedObservation]) -> Outcome {
    var findings: [String: [Finding]] = [:]
    var diagnostics: [Diagnostic] = []
    var outOfScope = 0
    var outOfScopeExamples = Set<String>()
    var spreadFailures: [String: Int] = [:]

    for (order, resolved) in observations.enumerated() where !resolved.targets.isEmpty {
      let observation = resolved.observation
      var seen = Set<CreditedTarget>()
      var credited: [(CreditedTarget, RequirementTarget)] = []
      for target in resolved.targets {
        let landing = crosswalk.credits(for: target)
        for credit in landing where seen.insert(credit).inserted { credited.append((credit, target)) }
        if target.objective == nil, crosswalk.spreads(target.requirement),
          observation.status.map({ !$0.isSatisfied && $0 != .notAssessed }) == true
        {
          spreadFailures[target.requirement, default: 0] += 1
        }
      }
      if credited.isEmpty {
        outOfScope += 1
        outOfScopeExamples.formUnion(resolved.targets.map(\.requirement))
        continue
      }
      for (credit, target) in credited {
        guard let requirement = catalog.requirement(id: credit.requirement) else { continue }
        let (effective, remark) = PartialCredit.effectiveStatus(observation, requirement: requirement)
        if let remark { diagnostics.append(remark) }
        let evidence = Evidence(
          source: observation.source, location: observation.location, line: observation.line,
          asset: observation.asset?.name, objective: credit.objective, status: observation.status,
          rawStatus: observation.rawStatus, kind: observation.kind, via: target.via,
          detail: Self.detail(observation, omitting: requirement.title), severity: observation.severity,
          creditedFrom: credit.creditedFrom,
          partialPoints: observation.partialPoints)
        findings[credit.requirement, default: []].append(
          Finding(evidence: evidence, effective: effective, order: order))
      }
    }

    if outOfScope > 0 {
      let examples = outOfScopeExamples.sorted().prefix(5).joined(separator: ", ")
      diagnostics.append(
        Diagnostic(
          .note, source: "gap",
          message:
            "\(outOfScope) result(s) speak only to requirements outside the \(crosswalk.levelName) scope and are not scored (e.g. \(examples))"
        ))
    }
    for (requirement, count) in spreadFailures.sorted(by: { $0.key < $1.key }) {
      let covered = crosswalk.credits(for: RequirementTarget(requirement: requirement, via: .direct))
      let names = Array(Set(covered.map(\.requirement))).sorted().joined(separator: ", ")
      diagnostics.append(
        Diagnostic(
          .warning, source: "gap",
          message:
            "\(count) whole-requirement failing result(s) on \(requirement) apply to every objective of \(names) (a requirement-level determination applies to all its objectives); give objective-level results to tell them apart"
        ))
    }
    // Evidence by source, then in file order (the order the importer read it).
    for key in findings.keys {
      findings[key]!.sort { ($0.evidence.source, $0.order) < ($1.evidence.source, $1.order) }
    }
    var unique = Set<Diagnostic>()
    return Outcome(findings: findings, diagnostics: diagnostics.filter { unique.insert($0).inserted })
  }

  /// What the evidence says in one line: rule ID, title, then details or comments, shortened.
  /// A title that only repeats the requirement's own (`omitting`) is left out.
  static func detail(_ observation: Observation, omitting requirementTitle: String = "") -> String {
    var parts: [String] = []
    let ruleKinds: [ReferenceKind] = [.stigRule, .xccdfRule, .stigVuln]
    if let rule = observation.refs.first(where: { ruleKinds.contains($0.kind) }) { parts.append(rule.value) }
    for text in [observation.title, observation.details, observation.comments] {
      guard let text = text.map(collapse), !text.isEmpty, !parts.contains(text),
        text.caseInsensitiveCompare(requirementTitle) != .orderedSame
      else { continue }
      parts.append(text)
    }
    return shorten(parts.joined(separator: " — "), to: 200)
  }

  /// Collapses runs of white space (new lines included) into single spaces.
  static func collapse(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  /// Cuts text to at most `limit` characters, ending with `…` when it was cut.
  static func shorten(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
  }
}

extension ScopeCrosswalk {
  /// "Level 2", or for Level 3 "Level 3 (Level 2 and 3 requirements)": for messages.
  var levelName: String {
    level == .three ? "Level 3 (Level 2 and 3 requirements)" : level.description
  }
}
