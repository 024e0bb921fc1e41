import Foundation
import Synchronization

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
    try load(inputs, options: options, loadingCatalog: { catalog }, cciList: explicit, pipeline: pipeline).evidence
  }

  /// Reads and resolves like ``load(_:options:catalog:cciList:pipeline:)``, loading the catalog
  /// through `loadCatalog` on another core while the inputs are read: the importers do not
  /// need it, only the resolver does. A catalog error is reported before a CCI list or input error.
  public static func load(
    _ inputs: [String], options: ImportOptions, loadingCatalog loadCatalog: @escaping @Sendable () throws -> Catalog,
    cciList explicit: String? = nil, pipeline: ImportPipeline = ImportPipeline()
  ) throws -> (catalog: Catalog, evidence: AssessmentEvidence) {
    let path = CCIList.locate(explicit: explicit)
    // The catalog (decoding its JSON takes a few milliseconds) and the CCI list (3 MB of XML, a
    // third of the time `poam gaps` takes on a small file) load on the other core while the
    // inputs are read. Their errors, if any, are still reported first.
    let catalogLoad = BackgroundWork(loadCatalog)
    let cciLoad = path.map { path in BackgroundWork { try CCIList.load(from: path) } }
    let importing = Result { try pipeline.run(inputs, options: options) }
    let catalog = try catalogLoad.wait()
    let cciList = try cciLoad?.wait()
    let imported = try importing.get()
    let resolved = ObservationResolver(catalog: catalog, cciList: cciList).resolve(imported.observations)
    return (catalog, AssessmentEvidence(imported: imported, resolved: resolved, cciListPath: path))
  }
}

/// Work started on a background thread, whose result is collected later.
final class BackgroundWork<Value: Sendable>: Sendable {
  private let result = Mutex<Result<Value, any Error>?>(nil)
  private let done = DispatchSemaphore(value: 0)

  /// Starts `work` at once on a global queue.
  init(_ work: @escaping @Sendable () throws -> Value) {
    DispatchQueue.global().async { [self] in
      let outcome = Result { try work() }
      result.withLock { $0 = outcome }
      done.signal()
    }
  }

  /// Waits for the work to finish and returns its value or throws its error.
  func wait() throws -> Value {
    done.wait()
    return try result.withLock { $0! }.get()
  }
}
