/// Renders a ``ReportDiff`` as `poam diff` prints it: text for a terminal, JSON for scripts
/// (snake_case keys, stable), Markdown for a merge request or wiki.
public enum ReportDiffRenderer {
  /// Renders in the given format.
  public static func render(_ diff: ReportDiff, format: ReportFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.string(diff)
    case .text: return text(diff)
    case .markdown: return markdown(diff)
    }
  }

  /// The first line: what changed in score and status, in words.
  public static func headline(_ diff: ReportDiff) -> String {
    var parts: [String] = []
    switch (diff.old.score, diff.new.score) {
    case (let before?, let after?):
      let change = after - before
      parts.append(
        change == 0 ? "score unchanged at \(after)" : "score \(before) → \(after) (\(change > 0 ? "+" : "")\(change))")
    case (nil, let after?): parts.append("score \(after)")
    default: break
    }
    switch (diff.old.status, diff.new.status) {
    case (let before?, let after?) where before != after:
      parts.append("status \(before.rawValue) → \(after.rawValue)")
    case (_?, let after?): parts.append("status unchanged (\(after.rawValue))")
    case (nil, let after?): parts.append("status \(after.rawValue)")
    default: break
    }
    parts.append("\(DriftCheck.count(diff.gapsOpened.count, "gap")) opened, \(diff.gapsClosed.count) closed")
    if !diff.itemsReopened.isEmpty { parts.append("\(DriftCheck.count(diff.itemsReopened.count, "item")) reopened") }
    if !diff.itemsOverdue.isEmpty { parts.append("\(DriftCheck.count(diff.itemsOverdue.count, "item")) overdue") }
    return parts.joined(separator: "; ")
  }

  private static func text(_ diff: ReportDiff) -> String {
    var lines = [headline(diff)]
    lines.append("  old: \(describe(diff.old))")
    lines.append("  new: \(describe(diff.new))")
    func list(_ title: String, _ ids: [String]) {
      guard !ids.isEmpty else { return }
      lines.append("\(title) (\(ids.count)): " + ids.joined(separator: ", "))
    }
    list("gaps opened", diff.gapsOpened)
    list("gaps closed", diff.gapsClosed)
    list("newly assessed as NOT MET", diff.gapsNewlyAssessed)
    list("evidence lost", diff.evidenceLost)
    list("evidence gained", diff.evidenceGained)
    for item in diff.itemsReopened { lines.append("reopened: \(itemLine(item))") }
    for item in diff.itemsOverdue { lines.append("overdue as of \(diff.asOf): \(itemLine(item))") }
    if !diff.changes.isEmpty {
      lines.append("")
      lines.append(
        TextTable.render(
          header: ["Requirement", "Before", "After", "Title"],
          rows: diff.changes.map { [$0.id, label($0.before), label($0.after), $0.title ?? ""] }))
    }
    for note in diff.notes { lines.append("note: \(note)") }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func markdown(_ diff: ReportDiff) -> String {
    var lines = ["**\(Markdown.escape(headline(diff)))**", ""]
    lines.append("| | Old | New |")
    lines.append("|---|---|---|")
    lines.append("| File | \(Markdown.escape(diff.old.source)) | \(Markdown.escape(diff.new.source)) |")
    lines.append("| Kind | \(diff.old.kind.rawValue) | \(diff.new.kind.rawValue) |")
    lines.append("| Score | \(diff.old.score.map(String.init) ?? "–") | \(diff.new.score.map(String.init) ?? "–") |")
    lines.append("| Status | \(diff.old.status?.rawValue ?? "–") | \(diff.new.status?.rawValue ?? "–") |")
    lines.append("| NOT MET | \(diff.old.gaps) | \(diff.new.gaps) |")
    lines.append("| Open POA&M items | \(diff.old.openItems) | \(diff.new.openItems) |")
    lines.append("")
    func list(_ title: String, _ ids: [String]) {
      guard !ids.isEmpty else { return }
      lines.append("- \(title) (\(ids.count)): " + ids.map(Markdown.escape).joined(separator: ", "))
    }
    list("Gaps opened", diff.gapsOpened)
    list("Gaps closed", diff.gapsClosed)
    list("Newly assessed as NOT MET", diff.gapsNewlyAssessed)
    list("Evidence lost", diff.evidenceLost)
    list("Evidence gained", diff.evidenceGained)
    for item in diff.itemsReopened { lines.append("- Reopened: " + Markdown.escape(itemLine(item))) }
    for item in diff.itemsOverdue {
      lines.append("- Overdue as of \(diff.asOf): " + Markdown.escape(itemLine(item)))
    }
    if !diff.changes.isEmpty {
      lines.append("")
      lines.append("| Requirement | Before | After | Title |")
      lines.append("|---|---|---|---|")
      for change in diff.changes {
        lines.append(
          "| \(Markdown.escape(change.id)) | \(label(change.before)) | \(label(change.after)) | \(Markdown.escape(change.title ?? "")) |"
        )
      }
    }
    if !diff.notes.isEmpty { lines.append("") }
    for note in diff.notes { lines.append("> " + Markdown.escape(note)) }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func describe(_ side: SnapshotSummary) -> String {
    var text = "\(side.source) (\(side.kind.rawValue)"
    if let level = side.level { text += ", \(level)" }
    if let date = side.assessmentDate { text += ", \(date)" }
    text += ")"
    return text
  }

  private static func itemLine(_ item: RemediationItem) -> String {
    var text = item.itemTitle
    text += " [" + item.requirementIDs.joined(separator: ", ") + "]"
    if let due = item.scheduledCompletion { text += ", due \(due)" }
    return text
  }

  private static func label(_ status: RequirementStatus?) -> String {
    guard let status else { return "–" }
    switch status {
    case .met: return "MET"
    case .notMet: return "NOT MET"
    case .notApplicable: return "N/A"
    case .notAssessed: return "NOT ASSESSED"
    }
  }
}
