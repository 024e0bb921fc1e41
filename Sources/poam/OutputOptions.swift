import ArgumentParser
import Foundation
import POAMKit

#if canImport(Glibc)
  import Glibc
#endif

/// `--quiet` and `--verbose`, for the commands that read inputs and print a summary.
struct OutputOptions: ParsableArguments {
  @Flag(
    name: [.short, .long],
    help: "Print only errors (skipped inputs among them): no digest of warnings, no progress line, no analyze summary.")
  var quiet = false

  @Flag(
    name: [.short, .long],
    help: "Print every kind of diagnostic with more examples, notes included, and the CCI list used.")
  var verbose = false

  func validate() throws {
    if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
  }

  /// A progress line on standard error, when one is wanted (a terminal, not CI, not --quiet).
  func progressMeter() -> ProgressMeter? {
    guard !quiet,
      ProgressMeter.isWanted(
        stderrIsTerminal: isatty(STDERR_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
    else { return nil }
    return ProgressMeter { text in FileHandle.standardError.write(Data(text.utf8)) }
  }

  /// Prints the digest of a run's diagnostics on standard error: errors always, warnings
  /// unless --quiet, notes with --verbose. `hint` is the command that lists every diagnostic.
  func printDigest(_ diagnostics: [Diagnostic], unmapped: [String: Int], hint: String) {
    var digest = DiagnosticDigest(diagnostics: diagnostics, unmapped: unmapped)
    if quiet {
      digest.warnings = []
      digest.notes = []
    }
    guard !digest.isEmpty else { return }
    let text = digest.render(examples: verbose ? 10 : 3, notes: verbose, hint: hint)
    FileHandle.standardError.write(Data(text.utf8))
  }
}
