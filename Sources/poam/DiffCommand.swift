import ArgumentParser
import Foundation
import POAMKit

struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two gap reports or two POA&Ms that poam wrote.",
    discussion: """
      Shows the score and status change, the gaps opened and closed, evidence lost and gained, \
      POA&M items reopened, and open items past their scheduled completion date. OLD and NEW may \
      each be a gap report (gap-report.json) or a POA&M (OSCAL JSON) written by poam.

      Exit codes: 0 compared (whatever changed); 2 a file is missing or not a gap report or POA&M.

      Examples:
        poam diff baseline/gap-report.json out/gap-report.json
        poam diff old/poam.json new/poam.json --format markdown
        poam diff a.json b.json --format json | jq .gaps_opened
      """
  )

  @Argument(help: "The older gap report or POA&M.")
  var old: String

  @Argument(help: "The newer gap report or POA&M.")
  var new: String

  @Option(help: "Output format: text, json or markdown.")
  var format: ReportFormat = .text

  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp("Judge overdue POA&M items as of this day (default: today, UTC).", valueName: "YYYY-MM-DD"))
  var asOf: String?

  @OptionGroup var catalogOptions: CatalogOptions

  func run() throws {
    let catalog = try catalogOptions.load()
    let day = try CalendarDate.day(asOf, field: "--as-of")
    let loader = BaselineLoader(catalog: catalog)
    let before = try loader.load(path: old)
    let after = try loader.load(path: new)
    let diff = ReportDiff.compare(old: before, new: after, asOf: day)
    print(try ReportDiffRenderer.render(diff, format: format), terminator: "")
  }
}
