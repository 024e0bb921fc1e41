import ArgumentParser
import Foundation
import POAMKit

struct GapsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gaps",
    abstract: "Score assessment results against a CMMC level and list the gaps.",
    discussion: """
      Reads every INPUT (files, directories, or - for standard input), resolves each result to \
      CMMC requirements and objectives, rolls objectives up to requirements (worst wins across \
      assets and files), scores the target level and says whether the result is Final, \
      Conditional or not eligible, and why (32 CFR 170.21, 170.24).

      A requirement with no evidence is "not assessed": scored as NOT MET and listed apart from \
      real gaps. When an assessor's determination and automated evidence disagree, the assessor \
      stands (--evidence-policy assessor) unless --evidence-policy strict lets failing automated \
      evidence override it.

      Gaps are not errors: the exit code is 0 whenever the report was produced, 2 on bad input \
      or usage. Use `poam check` to turn gaps into exit codes.

      In text, a digest of the diagnostics follows on standard error (errors, then warnings \
      grouped by kind; --quiet: errors only; --verbose: notes too); --format json lists every \
      one.

      The report lists the worst 20 pieces of evidence per requirement and counts the rest; \
      --evidence-file writes every result to a gzipped JSON Lines file (docs/evidence-file.md).

      Examples:
        poam gaps assessment.csv
        poam gaps --level 1 --format markdown results/ > gaps.md
        poam gaps scans/ assessment.csv --evidence-policy strict
        poam gaps scans/ --format json > gap-report.json
        poam gaps scans/ --evidence-file evidence.jsonl.gz
      """
  )

  @Argument(help: "Result files, directories (read recursively), or - for standard input.")
  var inputs: [String] = []

  @Option(help: "The target level: 1, 2 or 3.")
  var level: CMMCLevel = .two

  @Option(help: "Output format: text, json or markdown.")
  var format: ReportFormat = .text

  @Option(help: "When assessor and automated evidence disagree: assessor (the assessor stands) or strict.")
  var evidencePolicy: GapOptions.EvidencePolicy = .assessor

  @Option(
    help: ArgumentHelp("The assessment date (default: today, UTC).", valueName: "YYYY-MM-DD"),
    transform: CalendarDate.option("--assessment-date"))
  var assessmentDate: CalendarDate?

  @Option(
    help: ArgumentHelp(
      "Also write every result, one row per requirement or objective it reaches, to this gzipped JSON Lines file.",
      valueName: "PATH"))
  var evidenceFile: String?

  @OptionGroup var inputOptions: InputOptions

  @OptionGroup var catalogOptions: CatalogOptions

  @OptionGroup var outputOptions: OutputOptions

  func validate() throws {
    guard !inputs.isEmpty else { throw ValidationError("give at least one INPUT (a file, a directory or -)") }
  }

  func run() throws {
    let progress = outputOptions.progressMeter()
    let request = try inputOptions.request(
      inputs, GapOptions(level: level, evidencePolicy: evidencePolicy, assessmentDate: assessmentDate ?? .today()))
    let file = try evidenceFile.map { _ in try EvidenceFile() }
    let (catalog, assessment) = try AssessmentWorkflow.assess(
      request, loadingCatalog: { [catalogOptions] in try catalogOptions.load() },
      pipeline: InputOptions.pipeline(progress), evidenceFile: file, stage: { progress?.stage($0) })
    var (evidence, report) = (assessment.evidence, assessment.report)
    if let file, let evidenceFile {
      try file.assemble(to: URL(fileURLWithPath: evidenceFile))
      report.evidenceFile = evidenceFile
    }
    let environment = ProcessInfo.processInfo.environment
    let color = format == .text && isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
    let output = try GapReportRenderer(catalog: catalog).render(report, format: format, color: color)
    progress?.finish()
    FileHandle.standardOutput.write(Data(output.utf8))
    if format == .text {
      // JSON and Markdown carry every diagnostic themselves; text gets the digest.
      outputOptions.printDigest(
        report.diagnostics, unmapped: evidence.unmappedReferences, hint: "poam gaps --format json")
    } else if !evidence.imported.failures.isEmpty {
      // Skipped inputs are named on the terminal whatever the format.
      outputOptions.printDigest(
        report.diagnostics.filter { $0.severity == .error }, unmapped: [:], hint: "poam gaps --format json")
    }
    if !evidence.imported.failures.isEmpty { throw ExitCode(1) }
    CLIExit.succeed(keepingAlive: (catalog, evidence, report, output))
  }
}

extension GapOptions.EvidencePolicy: ExpressibleByArgument {}
