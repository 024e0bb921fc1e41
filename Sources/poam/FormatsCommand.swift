import ArgumentParser
import POAMKit

struct FormatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "formats",
    abstract: "List the input formats poam reads and how it recognises each.",
    discussion: """
      poam tells formats apart by content (root element, namespace, JSON keys, header row), never \
      by file name. The formats are csv, xlsx, ckl, cklb, xccdf, arf, oscal-json, oscal-xml, hdf, \
      native and zip. Every command that reads inputs (analyze, gaps, check, import) takes \
      --input-format FORMAT to read every input as that format instead of detecting it.

      Examples:
        poam formats
        poam formats --format json
        poam gaps scan.xml --input-format xccdf
      """
  )

  @Option(help: "Output format: text or json.")
  var format: FormatsFormat = .text

  func run() throws {
    switch format {
    case .json: print(try FormatGuide.json(), terminator: "")
    case .text: print(FormatGuide.text(), terminator: "")
    }
  }
}

/// `poam formats --format`.
enum FormatsFormat: String, CaseIterable, ExpressibleByArgument {
  case text, json
}
