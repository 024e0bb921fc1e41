import Foundation

/// `poam analyze` as a library call: assess the inputs, merge with the previous POA&M, and
/// write the six outputs and the evidence file (`evidence.jsonl.gz`) as one set. The command line maps its flags to this request and prints
/// the response; tests call it in process.
public struct AnalyzeRequest: Sendable {
  /// The inputs and how to score them.
  public var assessment: AssessmentRequest
  /// The output folder (`--out`).
  public var outputDirectory: URL
  /// The previous POA&M to merge with (`--prior`); nil chooses from the output folder.
  public var prior: String?
  /// The owners file (`--owners`).
  public var ownersPath: String?
  /// A history file to record the run in (`--history`).
  public var historyPath: String?
  /// Record the run in `OUT/.poam/history.sqlite` (`--record`).
  public var record: Bool
  /// The system profile (`--profile`); nil reads `./poam.yml` when present.
  public var profilePath: String?
  /// The SSP that poam.json imports (`--ssp`, OSCAL `import-ssp`).
  public var sspHref: String?

  /// Creates a request.
  public init(
    assessment: AssessmentRequest, outputDirectory: URL, prior: String? = nil, ownersPath: String? = nil,
    historyPath: String? = nil, record: Bool = false, profilePath: String? = nil, sspHref: String? = nil
  ) {
    self.assessment = assessment
    self.outputDirectory = outputDirectory
    self.prior = prior
    self.ownersPath = ownersPath
    self.historyPath = historyPath
    self.record = record
    self.profilePath = profilePath
    self.sspHref = sspHref
  }
}

/// What `analyze` did.
public struct AnalyzeResponse: Sendable {
  /// The evidence and the gap report.
  public var assessment: Assessment
  /// What was written and what changed since the previous POA&M.
  public var summary: AnalyzeSummary
}

/// Runs `analyze`.
public enum AnalyzeWorkflow {
  /// Assesses, drafts, merges and writes. The owners file and the profile are read before the
  /// inputs (a typo fails fast); the output folder is locked from choosing the prior POA&M to the
  /// last rename.
  public static func run(
    _ request: AnalyzeRequest, catalog: Catalog, pipeline: ImportPipeline = ImportPipeline(),
    stage: (String) -> Void = { _ in }
  ) throws -> AnalyzeResponse {
    let owners = try request.ownersPath.map { try Owners.load(path: $0, catalog: catalog) }
    let profile = try SystemProfile.locate(explicit: request.profilePath).map {
      try SystemProfile.load(path: $0, catalog: catalog)
    }
    // Every result goes to the evidence file as it is read; the report lists the worst few.
    let evidenceFile = try EvidenceFile()
    var assessment = try AssessmentWorkflow.assess(
      request.assessment, catalog: catalog, pipeline: pipeline, evidenceFile: evidenceFile, stage: stage)
    assessment.report.evidenceFile = EvidenceFile.fileName
    let report = assessment.report

    stage("writing the POA&M")
    let outputSet = try OutputSet.open(request.outputDirectory)
    // An edited evidence file is not merged back (poam cannot merge a report): a copy is kept
    // beside the new one, as for gap-report.json.
    let selection = try PriorSelection.choose(
      explicit: request.prior, outputSet: outputSet,
      outputNames: Exporters.all.map(\.fileName) + [EvidenceFile.fileName],
      level: request.assessment.gapOptions.level, assessmentDate: report.assessmentDate.iso
    ) { path in
      try POAMWorkflow.loadPrior(path: path, catalog: catalog)
    }
    let history = AnalyzeHistory.resolve(
      historyPath: request.historyPath, record: request.record, outputDirectory: request.outputDirectory,
      inputs: assessment.evidence.inputNames)
    let summary = try POAMWorkflow.run(
      report: report, catalog: catalog, prior: selection.document, owners: owners,
      outputDirectory: request.outputDirectory, priorDiagnostics: selection.diagnostics, history: history,
      outputSet: outputSet, keepCopies: selection.keepCopies, profile: profile, sspHref: request.sspHref,
      evidenceFile: evidenceFile)
    return AnalyzeResponse(assessment: assessment, summary: summary)
  }
}
