import ArgumentParser
import Foundation
import POAMKit

#if canImport(Glibc)
  import Glibc
#endif

struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Score assessment results and draft (or update) the POA&M.",
    discussion: """
      Reads the inputs, scores them against the CMMC catalog and writes six files into --out: \
      gap-report.json, poam.json (OSCAL 1.1.3), poam.csv and poam.xlsx (eMASS columns), \
      report.md and report.html. Every file is written atomically.

      With --prior (or the POA&M already in --out: the poam.json, poam.csv or poam.xlsx a person \
      edited since poam wrote it, told by the SHA-256 record in OUT/.poam/manifest.json) the new \
      draft is merged with the previous POA&M: what people wrote (owner, milestones, dates, resources, comments, status, risk \
      acceptance) is kept, fixed items are closed with their evidence, regressions reopened, \
      new gaps added, nothing deleted. The prior may be the poam.json, poam.csv or poam.xlsx \
      of an earlier run, edited in a spreadsheet. Two POA&M files edited differently stop the run \
      (choose with --prior); an edited report is kept as a copy. The six files are replaced as one \
      set under a lock on --out (a second run waits POAM_LOCK_WAIT seconds, default 10): see \
      docs/reruns.md.

      With --record (into OUT/.poam/history.sqlite) or --history PATH the run is recorded in the \
      run history: time, inputs with their SHA-256, level, score, status, counts and each \
      requirement's finding (see poam history). When the history holds two or more runs of the \
      level, report.html draws the score over time; an existing OUT/.poam/history.sqlite is read \
      for that chart even without --record.

      After the summary, standard error gets a short digest: errors first (every skipped \
      input by name), then warnings grouped by kind with counts and the top examples. \
      --quiet prints errors only; --verbose adds the notes and more examples. On a terminal \
      (not in a pipe or with CI set) a progress line shows files and bytes read.

      Examples:
        poam analyze results/ --owners owners.yml --out poam-out
        poam analyze results/ --assessment-date 2025-04-01 --out poam-out
        poam analyze scan.ckl --prior edited-poam.csv --out poam-out
        poam analyze results/ --out poam-out --record
        poam analyze checklists/ --cci-list U_CCI_List.xml --keep-going
      """
  )

  @Argument(help: "Input files, directories (read recursively) or - for standard input.")
  var inputs: [String]

  @Option(help: "Target level: 1, 2 or 3.")
  var level: CMMCLevel = .two

  @Option(
    help:
      "The previous POA&M to merge with: poam.json, poam.csv or poam.xlsx (default: the one in --out a person edited, else OUT/poam.json)."
  )
  var prior: String?

  @Option(help: "Owners file (YAML): family codes or requirement IDs to a person or team.")
  var owners: String?

  @Option(help: "System profile (YAML; default: ./poam.yml when present; poam init writes one).")
  var profile: String?

  @Option(help: ArgumentHelp("The SSP poam.json imports (OSCAL import-ssp href).", valueName: "href"))
  var ssp: String?

  @Option(
    name: .customLong("assessment-date"),
    help: ArgumentHelp("The assessment date (default: today, UTC).", valueName: "YYYY-MM-DD"),
    transform: CalendarDate.option("--assessment-date"))
  var assessmentDate: CalendarDate?

  @Option(help: "Output directory (created if missing).")
  var out: String = "poam-out"

  @Option(help: "When assessor and automated evidence disagree: assessor (the assessor stands) or strict.")
  var evidencePolicy: GapOptions.EvidencePolicy = .assessor

  @Option(
    name: .customLong("history"),
    help: ArgumentHelp("Record this run in this history file.", valueName: "path"))
  var historyPath: String?

  @Flag(help: "Record this run in OUT/.poam/history.sqlite.")
  var record = false

  @OptionGroup var inputOptions: InputOptions

  @OptionGroup var catalogOptions: CatalogOptions

  @OptionGroup var outputOptions: OutputOptions

  func run() throws {
    let catalog = try catalogOptions.load()
    let progress = outputOptions.progressMeter()
    let request = AnalyzeRequest(
      assessment: try inputOptions.request(
        inputs,
        GapOptions(level: level, evidencePolicy: evidencePolicy, assessmentDate: assessmentDate ?? .today())),
      outputDirectory: URL(fileURLWithPath: out), prior: prior, ownersPath: owners, historyPath: historyPath,
      record: record, profilePath: profile, sspHref: ssp)
    let response = try AnalyzeWorkflow.run(
      request, catalog: catalog, pipeline: InputOptions.pipeline(progress), stage: { progress?.stage($0) })
    progress?.finish()
    if !outputOptions.quiet { print(response.summary.text, terminator: "") }
    let assessment = response.assessment
    outputOptions.printDigest(
      assessment.report.diagnostics, unmapped: assessment.evidence.unmappedReferences,
      hint: "poam gaps --format json")
    if assessment.skippedInputs { throw ExitCode(1) }
  }
}
