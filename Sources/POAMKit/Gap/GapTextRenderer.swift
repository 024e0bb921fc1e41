import Foundation

/// The gap report for a terminal: verdict first, then reasons, the family table, the gaps worst
/// first, what was not assessed, conflicts, and a count of diagnostics.
struct GapTextRenderer {
  let report: GapReport
  let familyNames: [String: String]
  let color: Bool

  private var layout: GapReportLayout { GapReportLayout(report: report, familyNames: familyNames) }
  private let width = 100

  private enum Tone: String {
    case bold = "1"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case dim = "2"
  }

  private func paint(_ text: String, _ tone: Tone) -> String {
    color ? "\u{1B}[\(tone.rawValue)m\(text)\u{1B}[0m" : text
  }

  private func tone(_ status: CertificationStatus) -> Tone {
    switch status {
    case .final: return .green
    case .conditional: return .yellow
    case .notEligible: return .red
    }
  }

  func render() -> String {
    var lines: [String] = []
    lines.append(paint("CMMC Level \(report.level.rawValue) gap analysis", .bold))
    lines.append(
      paint(
        "assessment date \(report.assessmentDate) · evidence policy \(report.evidencePolicy) · catalog \(report.catalogVersion) · poam \(report.toolVersion)",
        .dim))
    lines.append("")
    let status = report.status.title.uppercased()
    var headline = "Score: \(layout.scoreText)"
    if let minimum = report.minScore { headline += " (minimum \(minimum))" }
    if report.level == .one { headline = "Score: none (Level 1 requirements are MET or NOT MET in full)" }
    if let coverage = report.coverage { headline += " · \(coverage.headline)" }
    lines.append(headline + "    Status: " + paint(status, tone(report.status)))
    let counts = report.counts
    lines.append(
      "Met \(counts.met) · N/A \(counts.notApplicable) · Not met \(counts.notMet) · Not assessed \(counts.notAssessed)"
        + (report.level == .three ? " (Level 3 requirements)" : ""))
    if let prerequisite = report.prerequisite {
      let score = prerequisite.score.map { "\($0) of \(prerequisite.maxScore ?? 110)" } ?? "none"
      lines.append(
        "Level 2 prerequisite: score \(score)    Status: "
          + paint(prerequisite.status.title.uppercased(), tone(prerequisite.status)))
    }

    if !report.reasons.isEmpty {
      lines += ["", paint("Why", .bold)]
      for reason in report.reasons { lines += bullet(reason) }
    }
    if let prerequisite = report.prerequisite, !prerequisite.reasons.isEmpty {
      lines += ["", paint("Why (Level 2 prerequisite)", .bold)]
      for reason in prerequisite.reasons { lines += bullet(reason) }
    }

    for level in layout.levels {
      lines += ["", paint(layout.levels.count > 1 ? "By family (Level \(level.rawValue))" : "By family", .bold)]
      lines.append(familyTable(level))
    }

    let gaps = layout.worstFirst(.notMet)
    lines += ["", paint("Gaps, worst first (\(gaps.count))", .bold)]
    if gaps.isEmpty { lines.append("  none") }
    for gap in gaps { lines += describeGap(gap) }

    let missing = layout.worstFirst(.notAssessed)
    if !missing.isEmpty {
      lines += ["", paint("Not assessed: no evidence, scored as NOT MET (\(missing.count))", .bold)]
      for result in missing {
        let points = result.points == nil ? "" : TextPad.number(-result.pointsDeducted, width: 3) + "  "
        var line = "  \(points)\(result.id)  \(result.title)"
        let assessed = result.objectives.filter { $0.value != .notAssessed }.keys.sorted()
        if !assessed.isEmpty {
          let unassessed = result.objectives.filter { $0.value == .notAssessed }.keys.sorted()
          line +=
            "  (no evidence for objective\(unassessed.count == 1 ? "" : "s") \(unassessed.joined(separator: ", ")))"
        }
        lines.append(line)
      }
    }

    let toConfirm = report.requirements.filter { $0.status != .notMet && $0.needsConfirmation }
    if !toConfirm.isEmpty {
      lines += ["", paint("Confirm: MET on automated evidence only (\(toConfirm.count))", .bold)]
      for result in toConfirm {
        lines.append("  \(result.id)  \(result.title)  [confirm]")
      }
    }

    let conflicts = report.requirements.flatMap(\.conflicts)
    if !conflicts.isEmpty {
      lines += ["", paint("Conflicts between assessor and automated evidence (\(conflicts.count))", .bold)]
      for conflict in conflicts { lines += bullet(conflict) }
    }

    if !report.diagnostics.isEmpty {
      lines += ["", "Diagnostics: \(layout.diagnosticCounts) (the full list is in --format json or markdown)"]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func bullet(_ text: String) -> [String] {
    let wrapped = TextWrap.wrap(text, width: width - 4)
    return wrapped.enumerated().map { index, line in (index == 0 ? "  - " : "    ") + line }
  }

  private func familyTable(_ level: CMMCLevel) -> String {
    let rows = layout.familyRows(level)
    let total = layout.total(rows)
    let header = ["Family", "Met", "N/A", "Not met", "Not assessed", "Points lost"]
    func cells(_ name: String, _ counts: GapCounts, _ lost: Int) -> [String] {
      [name, "\(counts.met)", "\(counts.notApplicable)", "\(counts.notMet)", "\(counts.notAssessed)", "\(lost)"]
    }
    var body = rows.map { cells("\($0.family)  \($0.name)", $0.counts, $0.pointsLost) }
    body.append(cells("Total", total.counts, total.pointsLost))
    // Right-align the numbers under their headers.
    for column in 1..<header.count {
      let widest = max(header[column].count, body.map { $0[column].count }.max() ?? 0)
      for row in body.indices {
        body[row][column] = String(repeating: " ", count: widest - body[row][column].count) + body[row][column]
      }
    }
    return TextTable.render(header: header, rows: body).split(separator: "\n").map { "  " + $0 }.joined(
      separator: "\n")
  }

  private func describeGap(_ gap: RequirementResult) -> [String] {
    let points = report.level == .one ? "" : TextPad.number(-gap.pointsDeducted, width: 3) + "  "
    let poam =
      report.level == .one
      ? "" : (gap.poamEligible ? paint("  POA&M-eligible", .yellow) : paint("  not POA&M-eligible", .red))
    let finding = gap.partial ? "NOT MET (partial)" : "NOT MET"
    let confirm = gap.needsConfirmation ? paint("  [confirm: automated evidence only]", .yellow) : ""
    var lines = ["  \(points)\(gap.id)  \(gap.title)  " + paint(finding, .red) + poam + confirm]
    let indent = String(repeating: " ", count: 4 + points.count)
    let failing = gap.failingObjectives
    if !failing.isEmpty && failing.count < gap.objectives.count {
      lines.append(indent + "objectives not met: " + failing.joined(separator: ", "))
    }
    if let evidence = layout.leadEvidence(gap) {
      let more = gap.evidenceCount > 1 ? " +\(gap.evidenceCount - 1) more" : ""
      let wrapped = TextWrap.wrap("evidence: " + layout.describe(evidence) + more, width: width - indent.count)
      for (index, line) in wrapped.prefix(3).enumerated() {
        lines.append(indent + (index == 0 ? "" : "  ") + line)
      }
    }
    return lines
  }
}
