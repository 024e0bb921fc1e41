/// The gap report as Markdown for a ticket or a pull request: the same sections as the text
/// report, with tables.
struct GapMarkdownRenderer {
  let report: GapReport
  let familyNames: [String: String]

  private var layout: GapReportLayout { GapReportLayout(report: report, familyNames: familyNames) }
  /// At most this many diagnostics are listed; the rest are counted.
  static let diagnosticLimit = 50

  private func cell(_ text: String) -> String { Markdown.escape(text) }

  func render() -> String {
    var out: [String] = []
    out.append("# CMMC Level \(report.level.rawValue) gap analysis")
    out.append("")
    out.append("| | |")
    out.append("|---|---|")
    var score = layout.scoreText
    if let minimum = report.minScore { score += " (minimum \(minimum))" }
    let coverage = report.coverage.map { " · \(cell($0.headline))" } ?? ""
    out.append("| Score | **\(cell(score))**\(coverage) |")
    out.append("| Status | **\(report.status.title)** |")
    if let prerequisite = report.prerequisite {
      let value = prerequisite.score.map { "\($0) of \(prerequisite.maxScore ?? 110)" } ?? "none"
      out.append(
        "| Level 2 prerequisite | \(cell(value)), \(prerequisite.status.title) |")
    }
    let counts = report.counts
    out.append(
      "| Requirements | \(counts.met) met, \(counts.notApplicable) N/A, \(counts.notMet) not met, \(counts.notAssessed) not assessed |"
    )
    out.append("| Assessment date | \(cell(report.assessmentDate.iso)) |")
    out.append("| Evidence policy | \(cell(report.evidencePolicy)) |")
    out.append("| Catalog / poam | \(cell(report.catalogVersion)) / \(cell(report.toolVersion)) |")
    if !report.inputs.isEmpty {
      out.append(
        "| Inputs | \(report.inputs.map { "`\($0.replacingOccurrences(of: "`", with: "'"))`" }.joined(separator: ", ")) |"
      )
    }

    if !report.reasons.isEmpty {
      out += ["", "## Why", ""]
      out += report.reasons.map { "- \(cell($0))" }
    }
    if let prerequisite = report.prerequisite, !prerequisite.reasons.isEmpty {
      out += ["", "## Why (Level 2 prerequisite)", ""]
      out += prerequisite.reasons.map { "- \(cell($0))" }
    }

    for level in layout.levels {
      out += ["", layout.levels.count > 1 ? "## By family (Level \(level.rawValue))" : "## By family", ""]
      out.append("| Family | Met | N/A | Not met | Not assessed | Points lost |")
      out.append("|---|--:|--:|--:|--:|--:|")
      let rows = layout.familyRows(level)
      for row in rows {
        out.append(
          "| \(row.family) \(cell(row.name)) | \(row.counts.met) | \(row.counts.notApplicable) | \(row.counts.notMet) | \(row.counts.notAssessed) | \(row.pointsLost) |"
        )
      }
      let total = layout.total(rows)
      out.append(
        "| **Total** | \(total.counts.met) | \(total.counts.notApplicable) | \(total.counts.notMet) | \(total.counts.notAssessed) | \(total.pointsLost) |"
      )
    }

    let gaps = layout.worstFirst(.notMet)
    out += ["", "## Gaps, worst first (\(gaps.count))", ""]
    if gaps.isEmpty {
      out.append("None.")
    } else {
      out.append("| Requirement | Title | Points | POA&M | Objectives not met | Evidence |")
      out.append("|---|---|--:|---|---|---|")
      for gap in gaps {
        let failing = gap.failingObjectives
        let objectives = failing.count == gap.objectives.count ? "all" : failing.joined(separator: ", ")
        let evidence = layout.leadEvidence(gap).map { layout.describe($0) } ?? ""
        let more = gap.evidenceCount > 1 ? " (+\(gap.evidenceCount - 1) more)" : ""
        let points = report.level == .one ? "n/a" : "\(gap.pointsDeducted)\(gap.partial ? " (partial)" : "")"
        let poam = report.level == .one ? "no" : (gap.poamEligible ? "eligible" : "not eligible")
        let confirm = gap.needsConfirmation ? " **confirm**" : ""
        out.append(
          "| \(gap.id)\(confirm) | \(cell(gap.title)) | \(points) | \(poam) | \(cell(objectives)) | \(cell(evidence))\(more) |"
        )
      }
    }

    let missing = layout.worstFirst(.notAssessed)
    if !missing.isEmpty {
      out += ["", "## Not assessed: no evidence, scored as NOT MET (\(missing.count))", ""]
      out.append("| Requirement | Title | Points | Objectives without evidence |")
      out.append("|---|---|--:|---|")
      for result in missing {
        let unassessed = result.objectives.filter { $0.value == .notAssessed }.keys.sorted()
        let which = unassessed.count == result.objectives.count ? "all" : unassessed.joined(separator: ", ")
        let points = report.level == .one ? "n/a" : "\(result.pointsDeducted)"
        out.append("| \(result.id) | \(cell(result.title)) | \(points) | \(cell(which)) |")
      }
    }

    let toConfirm = report.requirements.filter { $0.status != .notMet && $0.needsConfirmation }
    if !toConfirm.isEmpty {
      out += ["", "## Confirm: MET on automated evidence only (\(toConfirm.count))", ""]
      out += toConfirm.map { "- \($0.id) \(cell($0.title)) **confirm**" }
    }

    let conflicts = report.requirements.flatMap(\.conflicts)
    if !conflicts.isEmpty {
      out += ["", "## Conflicts between assessor and automated evidence (\(conflicts.count))", ""]
      out += conflicts.map { "- \(cell($0))" }
    }

    if !report.diagnostics.isEmpty {
      out += ["", "## Diagnostics (\(layout.diagnosticCounts))", ""]
      out.append("| Severity | Code | Where | Message |")
      out.append("|---|---|---|---|")
      for diagnostic in report.diagnostics.prefix(Self.diagnosticLimit) {
        let place = diagnostic.location.isEmpty ? diagnostic.source : "\(diagnostic.source):\(diagnostic.location)"
        out.append(
          "| \(diagnostic.severity.rawValue) | `\(diagnostic.code)` | \(cell(place)) | \(cell(diagnostic.message)) |")
      }
      if report.diagnostics.count > Self.diagnosticLimit {
        out += [
          "",
          "\(Plural.count(report.diagnostics.count - Self.diagnosticLimit, "more diagnostic", "more diagnostics")) in the JSON report (`--format json`).",
        ]
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
