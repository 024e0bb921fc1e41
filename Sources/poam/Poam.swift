import ArgumentParser
import Foundation
import POAMKit

@main
struct Poam: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "poam",
    abstract: "Turn CMMC 2.0 assessment results into a gap analysis and a draft POA&M.",
    discussion: """
      poam reads assessors' exports and scanner results, resolves them to the CMMC 2.0 catalog \
      (Level 1: FAR 52.204-21; Level 2: NIST SP 800-171 Rev 2; Level 3: NIST SP 800-172), \
      scores them and drafts a Plan of Action and Milestones.

      Exit codes: 0 ok; 1 a check failed; 2 bad input or usage.
      """,
    version: ToolInfo.version,
    subcommands: [
      AnalyzeCommand.self, GapsCommand.self, CheckCommand.self, DiffCommand.self, HistoryCommand.self,
      ImportCommand.self, CatalogCommand.self, FormatsCommand.self, InitCommand.self,
    ]
  )

  /// Runs the command line, mapping every usage or input error to exit code 2.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: CLIExit.normalize(error))
    }
  }
}
