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

  enum CodingKeys: String, CodingKey {
    case level
    case assessmentDate = "assessment_date"
    case score
    case maxScore = "max_score"
    case status, open, total, changes, outputs
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
    let statusWord = ["final": "Final", "conditional": "Conditional", "not-eligible": "Not eligible"][status.rawValue]!
    rows.append(("Level", "\(level.rawValue), assessment of \(assessmentDate)"))
    rows.append(("Score", score))
    rows.append(("Status", statusWord))
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
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The library entry point behind `poam analyze`: from a gap report (and the previous POA&M,
/// if any) to the six output files.
public enum POAMWorkflow {
  /// Drafts the POA&M for `report`, merges it with `prior`, renders every export and writes
  /// them into `outputDirectory` atomically (all temporary files first, then the renames), so an
  /// interrupted run leaves the previous outputs intact.
  public static func run(
    report: GapReport, catalog: Catalog, prior: POAMDocument?, owners: Owners? = nil, outputDirectory: URL,
    policy: POAMPolicy = .standard, layout: POAMLayout? = nil, priorDiagnostics: [Diagnostic] = [],
    exporters: [any POAMExporter] = Exporters.all
  ) throws -> AnalyzeSummary {
    let layout = try layout ?? POAMLayout.bundled()
    let draft = try POAMDrafter(catalog: catalog, owners: owners ?? Owners(), policy: policy).draft(report)
    var (document, changes) = try POAMMerger(catalog: catalog, policy: policy).merge(
      draft: draft, prior: prior, report: report)
    document.toolVersion = ToolInfo.version
    changes.diagnostics = priorDiagnostics + changes.diagnostics
    let context = ExportContext(report: report, document: document, changes: changes, catalog: catalog, layout: layout)
    var files: [(URL, Data)] = []
    for exporter in exporters {
      files.append((outputDirectory.appendingPathComponent(exporter.fileName), try exporter.render(context)))
    }
    do {
      try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
    } catch {
      throw OutputError(path: outputDirectory.path, reason: (error as NSError).localizedDescription)
    }
    try AtomicFile.writeAll(files)
    return AnalyzeSummary(
      level: report.level, assessmentDate: report.assessmentDate, score: report.score, maxScore: report.maxScore,
      status: report.status, open: document.activeItems.count, total: document.items.count, changes: changes,
      outputs: files.map { $0.0.path })
  }

  /// Reads the previous POA&M: `poam.json`, `poam.csv` or (once the workbook reader is wired in)
  /// `poam.xlsx`, in the given layout.
  public static func loadPrior(
    path: String, catalog: Catalog, layout: POAMLayout? = nil,
    readWorkbookRows: (@Sendable (Data, String, String) throws -> [[String]])? = nil
  ) throws -> (POAMDocument, [Diagnostic]) {
    let reader = POAMReader(
      catalog: catalog, layout: try layout ?? POAMLayout.bundled(), readWorkbookRows: readWorkbookRows)
    return try reader.read(path: path)
  }
}
