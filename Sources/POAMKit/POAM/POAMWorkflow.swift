import Foundation

/// What `poam analyze` tells the user on stdout: the score, the status and what the run changed.
public struct AnalyzeSummary: Codable, Sendable, Hashable {
  /// The target level.
  public var level: CMMCLevel
  /// The assessment date.
  public var assessmentDate: String
  /// The score (nil at Level 1).
  public var score: Int?
  /// The best possible score.
  public var maxScore: Int?
  /// Final, conditional or not eligible.
  public var status: CertificationStatus
  /// Items not closed (open or risk accepted).
  public var open: Int
  /// Items in the POA&M, open and closed.
  public var total: Int
  /// What changed.
  public var changes: POAMChanges
  /// The files written, in order.
  public var outputs: [String]
  /// The run history this run was recorded in (nil when it was not recorded).
  public var historyPath: String?
  /// The history's ID for this run (nil when it was not recorded).
  public var historyRunID: Int64?
  /// What a self-assessment posts in SPRS.
  public var sprs: SPRSEntry?

  enum CodingKeys: String, CodingKey {
    case level
    case assessmentDate = "assessment_date"
    case score
    case maxScore = "max_score"
    case status, open, total, changes, outputs
    case historyPath = "history_path"
    case historyRunID = "history_run_id"
    case sprs
  }

  /// The summary as lines of text for a terminal.
  public var text: String {
    var rows: [(String, String)] = []
    var score = "—"
    if let value = self.score {
      score = maxScore.map { "\(value) of \($0)" } ?? String(value)
      if let change = changes.scoreChange {
        let since = changes.priorAssessmentDate.map { " since \($0)" } ?? ""
        score += change == 0 ? " (no change\(since))" : " (\(change > 0 ? "+" : "")\(change)\(since))"
      }
    }
    rows.append(("Level", "\(level.rawValue), assessment of \(assessmentDate)"))
    rows.append(("Score", score))
    rows.append(("Status", status.title))
    rows.append(("Open items", "\(open) of \(total)"))
    rows.append(("New", String(changes.new.count)))
    if changes.hadPrior {
      rows.append(("Closed", String(changes.closed.count)))
      rows.append(("Reopened", String(changes.reopened.count)))
      rows.append(("Still open", String(changes.stillOpen.count)))
    }
    rows.append(("Overdue", String(changes.overdue.count)))
    let width = rows.map(\.0.count).max() ?? 0
    var lines = rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
    for diagnostic in changes.diagnostics { lines.append(diagnostic.description) }
    if !outputs.isEmpty {
      let directory = URL(fileURLWithPath: outputs[0]).deletingLastPathComponent().path
      lines.append(
        "Wrote \(outputs.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")) to \(directory)")
    }
    if let sprs {
      lines.append("")
      lines.append(sprs.title + ":")
      let width = sprs.rows.map(\.0.count).max() ?? 0
      for (label, value) in sprs.rows {
        lines.append("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
      }
      if sprs.referenceOnly { lines.append("  " + sprs.note) }
    }
    if let historyPath, let historyRunID { lines.append("Recorded run \(historyRunID) in \(historyPath)") }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The library entry point behind `poam analyze`: from a gap report (and the previous POA&M,
/// if any) to the six output files.
public enum POAMWorkflow {
  /// Drafts the POA&M for `report`, merges it with `prior`, renders every export and writes
  /// them into `outputDirectory` as one set through ``OutputSet`` (locked, journaled, recorded
  /// in `OUT/.poam/manifest.json`), so an interrupted run leaves the previous outputs intact.
  /// Pass the `outputSet` the prior was chosen in (``PriorSelection``) to keep the lock held from
  /// reading the prior to the last rename; `keepCopies` are files a person edited that the new
  /// set replaces without merging: a copy of each is kept beside it. The `evidenceFile`, when
  /// given, is written into the set as `evidence.jsonl.gz`.
  ///
  /// With a `history` that records, the run is recorded (one transaction) after the renames and
  /// before the set is committed: when recording fails, the previous outputs are put back. A
  /// history this poam may not write (a newer schema, no write permission) is refused before
  /// anything is written.
  public static func run(
    report: GapReport, catalog: Catalog, prior: POAMDocument?, owners: Owners? = nil, outputDirectory: URL,
    policy: POAMPolicy = .standard, layout: POAMLayout? = nil, priorDiagnostics: [Diagnostic] = [],
    exporters: [any POAMExporter] = Exporters.all, history: AnalyzeHistory? = nil, outputSet: OutputSet? = nil,
    keepCopies: [String] = [], profile: SystemProfile? = nil, sspHref: String? = nil,
    evidenceFile: EvidenceFile? = nil
  ) throws -> AnalyzeSummary {
    var store: HistoryStore?
    if let history, history.record {
      let opened = try HistoryStore(path: history.path)
      try opened.requireWritable()
      store = opened
    }
    let layout = try layout ?? POAMLayout.bundled()
    let draft = try POAMDrafter(catalog: catalog, owners: owners ?? profile?.owners ?? Owners(), policy: policy).draft(
      report)
    var (document, changes) = try POAMMerger(catalog: catalog, policy: policy).merge(
      draft: draft, prior: prior, report: report)
    document.toolVersion = ToolInfo.version
    document.statusDate = SPRSEntry.statusDate(report: report, prior: prior)
    changes.diagnostics = priorDiagnostics + changes.diagnostics
    var thisRun = HistoryRun(report: report, command: "analyze", inputs: [])
    var series: [HistoryRun] = []
    if let history {
      do {
        let reader = try store ?? HistoryStore(path: history.path, create: false)
        series = try reader.runs(level: report.level, last: SVGScoreChart.maximumPoints - 1) + [thisRun]
      } catch {
        // Only read for the chart: the run goes on without it, and says why.
        changes.diagnostics.append(
          Diagnostic(
            .warning, .historyUnreadable, source: "poam", location: "run history",
            message: "\(error.localizedDescription); report.html has no score over time"))
      }
    }
    let context = ExportContext(
      report: report, document: document, changes: changes, catalog: catalog, layout: layout, history: series,
      profile: profile, sspHref: sspHref)
    // The exports are independent: rendered on every core, written in this order.
    let files: [(URL, Data)] = try Parallel.map(exporters) { exporter in
      (outputDirectory.appendingPathComponent(exporter.fileName), try exporter.render(context))
    }
    if let store { try requireWritableFile(store.path) }
    let set = try outputSet ?? OutputSet.open(outputDirectory)
    var runID: Int64?
    let outcome = try set.commit(
      files.map { ($0.0.lastPathComponent, $0.1) }, level: report.level, assessmentDate: report.assessmentDate.iso,
      keepingCopiesOf: keepCopies, evidenceFile: evidenceFile
    ) {
      if let history, let store {
        thisRun.inputs = history.hashedInputs()
        runID = try store.record(thisRun)
      }
    }
    changes.diagnostics = set.diagnostics + changes.diagnostics
    for (name, copy) in outcome.keptCopies.sorted(by: { $0.key < $1.key }) {
      let why =
        PriorSelection.poamFiles.contains(name)
        ? "it is not the POA&M this run merged with" : "poam cannot merge a report back"
      changes.diagnostics.append(
        Diagnostic(
          .warning, .keptCopy, source: "poam", location: outputDirectory.appendingPathComponent(name).path,
          message:
            "changed since poam wrote it and replaced now (\(why)); your version is kept as \(URL(fileURLWithPath: copy).lastPathComponent)"
        ))
    }
    return AnalyzeSummary(
      level: report.level, assessmentDate: report.assessmentDate.iso, score: report.score, maxScore: report.maxScore,
      status: report.status, open: document.activeItems.count, total: document.items.count, changes: changes,
      outputs: outcome.written, historyPath: runID == nil ? nil : store?.path, historyRunID: runID,
      sprs: context.sprs)
  }

  /// Fails before anything is replaced when the history file (or its folder, for a new one)
  /// cannot be written.
  static func requireWritableFile(_ path: String) throws(OutputError) {
    let manager = FileManager.default
    let target = manager.fileExists(atPath: path) ? path : (path as NSString).deletingLastPathComponent
    if manager.fileExists(atPath: target), !manager.isWritableFile(atPath: target) {
      throw OutputError(path: path, reason: "the run history is not writable; nothing was written")
    }
  }

  /// Reads the previous POA&M: `poam.json`, `poam.csv` or `poam.xlsx`, in the given layout.
  public static func loadPrior(
    path: String, catalog: Catalog, layout: POAMLayout? = nil
  ) throws -> (POAMDocument, [Diagnostic]) {
    let reader = POAMReader(catalog: catalog, layout: try layout ?? POAMLayout.bundled())
    return try reader.read(path: path)
  }
}
