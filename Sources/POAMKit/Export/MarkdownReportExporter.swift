import Foundation

/// `report.md`: the gap analysis and POA&M in Markdown, for a repository, a wiki or a ticket:
/// score and status, what changed, points lost by family, the gaps, the open items with their
/// milestones, and the items closed.
struct MarkdownReportExporter: POAMExporter {
  public var fileName: String { "report.md" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    let facts = ReportFacts(context)
    let report = context.report
    let e = Markdown.escape
    var out: [String] = []
    out.append("# CMMC Level \(report.level.rawValue) gap analysis and POA&M")
    out.append("")
    out.append(
      "Assessment date: \(report.assessmentDate) · poam \(report.toolVersion) · catalog \(report.catalogVersion)")
    out.append("")
    if let profile = context.profile {
      for (label, value) in profile.headerRows { out.append("- **\(e(label)):** \(e(value))") }
      out.append("")
    }
    var headline = "**Score: \(facts.scoreText)** · **Status: \(facts.report.status.title)**"
    if let change = facts.scoreChangeText { headline += " · Score change: \(change)" }
    out.append(headline)
    out.append("")
    for reason in report.reasons { out.append("- \(e(reason))") }
    if !report.reasons.isEmpty { out.append("") }
    let counts = report.counts
    out.append(
      "Requirements: \(counts.met) met, \(counts.notMet) not met, \(counts.notApplicable) not applicable, \(counts.notAssessed) not assessed. POA&M: \(facts.activeItems.count) open (\(facts.blockingItems.count) may not be on a POA&M), \(facts.closedItems.count) closed, \(context.changes.overdue.count) overdue."
    )
    out.append("")

    let sprs = context.sprs
    out.append("## \(sprs.title)")
    out.append("")
    out.append(e(sprs.note))
    out.append("")
    out.append("| Field | Value |")
    out.append("|---|---|")
    for (label, value) in sprs.rows { out.append("| \(e(label)) | \(e(value)) |") }
    out.append("")

    out.append("## What changed since the last run")
    out.append("")
    let changes = context.changes
    if changes.hadPrior {
      out.append("| Change | Items |")
      out.append("|---|---|")
      for (label, ids) in [
        ("New", changes.new), ("Closed", changes.closed), ("Reopened", changes.reopened),
        ("Still open", changes.stillOpen), ("Overdue", changes.overdue), ("Risk accepted", changes.riskAccepted),
      ] {
        out.append("| \(label) (\(ids.count)) | \(e(ReportFacts.list(ids))) |")
      }
    } else {
      out.append("First run: \(changes.new.count) item\(changes.new.count == 1 ? "" : "s") drafted.")
    }
    out.append("")
    for diagnostic in changes.diagnostics { out.append("- \(e(diagnostic.description))") }
    if !changes.diagnostics.isEmpty { out.append("") }

    let losses = facts.lossByFamily
    out.append(report.level == .one ? "## Gaps by family" : "## Points lost by family")
    out.append("")
    if losses.isEmpty {
      out.append("No gaps.")
    } else {
      out.append("| Family | Gaps | Points lost |")
      out.append("|---|---:|---:|")
      for loss in losses { out.append("| \(loss.code) \(e(loss.name)) | \(loss.gaps) | \(loss.points) |") }
    }
    out.append("")

    out.append("## Gaps")
    out.append("")
    if facts.gaps.isEmpty {
      out.append("Every requirement is MET or not applicable.")
    } else {
      let points = report.level != .one
      out.append("| Requirement | Title | Finding |\(points ? " Points |" : "") POA&M eligible | Objectives not met |")
      out.append("|---|---|---|\(points ? "---:|" : "")---|---|")
      for gap in facts.gaps {
        let objectives = gap.failingObjectives.map { "[\($0)]" }.joined(separator: " ")
        let value = points ? " \(gap.pointsDeducted) |" : ""
        out.append(
          "| \(e(gap.id)) | \(e(gap.title)) | \(POAMTable.label(gap.status)) |\(value) \(gap.poamEligible ? "yes" : "no") | \(e(objectives)) |"
        )
      }
    }
    out.append("")

    out.append("## Plan of action and milestones")
    out.append("")
    if facts.activeItems.isEmpty { out.append("No open items.") }
    for item in facts.activeItems {
      let overdue = facts.isOverdue(item) ? " · **OVERDUE**" : ""
      out.append("### \(e(item.id)) — \(e(item.requirementTitle))")
      out.append("")
      out.append(
        "Severity \(item.severity.label) · \(item.status.label) · Owner: \(e(item.pointOfContact)) · Due: \(e(displayDate(item.scheduledCompletion)))\(overdue)"
      )
      out.append("")
      out.append("POA&M: \(item.poamEligible ? "eligible" : "**not eligible**") — \(e(item.eligibilityReason))")
      out.append("")
      out.append("Weakness: \(e(item.weakness))")
      out.append("")
      if let more = facts.unlistedEvidence(item) {
        out.append("Evidence: \(e(more))")
        out.append("")
      }
      if !item.milestones.isEmpty {
        for milestone in item.milestones {
          var line = "- "
          if let due = milestone.due { line += "**\(e(displayDate(due)))** " }
          line += e(milestone.description)
          if let done = milestone.completedOn { line += " (done \(e(displayDate(done))))" }
          out.append(line)
        }
        out.append("")
      }
      if !item.comments.isEmpty {
        out.append("Comments: \(e(item.comments))")
        out.append("")
      }
    }

    if !facts.closedItems.isEmpty {
      out.append("## Closed items")
      out.append("")
      out.append("| Item | Closed | Evidence |")
      out.append("|---|---|---|")
      for item in facts.closedItems {
        out.append("| \(e(item.id)) | \(e(item.closedOn ?? "")) | \(e(item.closureEvidence ?? "")) |")
      }
      out.append("")
    }
    if !report.diagnostics.isEmpty {
      out.append(
        "\(report.diagnostics.count) diagnostic\(report.diagnostics.count == 1 ? "" : "s") from reading the inputs are listed in gap-report.json."
      )
      out.append("")
    }
    if let line = facts.evidenceFileLine {
      out.append(e(line))
      out.append("")
    }
    return Data(out.joined(separator: "\n").utf8)
  }

  private func displayDate(_ text: String) -> String { text.isEmpty ? "not set" : text }
}
