import ArgumentParser
import POAMKit

/// Options shared by every command that reads assessment inputs.
struct InputOptions: ParsableArguments {
  @Option(
    name: .customLong("input-format"),
    help: ArgumentHelp(
      "Read every input as this format instead of detecting it (see poam formats).", valueName: "format"))
  var inputFormat: InputFormat?

  @Flag(help: "Skip inputs that cannot be read, report each, and exit 1 at the end.")
  var keepGoing = false

  @Option(
    name: .customLong("remediation-days"),
    help: ArgumentHelp(
      "The flaw-remediation time frame a scan's Critical/High findings are held to: a patch public longer than this counts against SI.L2-3.14.1[f] (default 30).",
      valueName: "days"))
  var remediationDays: Int?

  func validate() throws {
    if let remediationDays, remediationDays < 0 || remediationDays > 3650 {
      throw ValidationError("--remediation-days must be between 0 and 3650")
    }
  }

  /// The import options these arguments give.
  var importOptions: ImportOptions {
    ImportOptions(formatOverride: inputFormat, keepGoing: keepGoing, remediationDays: remediationDays)
  }

  @Option(
    name: .customLong("cci-list"),
    help: ArgumentHelp(
      "The DISA CCI list (U_CCI_List.xml) used to resolve CCI references. Default: $POAM_CCI_LIST, then ~/.config/poam/U_CCI_List.xml.",
      valueName: "file"))
  var cciList: String?

  @Option(
    name: .customLong("limit"),
    help: ArgumentHelp(
      "Raise or lower a resource limit, NAME=VALUE (repeatable; K, M, G suffixes): stdin-bytes, inflated-bytes, table-bytes, table-rows, cells-per-row, table-cells, diagnostic-length. See docs/limits.md.",
      valueName: "name=value"))
  var limit: [String] = []

  /// The resource limits: the defaults with every `--limit` applied.
  func resourceLimits() throws -> ResourceLimits {
    var limits = ResourceLimits.standard
    for assignment in limit {
      do {
        try limits.apply(assignment)
      } catch let error as LimitError {
        throw ValidationError(error.message)
      }
    }
    return limits
  }

  /// Reads and resolves the inputs while the catalog loads on the other core.
  func load(
    _ inputs: [String], catalog: CatalogOptions, progress: ProgressMeter? = nil
  ) throws -> (catalog: Catalog, evidence: AssessmentEvidence) {
    try ResourceLimits.$current.withValue(try resourceLimits()) {
      try EvidenceLoader.load(
        inputs, options: importOptions,
        loadingCatalog: { try catalog.load() }, cciList: cciList, pipeline: Self.pipeline(progress))
    }
  }

  /// The library request for these inputs, read with these options and scored with `gap`.
  func request(_ inputs: [String], _ gap: GapOptions) throws -> AssessmentRequest {
    AssessmentRequest(
      inputs: inputs, importOptions: importOptions, cciList: cciList, gapOptions: gap,
      limits: try resourceLimits())
  }

  static func pipeline(_ progress: ProgressMeter?) -> ImportPipeline {
    guard let progress else { return ImportPipeline() }
    return ImportPipeline(progress: { progress.update($0) })
  }
}

extension InputFormat: ExpressibleByArgument {}

extension CalendarDate {
  /// Reads a date option once, at the edge: `YYYY-MM-DD`, an error naming the option otherwise.
  /// Every command then carries the ``CalendarDate``, never the text.
  static func option(_ name: String) -> @Sendable (String) throws -> CalendarDate {
    { text in
      do { return try CalendarDate.validated(text, field: name) } catch let error as InvalidDate {
        throw DateOptionError(error: error)
      }
    }
  }
}

/// A date option that is not a day: ArgumentParser names the option and the value, this says
/// what was expected.
struct DateOptionError: Error, CustomStringConvertible {
  let error: InvalidDate
  var description: String { error.expectation }
}
