import Foundation

/// Everything an exporter may show: the gap report, the merged POA&M, what changed since the
/// last run, the catalog and the spreadsheet layout.
public struct ExportContext: Sendable {
  /// The gap engine's report.
  public var report: GapReport
  /// The POA&M after merging with the prior one.
  public var document: POAMDocument
  /// What changed since the prior POA&M.
  public var changes: POAMChanges
  /// The catalog.
  public var catalog: Catalog
  /// The spreadsheet column layout.
  public var layout: POAMLayout
  /// The recorded runs of the report's level, oldest first, this run included (empty when there
  /// is no run history); `report.html` draws the score over time from two runs on.
  public var history: [HistoryRun]
  /// Whose system this is (`poam.yml`), when there is a profile.
  public var profile: SystemProfile?
  /// The system security plan `poam.json` imports (`--ssp HREF`), when given.
  public var sspHref: String?

  /// Creates a context.
  public init(
    report: GapReport, document: POAMDocument, changes: POAMChanges, catalog: Catalog, layout: POAMLayout,
    history: [HistoryRun] = [], profile: SystemProfile? = nil, sspHref: String? = nil
  ) {
    self.profile = profile
    self.sspHref = sspHref
    self.report = report
    self.document = document
    self.changes = changes
    self.catalog = catalog
    self.layout = layout
    self.history = history
  }

  /// The SPRS entry for this run.
  public var sprs: SPRSEntry { SPRSEntry(report: report, document: document, profile: profile) }
}

/// Writes one output file. One exporter per file in `Export/`.
public protocol POAMExporter: Sendable {
  /// The file name in the output directory, such as `poam.json`.
  var fileName: String { get }
  /// The file's bytes. Deterministic: the same context gives the same bytes.
  func render(_ context: ExportContext) throws -> Data
}

/// The exporters `poam analyze` runs, in the order it writes them.
public enum Exporters {
  /// gap-report.json, poam.json, poam.csv, poam.xlsx, report.md, report.html.
  public static let all: [any POAMExporter] = [
    GapReportJSONExporter(), OSCALPOAMExporter(), CSVPOAMExporter(), XLSXPOAMExporter(),
    MarkdownReportExporter(), HTMLReportExporter(),
  ]
}
