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

      Manual: man poam (docs/man/poam.1). Shell completions:
      poam --generate-completion-script bash (or zsh, fish).

      Examples:
        poam analyze results/ --out poam-out
        poam gaps scan.ckl --cci-list U_CCI_List.xml
        poam catalog AC-2
        poam help analyze
      """,
    version: ToolInfo.version,
    subcommands: [
      AnalyzeCommand.self, GapsCommand.self, CheckCommand.self, DiffCommand.self, HistoryCommand.self,
      ImportCommand.self, CatalogCommand.self, FormatsCommand.self,
    ]
  )

  /// Runs the command line, mapping every usage or input error to exit code 2.
  static func main() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let mistyped = unknownSubcommand(arguments) {
      var message = "poam: error: unknown command '\(mistyped)'"
      if let suggestion = Suggestion.closest(to: mistyped, among: subcommandNames) {
        message += "; did you mean \(suggestion)?"
      }
      message += "\nCommands: \(subcommandNames.joined(separator: ", ")). See 'poam --help'.\n"
      FileHandle.standardError.write(Data(message.utf8))
      exit(withError: ExitCode(2))
    }
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

  /// The subcommands' names, as typed.
  static var subcommandNames: [String] {
    configuration.subcommands.map { $0._commandName } + ["help"]
  }

  /// The first argument when it is neither an option nor a command: poam itself takes no
  /// positional argument, so it can only be a mistyped command.
  static func unknownSubcommand(_ arguments: [String]) -> String? {
    guard let first = arguments.first, !first.hasPrefix("-"), !subcommandNames.contains(first) else { return nil }
    return first
  }
}
