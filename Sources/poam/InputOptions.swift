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

  /// Reads and resolves the inputs, telling `progress` (if any) as each input is read.
  func load(_ inputs: [String], catalog: Catalog, progress: ProgressMeter? = nil) throws -> AssessmentEvidence {
    try ResourceLimits.$current.withValue(try resourceLimits()) {
      try EvidenceLoader.load(
        inputs, options: ImportOptions(formatOverride: inputFormat, keepGoing: keepGoing), catalog: catalog,
        cciList: cciList, pipeline: Self.pipeline(progress))
    }
  }

  /// Reads and resolves the inputs while the catalog loads on the other core.
  func load(
    _ inputs: [String], catalog: CatalogOptions, progress: ProgressMeter? = nil
  ) throws -> (catalog: Catalog, evidence: AssessmentEvidence) {
    try ResourceLimits.$current.withValue(try resourceLimits()) {
      try EvidenceLoader.load(
        inputs, options: ImportOptions(formatOverride: inputFormat, keepGoing: keepGoing),
        loadingCatalog: { try catalog.load() }, cciList: cciList, pipeline: Self.pipeline(progress))
    }
  }

  static func pipeline(_ progress: ProgressMeter?) -> ImportPipeline {
    guard let progress else { return ImportPipeline() }
    return ImportPipeline(progress: { progress.update($0) })
  }
}

extension InputFormat: ExpressibleByArgument {}
