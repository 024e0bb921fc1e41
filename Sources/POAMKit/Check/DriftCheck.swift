/// The drift gate: compares the current run with a baseline and judges each ``DriftCondition``.
/// A pure function of its inputs.
struct DriftCheck: Sendable {
  /// The conditions that fail the check (`--fail-on`).
  public var failOn: Set<DriftCondition>
  /// `--min-score`, when given.
  public var minScore: Int?
  /// The day overdue items are judged against, `YYYY-MM-DD`.
  public var asOf: String

  /// Creates a check. Giving `minScore` selects `below-min-score` as well.
  public init(failOn: Set<DriftCondition> = DriftCondition.defaults, minScore: Int? = nil, asOf: String) {
    self.failOn = minScore == nil ? failOn : failOn.union([.belowMinScore])
    self.minScore = minScore
    self.asOf = asOf
  }

  /// Judges every condition and returns the verdict.
  public func evaluate(baseline: AssessmentSnapshot, current: AssessmentSnapshot) -> DriftVerdict {
    let diff = ReportDiff.compare(old: baseline, new: current, asOf: asOf)
    let results = DriftCondition.allCases.map { condition in
      judge(condition, diff: diff, baseline: baseline, current: current)
    }
    var improvements: [String] = []
    if let change = diff.scoreChange, change > 0, let before = diff.old.score, let after = diff.new.score {
      improvements.append("score \(before) → \(after) (+\(change))")
    }
    if diff.eligibilityGained, let before = diff.old.status, let after = diff.new.status {
      improvements.append("status \(before.rawValue) → \(after.rawValue)")
    }
    if !diff.gapsClosed.isEmpty {
      improvements.append(
        "\(Self.count(diff.gapsClosed.count, "gap")) closed: \(diff.gapsClosed.joined(separator: ", "))")
    }
    if !diff.evidenceGained.isEmpty {
      improvements.append(
        "evidence for \(Self.count(diff.evidenceGained.count, "requirement")) that had none: \(diff.evidenceGained.joined(separator: ", "))"
      )
    }
    let passed = !results.contains { $0.selected && $0.outcome == .failed }
    return DriftVerdict(
      passed: passed, failOn: failOn.sorted(), minScore: minScore, conditions: results, improvements: improvements,
      diff: diff)
  }

  private func judge(
    _ condition: DriftCondition, diff: ReportDiff, baseline: AssessmentSnapshot, current: AssessmentSnapshot
  ) -> ConditionResult {
    let selected = failOn.contains(condition)
    func result(_ outcome: ConditionResult.Outcome, _ ids: [String], _ detail: String) -> ConditionResult {
      ConditionResult(condition: condition, selected: selected, outcome: outcome, requirementIDs: ids, detail: detail)
    }
    switch condition {
    case .newGaps:
      let ids = diff.gapsOpened
      if ids.isEmpty { return result(.passed, [], "no requirement satisfied in the baseline is NOT MET now") }
      let phrase =
        baseline.kind == .poam
        ? "NOT MET now and not an open item of the baseline POA&M" : "satisfied in the baseline and NOT MET now"
      return result(.failed, ids, "\(Self.count(ids.count, "requirement")) \(phrase)")
    case .scoreDrop:
      guard let after = diff.new.score else {
        return result(.notEvaluated, [], "the current run has no score (Level 1 is not scored)")
      }
      guard let before = diff.old.score else { return result(.notEvaluated, [], "the baseline records no score") }
      if after < before {
        let ids = current.report.map { report in
          report.requirements.filter { $0.pointsDeducted > (baseline.requirements[$0.id]?.pointsDeducted ?? 0) }.map(
            \.id)
        }
        return result(.failed, ids ?? [], "the score dropped from \(before) to \(after) (\(after - before))")
      }
      return result(.passed, [], after == before ? "the score is unchanged at \(after)" : "score \(before) → \(after)")
    case .belowMinScore:
      guard let minimum = minScore else { return result(.notEvaluated, [], "no --min-score given") }
      guard let after = diff.new.score else {
        return result(.notEvaluated, [], "the current run has no score (Level 1 is not scored)")
      }
      if after < minimum { return result(.failed, [], "the score \(after) is below --min-score \(minimum)") }
      return result(.passed, [], "the score \(after) is at least --min-score \(minimum)")
    case .eligibilityLost:
      guard let after = diff.new.status, let before = diff.old.status else {
        return result(.notEvaluated, [], "the baseline records no certification status")
      }
      if after < before {
        let blockers = current.report?.gaps.filter { !$0.poamEligible }.map(\.id) ?? []
        let reasons = current.report?.reasons ?? []
        let why =
          reasons.isEmpty
          ? "" : ": " + reasons.prefix(3).map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }.joined(separator: "; ")
        return result(.failed, blockers, "the status went from \(before.rawValue) to \(after.rawValue)\(why)")
      }
      return result(
        .passed, [],
        before == after
          ? "the status is unchanged (\(after.rawValue))" : "status \(before.rawValue) → \(after.rawValue)")
    case .overdue:
      if baseline.items.isEmpty && current.items.isEmpty {
        return result(
          .notEvaluated, [],
          baseline.kind == .poam
            ? "the baseline POA&M has no items" : "the baseline is a gap report, which has no POA&M due dates")
      }
      let items = diff.itemsOverdue
      if items.isEmpty {
        return result(.passed, [], "no open POA&M item is past its scheduled completion as of \(asOf)")
      }
      let ids = RequirementOrder(current.report).sort(Array(Set(items.flatMap(\.requirementIDs))))
      let listed = items.prefix(5).map { "\($0.itemTitle) (due \($0.scheduledCompletion ?? "?"))" }.joined(
        separator: "; ")
      return result(
        .failed, ids,
        "\(Self.count(items.count, "open POA&M item")) past the scheduled completion as of \(asOf): \(listed)\(items.count > 5 ? "; …" : "")"
      )
    case .notAssessed:
      if baseline.kind == .poam {
        return result(.notEvaluated, [], "the baseline is a POA&M, which does not record evidence")
      }
      let ids = diff.evidenceLost
      if ids.isEmpty { return result(.passed, [], "every requirement with evidence in the baseline still has some") }
      return result(.failed, ids, "\(Self.count(ids.count, "requirement")) with evidence in the baseline now have none")
    }
  }

  static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
