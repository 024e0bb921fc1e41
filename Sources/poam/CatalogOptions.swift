import ArgumentParser
import POAMKit

/// `--catalog PATH`, shared by every command that needs the catalog.
struct CatalogOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Use your own catalog: a directory laid out like controls/ or one JSON file with the same schema.",
      valueName: "path"))
  var catalog: String?

  func load() throws -> Catalog {
    if let catalog { return try Catalog.load(from: catalog) }
    return try Catalog.bundled()
  }
}

extension ReportFormat: ExpressibleByArgument {}

extension CMMCLevel: ExpressibleByArgument {
  public init?(argument: String) {
    guard let value = Int(argument), let level = CMMCLevel(rawValue: value) else { return nil }
    self = level
  }

  public static var allValueStrings: [String] { ["1", "2", "3"] }
}
