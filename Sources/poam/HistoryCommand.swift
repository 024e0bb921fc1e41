import ArgumentParser
import Foundation
import POAMKit

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Show the score and gaps over the recorded runs.",
    discussion: """
      poam analyze and poam check record a run when given --record or --history PATH: analyze \
      into OUT/.poam/history.sqlite (--out, default poam-out), check into .poam/history.sqlite. \
      poam history reads --history PATH, or OUT/.poam/history.sqlite with --out OUT, or else the \
      first of .poam/history.sqlite and poam-out/.poam/history.sqlite that exists, and says on \
      standard error which file it read. Each run keeps the time, the inputs with their SHA-256, the level, score, \
      status, counts and every requirement's finding; check runs keep their verdict too. \
      Several jobs may record into one file at once.

      --add records gap reports you already have (for example old gap-report.json files from \
      your repository's history), oldest first.

      Examples:
        poam history
        poam history --out poam-out --last 5
        poam history --history ci/history.sqlite --format csv > trend.csv
        poam history --add jan/gap-report.json --add feb/gap-report.json
      """
  )

  @Option(
    name: .customLong("history"),
    help: ArgumentHelp("The history file to read or add to.", valueName: "path"))
  var historyPath: String?

  @Option(
    help: ArgumentHelp(
      "The output directory of poam analyze: read OUT/.poam/history.sqlite.", valueName: "dir"))
  var out: String?

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
    if historyPath != nil, out != nil { throw ValidationError("give --history or --out, not both") }
  }

  func run() throws {
    let location = HistoryLocation.locate(history: historyPath, out: out)
    let path = location.path
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
    guard FileManager.default.fileExists(atPath: path) else {
      if location.candidates.count > 1 {
        throw UsageFailure(
          message:
            "no run history found: looked for \(location.candidates.joined(separator: " and ")); record runs with --record on poam analyze or poam check, or give --out DIR or --history PATH"
        )
      }
      throw HistoryError.missing(path: path)
    }
    let store = try HistoryStore(path: path, create: false)
    FileHandle.standardError.write(Data("poam: reading the run history in \(path)\n".utf8))
    for other in location.alsoFound {
      FileHandle.standardError.write(Data("poam: another history is in \(other) (--history \(other) reads it)\n".utf8))
    }
    print(try HistoryTrend.render(store.runs(level: level, last: last), format: format), terminator: "")
  }
}

extension HistoryFormat: ExpressibleByArgument {}
