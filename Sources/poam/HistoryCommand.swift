import ArgumentParser
import Foundation
import POAMKit

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Show the score and gaps over the recorded runs.",
    discussion: """
      poam analyze and poam check record a run when given --record (into .poam/history.sqlite) \
      or --history PATH. Each run keeps the time, the inputs with their SHA-256, the level, score, \
      status, counts and every requirement's finding; check runs keep their verdict too. \
      Several jobs may record into one file at once.

      --add records gap reports you already have (for example old gap-report.json files from \
      your repository's history), oldest first.

      Examples:
        poam history
        poam history --history ci/history.sqlite --format csv > trend.csv
        poam history --add 2026-01/gap-report.json --add 2026-02/gap-report.json
      """
  )

  @Option(
    name: .customLong("history"),
    help: ArgumentHelp("The history file (default: .poam/history.sqlite).", valueName: "path"))
  var historyPath: String?

  @Option(help: "Output format: text, json or csv.")
  var format: HistoryFormat = .text

  @Option(help: "Only runs of this level (1, 2 or 3).")
  var level: CMMCLevel?

  @Option(help: "Only the most recent N runs.")
  var last: Int?

  @Option(
    name: .customLong("add"),
    help: ArgumentHelp("Record this gap report in the history (repeatable).", valueName: "gap-report.json"))
  var reports: [String] = []

  @OptionGroup var catalogOptions: CatalogOptions

  func validate() throws {
    if let last, last < 1 { throw ValidationError("--last must be at least 1") }
  }

  func run() throws {
    let path = historyPath ?? HistoryStore.defaultPath()
    if !reports.isEmpty {
      let catalog = try catalogOptions.load()
      let loader = BaselineLoader(catalog: catalog)
      // Read every report before touching the history, so a bad one records nothing.
      let loaded = try reports.map { file -> (String, GapReport) in
        guard let report = try loader.load(path: file).report else {
          throw UsageFailure(message: "\(file): --add takes gap reports; this is a POA&M")
        }
        return (file, report)
      }
      let store = try HistoryStore(path: path)
      for (file, report) in loaded {
        let inputs = report.inputs.map { HistoryInput(name: $0, sha256: nil) }
        let id = try store.record(HistoryRun(report: report, command: "history --add", inputs: inputs))
        print("recorded run \(id) from \(file) in \(path)")
      }
      return
    }
    let store = try HistoryStore(path: path, create: false)
    print(try HistoryTrend.render(store.runs(level: level, last: last), format: format), terminator: "")
  }
}

extension HistoryFormat: ExpressibleByArgument {}
