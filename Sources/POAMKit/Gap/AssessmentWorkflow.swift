import Foundation

/// What to assess: the inputs, how to read them, and the level, date and evidence policy to
/// score them by. Every command that scores inputs (`gaps`, `analyze`, `check`) builds one.
public struct AssessmentRequest: Sendable {
  /// Files, directories, `.zip` archives, or `-` for standard input.
  public var inputs: [String]
  /// How to read them (`--input-format`, `--keep-going`).
  public var importOptions: ImportOptions
  /// The DISA CCI list to resolve CCIs with; nil looks in `POAM_CCI_LIST` and the user's config.
  public var cciList: String?
  /// The level, evidence policy and assessment date.
  public var gapOptions: GapOptions
  /// The resource limits the inputs are read within (`--limit`).
  public var limits: ResourceLimits

  /// Creates a request.
  public init(
    inputs: [String], importOptions: ImportOptions = ImportOptions(), cciList: String? = nil, gapOptions: GapOptions,
    limits: ResourceLimits = .standard
  ) {
    self.inputs = inputs
    self.importOptions = importOptions
    self.cciList = cciList
    self.gapOptions = gapOptions
    self.limits = limits
  }
}

/// The evidence read from the inputs and the gap report scored from it.
public struct Assessment: Sendable {
  /// What was read and resolved, with its diagnostics.
  public var evidence: AssessmentEvidence
  /// The scored gap analysis.
  public var report: GapReport

  /// Whether `--keep-going` skipped inputs (the command exits 1).
  public var skippedInputs: Bool { !evidence.imported.failures.isEmpty }
}

/// Reads, resolves and scores inputs: the step every scoring command shares.
///
/// Each input is read, resolved and folded into per-requirement counts (and, when asked, its
/// rows written to the evidence file) before its reader takes the next one, so memory follows
/// requirements × assets, not the number of results; the report lists the worst few pieces of
/// evidence per requirement and counts the rest. The inputs are taken in name order, so the
/// report is the same whatever order they are named in.
public enum AssessmentWorkflow {
  /// Assesses the inputs against a loaded catalog. `pipeline` reads the inputs (give one with a
  /// progress callback to follow the reading); `stage` is told when scoring starts. With an
  /// `evidenceFile`, every result is written to it as it is read.
  public static func assess(
    _ request: AssessmentRequest, catalog: Catalog, pipeline: ImportPipeline = ImportPipeline(),
    evidenceFile: EvidenceFile? = nil, stage: (String) -> Void = { _ in }
  ) throws -> Assessment {
    try assess(request, loadingCatalog: { catalog }, pipeline: pipeline, evidenceFile: evidenceFile, stage: stage)
      .assessment
  }

  /// Assesses the inputs while the catalog loads on the other core (a bad catalog is still
  /// reported before a bad input).
  public static func assess(
    _ request: AssessmentRequest, loadingCatalog: @escaping @Sendable () throws -> Catalog,
    pipeline: ImportPipeline = ImportPipeline(), evidenceFile: EvidenceFile? = nil, stage: (String) -> Void = { _ in }
  ) throws -> (catalog: Catalog, assessment: Assessment) {
    let (catalog, evidence) = try ResourceLimits.$current.withValue(request.limits) {
      try EvidenceLoader.fold(
        request.inputs, options: request.importOptions, level: request.gapOptions.level,
        loadingCatalog: loadingCatalog, cciList: request.cciList, pipeline: pipeline, evidenceFile: evidenceFile)
    }
    return (catalog, score(evidence, request: request, catalog: catalog, stage: stage))
  }

  static func score(
    _ evidence: AssessmentEvidence, request: AssessmentRequest, catalog: Catalog, stage: (String) -> Void
  ) -> Assessment {
    stage("scoring \(Plural.count(evidence.resultCount, "result"))")
    let engine = GapEngine(catalog: catalog, options: request.gapOptions)
    let report =
      evidence.folded.map {
        engine.evaluate($0.outcome, inputs: evidence.inputNames, diagnostics: evidence.diagnostics)
      }
      ?? engine.evaluate(
        evidence.resolved.observations, inputs: evidence.inputNames, diagnostics: evidence.diagnostics)
    return Assessment(evidence: evidence, report: report)
  }
}
