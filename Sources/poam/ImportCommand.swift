import ArgumentParser
import Foundation
import POAMKit

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Read assessment exports and print the normalized, resolved observations.",
    discussion: """
      Reads every INPUT (files, directories recursed, .zip archives, - for standard input), \
      detects each format by content, and prints one observation per result with the CMMC \
      requirements and objectives it resolves to. Diagnostics (rows that could not be used, \
      unknown statuses, unresolved IDs) go to standard error as file:location: severity: message \
      and into the JSON output.

      Exit codes: 0 ok; 1 some inputs were skipped under --keep-going; 2 bad input or usage \
      (nothing is printed to standard output).

      Examples:
        poam import assessment.csv
        poam import checklists/ --format csv > observations.csv
        poam import results.json --level 2 --input-format hdf
      """
  )

  @Argument(help: "Files, directories, .zip archives, or - for standard input.")
  var inputs: [String]

  @Option(help: "Output format: json or csv.")
  var format: ObservationFormat = .json

  @Option(help: "Only observations that resolve to a requirement of this level (1, 2 or 3).")
  var level: CMMCLevel?

  @OptionGroup var inputOptions: InputOptions

  @OptionGroup var catalogOptions: CatalogOptions

  func validate() throws {
    if inputs.isEmpty {
      throw ValidationError("give at least one INPUT (a file, a directory, or - for standard input)")
    }
  }

  func run() throws {
    let (catalog, evidence) = try inputOptions.load(inputs, catalog: catalogOptions)
    let imported = evidence.imported
    let report = ImportReport(imported: imported, resolved: evidence.resolved, catalog: catalog, level: level)
    var errors = ""
    for diagnostic in report.diagnostics { errors += diagnostic.description + "\n" }
    FileHandle.standardError.write(Data(errors.utf8))
    if format == .json {
      // Streamed: the JSON of a million observations is never held whole in memory.
      try report.writeJSON { FileHandle.standardOutput.write($0) }
    } else {
      FileHandle.standardOutput.write(Data(report.csv().utf8))
    }
    if !imported.failures.isEmpty { throw ExitCode(1) }
  }
}

/// `poam import --format`.
enum ObservationFormat: String, CaseIterable, ExpressibleByArgument {
  case json, csv
}
