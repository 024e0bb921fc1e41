import Foundation

/// Everything read and resolved from the inputs of one run: the first two stages of the
/// pipeline, shared by `import`, `gaps`, `analyze` and `check`.
public struct AssessmentEvidence: Sendable {
  /// What the importers read.
  public var imported: ImportOutcome
  /// What the resolver made of it.
  public var resolved: ResolveOutcome
  /// The DISA CCI list used, when one was found.
  public var cciListPath: String?

  /// The names of the inputs read, in order.
  public var inputNames: [String] { imported.inputs.map(\.name) }
  /// Import and resolve diagnostics together.
  public var diagnostics: [Diagnostic] {
    var all = imported.diagnostics
    if let cciListPath {
      all.append(Diagnostic(.note, source: cciListPath, message: "CCI list used to resolve CCI references"))
    }
    return all + resolved.diagnostics
  }
}

/// Reads inputs with ``ImportPipeline`` and resolves them with ``ObservationResolver``, loading
/// the DISA CCI list from `--cci-list`, `POAM_CCI_LIST` or `~/.config/poam/U_CCI_List.xml`.
public enum EvidenceLoader {
  /// Reads and resolves. Throws ``ImportError`` for a bad input (unless `keepGoing`) or a bad CCI list.
  public static func load(
    _ inputs: [String], options: ImportOptions, catalog: Catalog, cciList explicit: String? = nil,
    pipeline: ImportPipeline = ImportPipeline()
  ) throws -> AssessmentEvidence {
    let path = CCIList.locate(explicit: explicit)
    let cciList = try path.map { try CCIList.load(from: $0) }
    let imported = try pipeline.run(inputs, options: options)
    let resolved = ObservationResolver(catalog: catalog, cciList: cciList).resolve(imported.observations)
    return AssessmentEvidence(imported: imported, resolved: resolved, cciListPath: path)
  }
}
