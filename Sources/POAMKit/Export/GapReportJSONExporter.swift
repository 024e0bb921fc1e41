import Foundation

/// `gap-report.json`: the gap engine's report as deterministic JSON (sorted keys, snake_case).
struct GapReportJSONExporter: POAMExporter {
  public var fileName: String { "gap-report.json" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    try context.report.jsonData()
  }
}
