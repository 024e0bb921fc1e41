/// How one drift condition came out.
public struct ConditionResult: Codable, Sendable, Hashable {
  /// Passed, failed, or could not be judged.
  public enum Outcome: String, Codable, Sendable {
    case passed
    case failed
    case notEvaluated = "not-evaluated"
  }

  /// The condition.
  public var condition: DriftCondition
  /// True when `--fail-on` selected it, so a failure fails the check.
  public var selected: Bool
  /// The outcome.
  public var outcome: Outcome
  /// The requirements concerned, in catalog order.
  public var requirementIDs: [String]
  /// What happened, in one sentence.
  public var detail: String

  /// Creates a result.
  public init(
    condition: DriftCondition, selected: Bool, outcome: Outcome, requirementIDs: [String] = [], detail: String
  ) {
    self.condition = condition
    self.selected = selected
    self.outcome = outcome
    self.requirementIDs = requirementIDs
    self.detail = detail
  }

  enum CodingKeys: String, CodingKey {
    case condition, selected, outcome
    case requirementIDs = "requirement_ids"
    case detail
  }
}

/// The drift gate's verdict: passed or failed, which selected conditions failed and on which
/// requirements, what improved, and the comparison behind it.
public struct DriftVerdict: Codable, Sendable, Hashable {
  /// True when no selected condition failed.
  public var passed: Bool
  /// The selected conditions, in order.
  public var failOn: [DriftCondition]
  /// `--min-score`, when given.
  public var minScore: Int?
  /// Every condition's outcome (selected or not), in order.
  public var conditions: [ConditionResult]
  /// What improved, one line each.
  public var improvements: [String]
  /// The comparison.
  public var diff: ReportDiff

  enum CodingKeys: String, CodingKey {
    case passed
    case failOn = "fail_on"
    case minScore = "min_score"
    case conditions, improvements, diff
  }

  /// The selected conditions that failed.
  public var failures: [ConditionResult] { conditions.filter { $0.selected && $0.outcome == .failed } }

  /// Conditions that failed but were not selected: shown, never fatal.
  public var unselectedFailures: [ConditionResult] {
    conditions.filter { !$0.selected && $0.outcome == .failed }
  }

  /// True when anything compared with the baseline got worse, selected or not. `--update-baseline`
  /// ratchets only when this is false.
  public var gotWorse: Bool {
    conditions.contains { DriftCondition.regressions.contains($0.condition) && $0.outcome == .failed }
  }

  /// The one-line verdict: `FAIL: …` or `PASS: …`, with the reasons.
  public var headline: String {
    if passed {
      let checked = failOn.map(\.rawValue).joined(separator: ", ")
      var line = "PASS: nothing selected got worse against \(diff.old.source) (checked \(checked))"
      if !improvements.isEmpty { line += "; improved: " + improvements.joined(separator: "; ") }
      return line
    }
    let reasons = failures.map { result -> String in
      let ids = result.requirementIDs
      guard !ids.isEmpty else { return "\(result.condition.rawValue) (\(result.detail))" }
      let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", and \(ids.count - 5) more" : "")
      return "\(result.condition.rawValue) (\(shown))"
    }
    return "FAIL: " + reasons.joined(separator: "; ") + " against \(diff.old.source)"
  }

  /// The plain-text report `poam check` prints: the headline first, then each failing condition
  /// with its requirement IDs, what was not evaluated, what changed but is not gating, and what
  /// improved.
  public var text: String {
    var lines = [headline]
    let score: String = {
      switch (diff.old.score, diff.new.score) {
      case (let before?, let after?): return "score \(before) → \(after)"
      case (nil, let after?): return "score \(after)"
      default: return "no score"
      }
    }()
    let status: String = {
      switch (diff.old.status, diff.new.status) {
      case (let before?, let after?) where before == after: return "status \(after.rawValue) (unchanged)"
      case (let before?, let after?): return "status \(before.rawValue) → \(after.rawValue)"
      case (nil, let after?): return "status \(after.rawValue)"
      default: return "status unknown"
      }
    }()
    lines.append("  \(score); \(status); gaps \(diff.old.gaps) → \(diff.new.gaps)")
    for result in failures {
      lines.append("failed: \(result.condition.rawValue): \(result.detail)")
      if !result.requirementIDs.isEmpty { lines.append("  " + result.requirementIDs.joined(separator: ", ")) }
    }
    for result in conditions where result.selected && result.outcome == .notEvaluated {
      lines.append("not evaluated: \(result.condition.rawValue): \(result.detail)")
    }
    for result in unselectedFailures {
      lines.append("also (not in --fail-on): \(result.condition.rawValue): \(result.detail)")
      if !result.requirementIDs.isEmpty { lines.append("  " + result.requirementIDs.joined(separator: ", ")) }
    }
    for improvement in improvements { lines.append("improved: \(improvement)") }
    for note in diff.notes { lines.append("note: \(note)") }
    return lines.joined(separator: "\n") + "\n"
  }
}
