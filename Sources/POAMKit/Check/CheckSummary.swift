/// The Markdown summary of a `poam check` run, written for a CI job page (GitHub's
/// `GITHUB_STEP_SUMMARY`, a GitLab or Jenkins artifact): the verdict line first, then a
/// baseline-versus-current table, the failing conditions with requirement IDs, what improved,
/// and the current gaps.
enum CheckSummary {
  /// Renders the summary.
  public static func render(_ verdict: DriftVerdict, current: GapReport) -> String {
    var lines: [String] = []
    lines.append((verdict.passed ? "**PASS**" : "**FAIL**") + " " + Markdown.escape(verdictReason(verdict)))
    lines.append("")
    lines.append("### poam check: CMMC \(current.level)")
    lines.append("")
    lines.append("| | Baseline | Current |")
    lines.append("|---|---|---|")
    let old = verdict.diff.old
    let new = verdict.diff.new
    func cell(_ value: Int?) -> String { value.map(String.init) ?? "–" }
    if current.level != .one {
      lines.append(
        "| Score | \(cell(old.score))\(old.maxScore.map { " / \($0)" } ?? "") | \(cell(new.score))\(new.maxScore.map { " / \($0)" } ?? "") |"
      )
    }
    lines.append("| Status | \(old.status?.rawValue ?? "–") | \(new.status?.rawValue ?? "–") |")
    lines.append("| NOT MET | \(old.gaps) | \(new.gaps) |")
    let oldNotAssessed = old.kind == .gapReport ? String(old.notAssessed) : "–"
    lines.append("| Not assessed | \(oldNotAssessed) | \(new.notAssessed) |")
    lines.append("| Assessment date | \(old.assessmentDate ?? "–") | \(new.assessmentDate ?? "–") |")
    lines.append("")
    let failures = verdict.failures
    if !failures.isEmpty {
      lines.append("#### Failing conditions")
      lines.append("")
      for result in failures { lines.append(conditionLine(result)) }
      lines.append("")
    }
    let notEvaluated = verdict.conditions.filter { $0.selected && $0.outcome == .notEvaluated }
    let others = verdict.unselectedFailures
    if !others.isEmpty || !notEvaluated.isEmpty {
      lines.append("#### Not gating")
      lines.append("")
      for result in others { lines.append(conditionLine(result, prefix: "not in --fail-on: ")) }
      for result in notEvaluated {
        lines.append("- `\(result.condition.rawValue)` not evaluated: \(Markdown.escape(result.detail))")
      }
      lines.append("")
    }
    if !verdict.improvements.isEmpty {
      lines.append("#### Improved")
      lines.append("")
      for improvement in verdict.improvements { lines.append("- " + Markdown.escape(improvement)) }
      lines.append("")
    }
    let gaps = current.gaps
    if !gaps.isEmpty {
      lines.append("#### Current gaps (\(gaps.count))")
      lines.append("")
      lines.append("| Requirement | Title | Points | POA&M | New |")
      lines.append("|---|---|---|---|---|")
      let opened = Set(verdict.diff.gapsOpened)
      for gap in gaps {
        let points = gap.pointsDeducted > 0 ? "−\(gap.pointsDeducted)" : "0"
        lines.append(
          "| \(Markdown.escape(gap.id)) | \(Markdown.escape(gap.title)) | \(points) | \(gap.poamEligible ? "eligible" : "not eligible") | \(opened.contains(gap.id) ? "new" : "") |"
        )
      }
      lines.append("")
    }
    for note in verdict.diff.notes { lines.append("> " + Markdown.escape(note)) }
    while lines.last == "" { lines.removeLast() }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func verdictReason(_ verdict: DriftVerdict) -> String {
    let headline = verdict.headline
    for prefix in ["PASS: ", "FAIL: "] where headline.hasPrefix(prefix) {
      return String(headline.dropFirst(prefix.count))
    }
    return headline
  }

  private static func conditionLine(_ result: ConditionResult, prefix: String = "") -> String {
    var line = "- \(prefix)`\(result.condition.rawValue)`: \(Markdown.escape(result.detail))"
    if !result.requirementIDs.isEmpty {
      line += ": " + result.requirementIDs.map(Markdown.escape).joined(separator: ", ")
    }
    return line
  }
}
