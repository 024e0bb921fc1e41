/// What `poam formats` prints: each input format, what poam reads from it, and how poam
/// recognises it by content.
public enum FormatGuide {
  /// One format.
  public struct Entry: Encodable, Sendable {
    /// The name to pass to `--input-format`.
    public var format: String
    /// What the format is and what poam reads from it.
    public var reads: String
    /// How detection recognises it (never by file name).
    public var detectedBy: String
    /// False when this build has no importer for it yet.
    public var available: Bool

    enum CodingKeys: String, CodingKey {
      case format, reads
      case detectedBy = "detected_by"
      case available
    }
  }

  /// Every format, in `InputFormat` order.
  /// The guide as poam's deterministic JSON (`poam formats --format json`).
  public static func json(registry: ImporterRegistry = .standard) throws -> String {
    try JSONOutput.string(entries(registry: registry))
  }

  public static func entries(registry: ImporterRegistry = .standard) -> [Entry] {
    InputFormat.allCases.map { format in
      Entry(
        format: format.rawValue, reads: format.summary, detectedBy: detection(format),
        available: format == .zip || registry.importer(for: format) != nil)
    }
  }

  /// How ``FormatDetector`` recognises a format.
  public static func detection(_ format: InputFormat) -> String {
    switch format {
    case .csv:
      return "text (not XML or JSON) whose header row, after any banner rows, names a requirement/rule or status column"
    case .xlsx: return "ZIP whose central directory lists xl/workbook.xml"
    case .ckl: return "XML root element CHECKLIST"
    case .cklb: return "JSON whose top-level keys include stigs, cklb_version or target_data"
    case .xccdf: return "XML root Benchmark in an XCCDF namespace, or TestResult"
    case .arf: return "XML root asset-report-collection"
    case .oscalJSON: return "JSON with a top-level assessment-results key"
    case .oscalXML: return "XML root assessment-results"
    case .hdf: return "JSON with top-level profiles and platform, statistics or version keys"
    case .nessus: return "XML root NessusClientData_v2"
    case .native: return "JSON with a top-level \"format\": \"poam-results\""
    case .zip: return "ZIP that is not an Excel workbook; each member is detected in turn"
    }
  }

  /// A plain-text table.
  public static func text(registry: ImporterRegistry = .standard) -> String {
    let rows = entries(registry: registry).map { entry in
      [entry.format, entry.available ? "yes" : "not yet", entry.reads, entry.detectedBy]
    }
    return TextTable.render(header: ["FORMAT", "READ", "WHAT", "DETECTED BY"], rows: rows)
      + "\n\nDetection is by content, never by file name; --input-format FORMAT overrides it.\n"
  }
}
