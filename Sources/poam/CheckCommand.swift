import ArgumentParser
import Foundation
import POAMKit

// The logic lives in POAMKit (CheckWorkflow); this file only parses arguments, runs
// import → resolve → gap engine, and prints.

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Fail the build when CMMC results got worse than a baseline (the CI drift gate).",
    discussion: """
      Reads the inputs, scores them like poam analyze, and compares the result with a baseline \
      (a gap report or POA&M that poam wrote earlier, committed to your repository). The first \
      line printed is the verdict (PASS or FAIL) and why; then each failing condition with the \
      requirement IDs.

      Conditions for --fail-on (comma-separated; default new-gaps,score-drop,eligibility-lost):
        new-gaps          a requirement satisfied in the baseline is NOT MET now
        score-drop        the score is lower than the baseline's
        below-min-score   the score is below --min-score (selected by --min-score)
        eligibility-lost  final → conditional, or either → not eligible
        overdue           an open POA&M item (POA&M baseline) is past its due date
        not-assessed      a requirement with evidence in the baseline has none now

      Without --level, the baseline's level is used (Level 2 if it does not say).

      Exit codes: 0 nothing selected failed; 1 something did; 2 bad input or usage.

      Examples:
        poam check scans/ --baseline gap-report.json --junit junit.xml
        poam check scans/ --baseline gap-report.json --sarif poam.sarif
        poam check scans/ --baseline gap-report.json --min-score 88
        poam check scans/ --baseline poam.json --fail-on overdue,new-gaps
        poam check scans/ --baseline gap-report.json --update-baseline --record
      """
  )

  @Argument(help: "Input files or directories (recursed), or - for standard input.")
  var inputs: [String]

  @Option(help: ArgumentHelp("The gap report or POA&M to compare with.", valueName: "file"))
  var baseline: String

  @Option(help: "Target level (1, 2 or 3); default: the baseline's.")
  var level: CMMCLevel?

  @Option(name: .customLong("min-score"), help: "Fail when the score is below N.")
  var minScore: Int?

  @Option(
    name: .customLong("fail-on"),
    help: ArgumentHelp("Conditions that fail the check (comma-separated).", valueName: "list"))
  var failOn: String?

  @Option(help: ArgumentHelp("Write JUnit XML here (one test case per requirement).", valueName: "file"))
  var junit: String?

  @Option(help: ArgumentHelp("Write SARIF 2.1.0 here (one result per gap).", valueName: "file"))
  var sarif: String?

  @Option(
    help: ArgumentHelp(
      "Write the Markdown summary here (default: append to $GITHUB_STEP_SUMMARY when set).", valueName: "file"))
  var summary: String?

  @Flag(
    name: .customLong("update-baseline"),
    help: "Rewrite the baseline with this run when nothing got worse and something improved (a ratchet).")
  var updateBaseline = false

  @Option(
    name: .customLong("history"),
    help: ArgumentHelp("Record this run in this history file.", valueName: "path"))
  var historyPath: String?

  @Flag(help: "Record this run in .poam/history.sqlite.")
  var record = false

  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp("Judge overdue POA&M items as of this day (default: today, UTC).", valueName: "YYYY-MM-DD"),
    transform: CalendarDate.option("--as-of"))
  var asOf: CalendarDate?

  @Option(
    name: .customLong("assessment-date"),
    help: ArgumentHelp("The assessment date recorded in the report (default: today).", valueName: "YYYY-MM-DD"),
    transform: CalendarDate.option("--assessment-date"))
  var assessmentDate: CalendarDate?

  @OptionGroup var inputOptions: InputOptions

  @OptionGroup var catalogOptions: CatalogOptions

  @OptionGroup var outputOptions: OutputOptions

  func run() throws {
    let catalog = try catalogOptions.load()
    // An unknown name is a DriftConditionListError (a UserError): printed, exit 2.
    let selected = try failOn.map { try DriftCondition.parseList($0) }
    let options = CheckOptions(
      baselinePath: baseline, failOn: selected, minScore: minScore, junitPath: junit, sarifPath: sarif,
      summaryPath: summary, updateBaseline: updateBaseline, historyPath: historyPath, record: record,
      asOf: (asOf ?? .today()).iso, inputs: inputs)
    let workflow = CheckWorkflow(catalog: catalog, options: options)
    // The baseline is read and the request validated before any input, so a typo fails fast.
    let snapshot = try BaselineLoader(catalog: catalog).load(path: baseline)
    let target = level ?? snapshot.level ?? .two
    try workflow.validate(baseline: snapshot, level: target)

    let progress = outputOptions.progressMeter()
    let assessment = try AssessmentWorkflow.assess(
      try inputOptions.request(inputs, GapOptions(level: target, assessmentDate: assessmentDate ?? .today())),
      catalog: catalog, pipeline: InputOptions.pipeline(progress), stage: { progress?.stage($0) })
    progress?.finish()
    let (evidence, report) = (assessment.evidence, assessment.report)
    let outcome = try workflow.run(current: report, baseline: snapshot)
    print(outcome.output, terminator: "")
    outputOptions.printDigest(
      report.diagnostics, unmapped: evidence.unmappedReferences, hint: "poam gaps --format json")
    // --keep-going skipped inputs: the verdict cannot be trusted as a pass.
    if !evidence.imported.failures.isEmpty { throw ExitCode(outcome.exitCode != 0 ? outcome.exitCode : 1) }
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
  }
}
