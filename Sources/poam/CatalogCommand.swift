import ArgumentParser
import Foundation
import POAMKit

struct CatalogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "catalog",
    abstract: "Show CMMC requirements, objectives, points and POA&M rules; look up any ID.",
    discussion: """
      Without an ID, lists every requirement (of one level with --level). With a requirement \
      ID, shows that requirement in full and, below it, the NIST SP 800-53 controls (and, with \
      a CCI list, the CCIs) that poam resolves to it. Requirement IDs may be written in any \
      common spelling: AC.L2-3.1.1, 3.1.1, 3.01.01, NIST SP 800-171 3.1.1, 3.1.1[a], \
      AC.L1-b.1.i, b.1.i, 3.1.2e, CMMC 1.0 AC.1.001 or NIST SP 800-171 Rev 3 03.01.01.

      With a NIST SP 800-53 control (AC-2, IA-5(1)(a)) or a CCI (CCI-000205, with the DISA CCI \
      list), lists the CMMC requirements and objectives it maps to: the same resolution a \
      scan result naming only that ID gets in poam gaps and poam analyze.

      Examples:
        poam catalog --level 1
        poam catalog 3.5.3
        poam catalog AC-2
        poam catalog "IA-5(1)(a)"
        poam catalog IA.L2-3.5.7 --cci-list U_CCI_List.xml
        poam catalog CCI-000205 --cci-list U_CCI_List.xml
        poam catalog --level 2 --format json > level2.json
      """
  )

  @Argument(help: "A requirement or objective ID in any spelling, a NIST SP 800-53 control or a CCI.")
  var id: String?

  @Option(
    name: .customLong("cci-list"),
    help: ArgumentHelp(
      "The DISA CCI list (U_CCI_List.xml), to look up CCIs. Default: $POAM_CCI_LIST, then ~/.config/poam/U_CCI_List.xml.",
      valueName: "file"))
  var cciList: String?

  @Option(help: "Only requirements of this level (1, 2 or 3).")
  var level: CMMCLevel?

  @Option(help: "Output format: text, json or markdown.")
  var format: ReportFormat = .text

  @OptionGroup var catalogOptions: CatalogOptions

  func run() throws {
    let catalog = try catalogOptions.load()
    let presenter = CatalogPresenter(catalog: catalog)
    var selected: [Requirement]
    let lookup = try id.map { _ in
      IDLookup(catalog: catalog, cciList: try CCIList.locate(explicit: cciList).map { try CCIList.load(from: $0) })
    }
    if let id, let lookup {
      let kind = lookup.kind(of: id)
      if let kind, kind != .requirement {
        if level != nil { throw UsageFailure(message: "--level applies to requirement IDs, not to \(id)") }
        let forward = lookup.forward(id, kind: kind)
        switch format {
        case .json: print(try lookup.json(forward), terminator: "")
        case .text, .markdown: print(lookup.text(forward), terminator: "")
        }
        return
      }
      switch RequirementIDResolver(catalog: catalog).resolve(id) {
      case .success(let resolved):
        selected = [catalog.requirement(id: resolved.requirement)!]
        if let note = resolved.note {
          FileHandle.standardError.write(Data("note: \(id) → \(resolved.display): \(note)\n".utf8))
        }
      case .failure(let unresolved):
        throw UsageFailure(
          message:
            "unknown ID: \(unresolved.localizedDescription); poam catalog takes a CMMC or NIST SP 800-171 requirement, a NIST SP 800-53 control (AC-2) or a CCI (CCI-000205)"
        )
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
    if let lookup, format == .text, let requirement = selected.first, requirement.level == .two {
      print(lookup.text(lookup.reverse(requirement.id)), terminator: "")
    }
  }
}
