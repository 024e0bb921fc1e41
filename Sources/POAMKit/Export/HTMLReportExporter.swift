import Foundation

/// `report.html`: one self-contained page for a manager — score and status at the top, what
/// changed since the last run, an inline SVG chart of points lost by family, the gap table, and
/// the POA&M with owners, milestones and due dates. No scripts, no network, no external assets:
/// the CSS is inline and every value is HTML-escaped.
struct HTMLReportExporter: POAMExporter {
  public var fileName: String { "report.html" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    let facts = ReportFacts(context)
    let report = context.report
    let h = HTML.escape
    var body = ""

    // Header: what, when, score and status.
    let statusClass = ["final": "ok", "conditional": "warn", "not-eligible": "bad"][report.status.rawValue] ?? "bad"
    var delta = ""
    if let change = facts.scoreChangeText {
      let direction =
        (context.changes.scoreChange ?? 0) > 0 ? "up" : ((context.changes.scoreChange ?? 0) < 0 ? "down" : "")
      delta = "<div class=\"delta \(direction)\">\(h(change))</div>"
    }
    let inputs = report.inputs.count
    let sprs = context.sprs
    var identity = ""
    if let profile = context.profile {
      let who = [profile.organization, profile.systemLabel].compactMap { $0 }.joined(separator: " · ")
      if !who.isEmpty { identity += "<div class=\"who\">\(h(who))</div>" }
      var facts: [String] = []
      if !profile.cageCodes.isEmpty { facts.append("CAGE \(profile.cageCodes.joined(separator: ", "))") }
      if let ssp = profile.ssp?.summary { facts.append("SSP: \(ssp)") }
      var assessment = profile.assessmentType.title
      if let assessor = profile.assessor { assessment += " by \(assessor)" }
      facts.append(assessment)
      if let contact = profile.contact("poam") { facts.append("POA&M contact: \(contact)") }
      identity += "<div class=\"meta\">\(facts.map(h).joined(separator: " · "))</div>"
      if let scope = profile.scope { identity += "<div class=\"meta\">Scope: \(h(scope))</div>" }
    }
    var deadline = ""
    if let closeout = sprs.closeoutDeadline {
      deadline =
        "<div class=\"deadline\">Close out by <strong>\(h(closeout))</strong><span>status date \(h(sprs.statusDate ?? "")) + 180 days</span></div>"
    }
    let scoreLabel = report.score == nil ? "Requirements" : (report.level == .two ? "SPRS score" : "Level 3 score")
    body += """
      <header class="top">
      <div class="heading"><div class="eyebrow">CMMC Level \(report.level.rawValue) · Gap analysis and POA&amp;M</div>
      <h1>Assessment of \(h(report.assessmentDate.iso))</h1>\(identity)
      <div class="meta">\(inputs) input\(inputs == 1 ? "" : "s") · poam \(h(report.toolVersion)) · catalog \(h(report.catalogVersion))</div></div>
      <div class="scorebox"><div class="score-label">\(scoreLabel)</div>
      <div class="score">\(h(facts.scoreText))</div>\(report.coverage.map { "<div class=\"score-label\">\(h($0.headline))</div>" } ?? "")
      <div class="badge \(statusClass)">\(h(report.status.title))</div>\(delta)\(deadline)</div>
      </header>\n
      """
    if !report.reasons.isEmpty {
      body += "<section class=\"reasons\"><h2>Why the status is not final</h2><ul>"
      for reason in report.reasons { body += "<li>\(h(reason))</li>" }
      body += "</ul></section>\n"
    }

    // SPRS entry.
    body += "<section class=\"sprs\"><h2>\(h(sprs.title))</h2><p class=\"note top-note\">\(h(sprs.note))</p><dl>"
    for (label, value) in sprs.rows { body += "<dt>\(h(label))</dt><dd>\(h(value))</dd>" }
    body += "</dl></section>\n"

    // Key numbers.
    let counts = report.counts
    var cards: [(String, String, String)] = [
      ("Not met", String(counts.notMet), counts.notMet > 0 ? "bad" : "ok"),
      ("Not assessed", String(counts.notAssessed), counts.notAssessed > 0 ? "warn" : "ok"),
    ]
    if report.score != nil {
      cards.append(("Points lost", String(facts.pointsLost), facts.pointsLost > 0 ? "bad" : "ok"))
    }
    cards += [
      ("Open POA&M items", String(facts.activeItems.count), facts.activeItems.isEmpty ? "ok" : "neutral"),
      ("May not be on a POA&M", String(facts.blockingItems.count), facts.blockingItems.isEmpty ? "ok" : "bad"),
      ("Overdue", String(context.changes.overdue.count), context.changes.overdue.isEmpty ? "ok" : "bad"),
    ]
    body += "<section class=\"cards\">"
    for (label, value, tone) in cards {
      body +=
        "<div class=\"card \(tone)\"><div class=\"card-value\">\(h(value))</div><div class=\"card-label\">\(h(label))</div></div>"
    }
    body += "</section>\n"
    body += Self.scoreOverTime(context)

    // What changed.
    let changes = context.changes
    body += "<section><h2>What changed since the last run</h2>"
    if changes.hadPrior {
      body += "<div class=\"changes\">"
      for (label, ids, tone) in [
        ("New", changes.new, "bad"), ("Closed", changes.closed, "ok"), ("Reopened", changes.reopened, "bad"),
        ("Still open", changes.stillOpen, "neutral"), ("Overdue", changes.overdue, "bad"),
        ("Risk accepted", changes.riskAccepted, "neutral"),
      ] {
        let list =
          ids.isEmpty ? "<span class=\"none\">none</span>" : ids.map { "<code>\(h($0))</code>" }.joined(separator: " ")
        body +=
          "<div class=\"change \(ids.isEmpty ? "empty" : tone)\"><div class=\"change-count\">\(ids.count)</div><div><div class=\"change-label\">\(h(label))</div><div class=\"change-ids\">\(list)</div></div></div>"
      }
      body += "</div>"
      if let prior = changes.priorAssessmentDate, !prior.isEmpty {
        body += "<p class=\"note\">Compared with the POA&amp;M drafted for the assessment of \(h(prior)).</p>"
      }
    } else {
      body +=
        "<p>First run: \(changes.new.count) item\(changes.new.count == 1 ? "" : "s") drafted. Rerun with <code>--prior</code> after remediation to see items close.</p>"
    }
    if !changes.diagnostics.isEmpty {
      body += "<ul class=\"remarks\">"
      for diagnostic in changes.diagnostics { body += "<li>\(h(diagnostic.location)): \(h(diagnostic.message))</li>" }
      body += "</ul>"
    }
    body += "</section>\n"

    // Chart.
    let losses = facts.lossByFamily
    let levelOne = report.level == .one
    body += "<section><h2>\(levelOne ? "Gaps by family" : "Points lost by family")</h2>"
    if losses.isEmpty {
      body += "<p>No gaps: nothing lost.</p>"
    } else {
      let chart = SVGBarChart(
        bars: losses.map {
          SVGBarChart.Bar(
            label: $0.code, detail: $0.name, value: levelOne ? $0.gaps : $0.points)
        }, caption: levelOne ? "Requirements not met by family" : "Points lost by family")
      body += chart.render()
    }
    body += "</section>\n"

    // Gaps.
    body += "<section><h2>Gaps</h2>"
    if facts.gaps.isEmpty {
      body += "<p>Every requirement is MET or not applicable.</p>"
    } else {
      body +=
        "<table><thead><tr><th>Requirement</th><th>Finding</th>\(levelOne ? "" : "<th class=\"num\">Points</th>")<th>POA&amp;M</th><th>Objectives not met</th></tr></thead><tbody>"
      for gap in facts.gaps {
        let finding =
          gap.status == .notAssessed
          ? "<span class=\"pill warn\">Not assessed</span>" : "<span class=\"pill bad\">Not met</span>"
        let eligible =
          gap.poamEligible ? "<span class=\"pill ok\">Eligible</span>" : "<span class=\"pill bad\">Not eligible</span>"
        let objectives = gap.failingObjectives.map { "[\(h($0))]" }.joined(separator: " ")
        let confirm = gap.needsConfirmation ? " <span class=\"pill warn\">confirm</span>" : ""
        body +=
          "<tr><td><code>\(h(gap.id))</code>\(confirm)<div class=\"sub\">\(h(gap.title))</div></td><td>\(finding)</td>\(levelOne ? "" : "<td class=\"num\">\(gap.pointsDeducted)</td>")<td>\(eligible)</td><td>\(objectives)</td></tr>"
      }
      body += "</tbody></table>"
    }
    body += "</section>\n"

    // POA&M.
    body += "<section><h2>Plan of action and milestones</h2>"
    if facts.activeItems.isEmpty {
      body += "<p>No open items.</p>"
    } else {
      body +=
        "<table class=\"poam\"><thead><tr><th>Item</th><th>Severity</th><th>Owner</th><th>Milestones</th><th>Due</th></tr></thead><tbody>"
      for item in facts.activeItems {
        let overdue = facts.isOverdue(item)
        var milestones = "<ol class=\"milestones\">"
        for milestone in item.milestones {
          let due = milestone.due.map { "<span class=\"when\">\(h($0))</span> " } ?? ""
          let done = milestone.isCompleted ? " class=\"done\"" : ""
          milestones += "<li\(done)>\(due)\(h(milestone.description))</li>"
        }
        milestones += "</ol>"
        let status =
          item.status == .riskAccepted ? " <span class=\"pill neutral\">Risk accepted</span>" : ""
        let eligibility =
          item.poamEligible
          ? "" : " <span class=\"pill bad\" title=\"\(h(item.eligibilityReason))\">Not POA&amp;M-eligible</span>"
        let due = item.scheduledCompletion.isEmpty ? "not set" : item.scheduledCompletion
        let more = facts.unlistedEvidence(item).map { "<div class=\"sub evidence\">\(h($0))</div>" } ?? ""
        body +=
          "<tr\(overdue ? " class=\"overdue\"" : "")><td><code>\(h(item.id))</code><div class=\"sub\">\(h(item.requirementTitle))</div>\(status)\(eligibility)\(more)</td>"
          + "<td><span class=\"sev \(item.severity.rawValue)\">\(h(item.severity.label))</span></td>"
          + "<td>\(h(item.pointOfContact))</td><td>\(milestones)</td>"
          + "<td class=\"due\">\(h(due))\(overdue ? "<div class=\"pill bad\">Overdue</div>" : "")</td></tr>"
      }
      body += "</tbody></table>"
    }
    body += "</section>\n"

    if !facts.closedItems.isEmpty {
      body +=
        "<section><h2>Closed items</h2><table><thead><tr><th>Item</th><th>Closed</th><th>Evidence</th></tr></thead><tbody>"
      for item in facts.closedItems {
        body +=
          "<tr><td><code>\(h(item.id))</code><div class=\"sub\">\(h(item.requirementTitle))</div></td><td class=\"due\">\(h(item.closedOn ?? ""))</td><td class=\"evidence\">\(h(item.closureEvidence ?? ""))</td></tr>"
      }
      body += "</tbody></table></section>\n"
    }

    var footer = "Drafted by poam \(h(report.toolVersion)) from the CMMC catalog \(h(report.catalogVersion))."
    if report.level != .one {
      footer +=
        " A Conditional status must be closed out within 180 days (32 CFR 170.21(b)); only 1-point requirements (and SC.L2-3.13.11 at 3 points) may be on a POA&amp;M."
    }
    if !report.diagnostics.isEmpty {
      footer +=
        " \(report.diagnostics.count) diagnostic\(report.diagnostics.count == 1 ? "" : "s") are listed in gap-report.json."
    }
    if let line = facts.evidenceFileLine { footer += " " + h(line) }
    body += "<footer>\(footer)</footer>\n"

    let title = "CMMC Level \(report.level.rawValue) gap analysis — \(report.assessmentDate)"
    let page = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(h(title))</title>
      <style>\(Self.css)</style>
      </head>
      <body>
      <main>
      \(body)</main>
      </body>
      </html>

      """
    return Data(page.utf8)
  }

  /// The score over the recorded runs of the level, when the history holds two or more.
  static func scoreOverTime(_ context: ExportContext) -> String {
    let report = context.report
    let points = SVGScoreChart.points(context.history, current: context.history.last { $0.id == nil })
    guard points.count >= 2 else { return "" }
    let h = HTML.escape
    let levelOne = report.level == .one
    let threshold = levelOne ? nil : context.catalog.scoring(report.level)?.conditionalMinScore ?? report.minScore
    let maximum =
      report.maxScore ?? context.history.last.map {
        $0.counts.met + $0.counts.notApplicable + $0.counts.notMet + $0.counts.notAssessed
      } ?? 0
    let what = levelOne ? "Requirements met" : (report.level == .two ? "SPRS score" : "Level 3 score")
    let chart = SVGScoreChart(
      points: points, maximum: maximum, threshold: threshold,
      caption: "\(what) over \(points.count) recorded runs of Level \(report.level.rawValue)")
    var html =
      "<section class=\"trend-section\"><h2>\(levelOne ? "Requirements met over time" : "Score over time")</h2>"
    html += chart.render()
    html += "<div class=\"legend\">"
    for status in [CertificationStatus.final, .conditional, .notEligible] {
      html += "<span class=\"key\"><i class=\"dot \(status.rawValue)\"></i>\(status.title)</span>"
    }
    if let threshold {
      html += "<span class=\"key\"><i class=\"dash\"></i>Conditional minimum (\(threshold))</span>"
    }
    html += "</div>"
    let recorded = context.history.count
    let shownNote = points.count < recorded ? "the last \(points.count) of \(recorded) runs" : "\(points.count) runs"
    html +=
      "<p class=\"note\">\(h(what)) of \(shownNote) of Level \(report.level.rawValue) in the run history (poam analyze and poam check with --record), by assessment date\(points.contains { $0.isCurrent } ? "; the large point is this run" : "").</p>"
    return html + "</section>\n"
  }

  static let css = """
    :root{--ink:#16202c;--muted:#5b6776;--line:#e3e7ec;--bg:#f4f6f9;--card:#fff;--navy:#1f3a5f;\
    --ok:#15803d;--ok-bg:#e7f6ec;--warn:#b45309;--warn-bg:#fdf3e1;--bad:#b91c1c;--bad-bg:#fdeaea;\
    --neutral:#334e68;--neutral-bg:#e8eef5}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",Roboto,\
    "Helvetica Neue",Arial,sans-serif}
    main{max-width:1120px;margin:0 auto;padding:28px 24px 40px}
    h1{font-size:26px;margin:4px 0 6px;font-weight:650}
    h2{font-size:17px;margin:0 0 14px;font-weight:650;color:var(--navy)}
    section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;margin:0 0 18px}
    code{font:12.5px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--navy);font-weight:600}
    .top{display:flex;justify-content:space-between;align-items:stretch;gap:24px;background:var(--navy);color:#fff;\
    border-radius:12px;padding:24px 28px;margin-bottom:18px}
    .eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:12px;opacity:.8}
    .meta{opacity:.75;font-size:13px}
    .scorebox{text-align:right;min-width:220px}
    .score-label{font-size:12px;text-transform:uppercase;letter-spacing:.08em;opacity:.8}
    .score{font-size:44px;font-weight:700;line-height:1.1;margin:2px 0 8px;white-space:nowrap}.heading{flex:1;min-width:0}
    .badge{display:inline-block;padding:4px 14px;border-radius:999px;font-weight:650;font-size:14px}
    .badge.ok{background:#d9f2e1;color:var(--ok)}.badge.warn{background:#fde8c8;color:var(--warn)}\
    .badge.bad{background:#fbd5d5;color:var(--bad)}
    .delta{margin-top:8px;font-size:13px;opacity:.9}.delta.up::before{content:"\\25B2\\00a0"}.delta.down::before{content:"\\25BC\\00a0"}
    .who{font-size:16px;font-weight:600;margin:0 0 4px}
    .deadline{margin-top:10px;font-size:13px}.deadline strong{font-size:15px}.deadline span{display:block;opacity:.75;\
    font-size:12px}
    .sprs dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:12px 0 0}
    .sprs dt{color:var(--muted);font-weight:600}.sprs dd{margin:0}.top-note{margin:0}
    .reasons ul{margin:0;padding-left:20px}.reasons li{margin:4px 0}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;background:none;border:0;padding:0}
    .card{background:var(--card);border:1px solid var(--line);border-top:4px solid var(--neutral);border-radius:10px;\
    padding:14px 16px}
    .card.ok{border-top-color:var(--ok)}.card.warn{border-top-color:var(--warn)}.card.bad{border-top-color:var(--bad)}
    .card-value{font-size:28px;font-weight:700}.card-label{color:var(--muted);font-size:13px}
    .changes{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}
    .change{display:flex;gap:12px;align-items:flex-start;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
    .change-count{font-size:22px;font-weight:700;min-width:28px;text-align:center}
    .change.ok .change-count{color:var(--ok)}.change.bad .change-count{color:var(--bad)}\
    .change.neutral .change-count{color:var(--neutral)}.change.empty{opacity:.6}
    .change-label{font-weight:650}.change-ids code{margin-right:6px;font-size:12px}.none{color:var(--muted)}
    .note{color:var(--muted);font-size:13px;margin:12px 0 0}
    .remarks{color:var(--warn);font-size:13px;margin:12px 0 0;padding-left:18px}
    .chart{display:block;max-width:100%}.chart-label{font-size:13px;font-weight:650;fill:var(--ink)}
    .chart-detail{font-weight:400;fill:var(--muted)}.chart-track{fill:#f0f2f5}.chart-value{font-size:13px;font-weight:700;\
    fill:var(--ink)}
    .trend-grid line{stroke:var(--line);stroke-width:1}.trend-tick,.trend-date{font-size:12px;fill:var(--muted)}
    .trend-axis{stroke:#c9d1db;stroke-width:1.2}.trend-note{font-size:12px;fill:var(--muted)}
    .trend-threshold{stroke:var(--warn);stroke-width:1.6;stroke-dasharray:6 5}
    .trend-threshold-label{font-size:12px;font-weight:650;fill:var(--warn)}
    .trend-area{fill:var(--navy);fill-opacity:.07}.trend-line{fill:none;stroke:var(--navy);stroke-width:2.5;\
    stroke-linejoin:round;stroke-linecap:round}
    .trend-point{stroke:#fff;stroke-width:2}.trend-point.current{stroke:var(--navy);stroke-width:2.5}
    .trend-point.final{fill:var(--ok)}.trend-point.conditional{fill:var(--warn)}.trend-point.not-eligible{fill:var(--bad)}
    .trend-value{font-size:12.5px;font-weight:700;fill:var(--ink)}.trend-current{font-size:11px;font-weight:650;\
    fill:var(--navy);text-transform:uppercase;letter-spacing:.06em}
    .legend{display:flex;flex-wrap:wrap;gap:18px;margin:8px 0 0 52px;font-size:13px;color:var(--muted)}
    .key{display:inline-flex;align-items:center;gap:6px}
    .dot{display:inline-block;width:11px;height:11px;border-radius:50%}.dot.final{background:var(--ok)}
    .dot.conditional{background:var(--warn)}.dot.not-eligible{background:var(--bad)}
    .dash{display:inline-block;width:22px;border-top:2px dashed var(--warn)}
    table{width:100%;border-collapse:collapse}
    th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);\
    border-bottom:2px solid var(--line);padding:8px 10px}
    td{border-bottom:1px solid var(--line);padding:10px;vertical-align:top}
    tbody tr:nth-child(even){background:#fafbfc}
    td code{white-space:nowrap}.num{text-align:right}.sub{color:var(--muted);font-size:13px}
    .pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;margin-top:3px}
    .pill.ok{background:var(--ok-bg);color:var(--ok)}.pill.warn{background:var(--warn-bg);color:var(--warn)}
    .pill.bad{background:var(--bad-bg);color:var(--bad)}.pill.neutral{background:var(--neutral-bg);color:var(--neutral)}
    .sev{display:inline-block;min-width:74px;text-align:center;padding:2px 8px;border-radius:6px;font-size:12px;\
    font-weight:650}
    .sev.high{background:var(--bad-bg);color:var(--bad)}.sev.moderate{background:var(--warn-bg);color:var(--warn)}
    .sev.low{background:var(--neutral-bg);color:var(--neutral)}
    .milestones{margin:0;padding-left:18px}.milestones li{margin:0 0 4px}.milestones li.done{color:var(--muted);\
    text-decoration:line-through}
    .when{font-weight:650;white-space:nowrap}
    .due{white-space:nowrap;font-weight:600}
    tr.overdue td{background:#fff6f6}
    .evidence{font-size:13px}
    footer{color:var(--muted);font-size:12.5px;padding:4px 4px 0}
    @media print{body{background:#fff}main{padding:0}section,.top{break-inside:avoid}.top{-webkit-print-color-adjust:exact;\
    print-color-adjust:exact}}
    """
}
