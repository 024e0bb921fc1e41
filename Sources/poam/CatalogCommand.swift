import ArgumentParser
import Foundation
import POAMKit

struct CatalogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "catalog",
    abstract: "Show CMMC requirements, objectives, points and POA&M rules.",
    discussion: """
      Without an ID, lists every requirement (of one level with --level). With an ID, shows \
      that requirement in full. IDs may be written in any common spelling: AC.L2-3.1.1, 3.1.1, \
      3.01.01, NIST SP 800-171 3.1.1, 3.1.1[a], AC.L1-b.1.i, b.1.i, 3.1.2e, CMMC 1.0 AC.1.001 \
      or NIST SP 800-171 Rev 3 03.01.01.

      Examples:
        poam catalog --level 1
        poam catalog 3.5.3
        poam catalog --level 2 --format json > level2.json
      """
  )

  @Argument(help: "A requirement or objective ID in any spelling.")
  var id: String?

  @Option(help: "Only requirements of this level (1, 2 or 3).")
  var level: CMMCLevel?

  @Option(help: "Output format: text, json or markdown.")
  var format: ReportFormat = .text

  @OptionGroup var catalogOptions: CatalogOptions

  func run() throws {
    let catalog = try catalogOptions.load()
    let presenter = CatalogPresenter(catalog: catalog)
    var selected: [Requirement]
    if let id {
      switch RequirementIDResolver(catalog: catalog).resolve(id) {
      case .success(let resolved):
        selected = [catalog.requirement(id: resolved.requirement)!]
        if let note = resolved.note {
          FileHandle.standardError.write(Data("note: \(id) → \(resolved.display): \(note)\n".utf8))
        }
      case .failure(let unresolved):
        throw UsageFailure(message: "unknown requirement ID: \(unresolved.localizedDescription)")
      }
      if let level, selected[0].level != level {
        throw UsageFailure(
          message: "\(selected[0].id) is a Level \(selected[0].level.rawValue) requirement, not Level \(level.rawValue)"
        )
      }
    } else {
      selected = level.map { catalog.requirements(level: $0) } ?? catalog.requirements
    }
    print(try presenter.render(selected, format: format, detailed: id != nil), terminator: "")
  }
}
