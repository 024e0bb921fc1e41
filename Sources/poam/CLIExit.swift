import ArgumentParser
import Foundation
import POAMKit

/// Maps errors to poam's exit codes: 0 ok, 1 a check failed, 2 bad input or usage.
enum CLIExit {
  static func normalize(_ error: any Error) -> any Error {
    if error is ExitCode || error is CleanExit { return error }
    let code = Poam.exitCode(for: error)
    if code == .success { return error }
    // poam's own errors carry their exit code.
    if let failure = error as? any UserError {
      FileHandle.standardError.write(Data("poam: error: \(failure.localizedDescription)\n".utf8))
      return ExitCode(failure.exitCode)
    }
    // An error from the system or a library (a file that cannot be read, a database that cannot be
    // opened) is about the input or the environment the user gave: exit 2, with its own words.
    if !(error is ValidationError), code == .failure {
      FileHandle.standardError.write(Data("poam: error: \(error.localizedDescription)\n".utf8))
      return ExitCode(2)
    }
    // Argument-parser usage errors (exit 64 by default) are usage errors: exit 2.
    let message = Poam.fullMessage(for: error)
    if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    return ExitCode(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
  }
}

extension CLIExit {
  /// Ends a command that has written all its output with exit code 0, as returning from
  /// `run()` would, but without freeing what the command built first: `values` (for a 10 MB
  /// input, tens of thousands of strings and arrays) are kept alive until the process ends,
  /// and the system takes the memory back at once. Freeing them one by one took longer than
  /// writing the report. `exit` still runs the `atexit` handlers and flushes C streams.
  static func succeed<Values>(keepingAlive values: Values) -> Never {
    withExtendedLifetime(values) { Foundation.exit(0) }
  }
}

/// A failure the user must act on, printed as `poam: error: …` with exit code 2.
struct UsageFailure: UserError {
  let message: String
  var errorDescription: String? { message }
}
