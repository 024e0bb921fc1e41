import ArgumentParser
import POAMKit

struct FormatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "formats",
    abstract: "List the input formats poam reads and how it recognises each.",
    discussion: """
      poam tells formats apart by content (root element, namespace, JSON keys, header row), never \
      by file name. Use --input-format FORMAT with poam import to override detection.
      """
  )

  @Option(help: "Output format: text or json.")
  var format: ReportFormat = .text

  func validate() throws {
    if format == .markdown { throw ValidationError("--format must be text or json") }
  }

  func run() throws {
    switch format {
    case .json: print(try JSONOutput.string(FormatGuide.entries()), terminator: "")
    default: print(FormatGuide.text(), terminator: "")
    }
  }
}
