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

  /// Reads and resolves the inputs while the catalog loads on the other core.
  func load(
    _ inputs: [String], catalog: CatalogOptions, progress: ProgressMeter? = nil
  ) throws -> (catalog: Catalog, evidence: AssessmentEvidence) {
    try EvidenceLoader.load(
      inputs, options: ImportOptions(formatOverride: inputFormat, keepGoing: keepGoing),
      loadingCatalog: { try catalog.load() }, cciList: cciList, pipeline: Self.pipeline(progress))
  }

  /// The library request for these inputs, read with these options and scored with `gap`.
  func request(_ inputs: [String], _ gap: GapOptions) -> AssessmentRequest {
    AssessmentRequest(
      inputs: inputs, importOptions: ImportOptions(formatOverride: inputFormat, keepGoing: keepGoing),
      cciList: cciList, gapOptions: gap)
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
