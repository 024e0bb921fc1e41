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
  /// When the inputs were folded as they were read: the evidence by requirement. Then
  /// `imported.observations` and `resolved.observations` are empty.
  var folded: Folded?

  /// Creates the evidence of a run.
  init(imported: ImportOutcome, resolved: ResolveOutcome, cciListPath: String?) {
    self.imported = imported
    self.resolved = resolved
    self.cciListPath = cciListPath
  }

  /// How many results the inputs gave.
  public var resultCount: Int { folded?.results ?? imported.observations.count }

  /// Results that resolved to no requirement, counted by their first reference that could have
  /// mapped (``DiagnosticDigest``).
  public var unmappedReferences: [String: Int] {
    folded?.unmapped ?? DiagnosticDigest.unmappedReferences(resolved.observations)
  }

  /// The names of the inputs read, in order.
  public var inputNames: [String] { imported.inputs.map(\.name) }
  /// Import and resolve diagnostics together.
  public var diagnostics: [Diagnostic] {
    var all = imported.diagnostics
    if let cciListPath {
      // Named as inputs are: no absolute local path (`~/.config/poam/U_CCI_List.xml`) in an output.
      all.append(
        Diagnostic(
          .note, .cciListUsed, source: ImportPipeline.shownName(cciListPath),
          message: "CCI list used to resolve CCI references"))
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
    // third of the time `poam gaps` takes on a small file) load one after the other on one
    // background thread while the inputs are read: one thread, not two, so that on a 2-core
    // machine they never take the reader's core. When the inputs are read first, this thread
    // takes whichever has not started yet. Their errors, if any, are still reported first.
    let side = DispatchQueue(label: "poam.evidence-loader.side-work")
    let catalogLoad = BackgroundWork(on: side, loadCatalog)
    let cciLoad = path.map { path in BackgroundWork(on: side) { try CCIList.load(from: path) } }
    let importing = Result { try pipeline.run(inputs, options: options) }
    cciLoad?.runHereUnlessStarted()
    catalogLoad.runHereUnlessStarted()
    let catalog = try catalogLoad.wait()
    let cciList = try cciLoad?.take()
    let imported = try importing.get()
    let resolved = ObservationResolver(catalog: catalog, cciList: cciList).resolve(imported.observations)
    // Resolved: the CCI list (some 15,000 allocations, a millisecond to free) is let go on the
    // side thread, which has nothing else to do, while this one goes on to score.
    if let cciList = consume cciList { Handoff.release(consume cciList, on: side) }
    return (catalog, AssessmentEvidence(imported: imported, resolved: resolved, cciListPath: path))
  }
}

/// A value handed to a queue to be let go there: whichever thread drops the box last, the value
/// itself is freed by the queue (``release(_:on:)``), not by the thread that made it.
final class Handoff<Value>: @unchecked Sendable {
  // Unchecked: `value` is written once, by the queue's block, after the maker has let go of it.
  private var value: Value?

  private init(_ value: consuming Value) { self.value = value }

  /// Frees `value` on `queue`. Pass the caller's last copy (`consume`), or it stays alive here.
  static func release(_ value: consuming Value, on queue: DispatchQueue) {
    let box = Handoff(value)
    queue.async { box.value = nil }
  }
}

/// One batch of an input folded on another thread while the reader reads the next batch:
/// started with ``start(_:)`` and collected with ``finish(writing:)`` before the next starts.
final class FoldAhead: @unchecked Sendable {
  // Unchecked: `running` is used by the reading thread only; `outcome` is written by the worker
  // before it signals `done` and read by the reading thread after waiting for `done`.
  private var running = false
  private var outcome: Swift.Result<(EvidenceLoader.ReaderTally, [EvidenceRecord]), any Error>?
  private let done = DispatchSemaphore(value: 0)

  /// Starts folding a batch; the tally it gives and its evidence rows are taken by ``finish(writing:)``.
  func start(_ work: @escaping @Sendable () throws -> (EvidenceLoader.ReaderTally, [EvidenceRecord])) {
    precondition(!running, "one batch at a time")
    running = true
    DispatchQueue.global().async { [self] in
      outcome = Swift.Result { try work() }
      done.signal()
    }
  }

  /// Waits for the batch in flight, hands its evidence rows to `write` and returns its tally;
  /// nil when none is in flight. Throws the error folding it threw.
  func finish(writing write: ([EvidenceRecord]) throws -> Void) throws -> EvidenceLoader.ReaderTally? {
    guard running else { return nil }
    done.wait()
    running = false
    let finished = outcome
    outcome = nil
    guard let (tally, records) = try finished?.get() else { return nil }
    try write(records)
    return tally
  }

  /// Waits for the batch in flight, if any, and drops what it gave.
  func abandon() {
    guard running else { return }
    done.wait()
    running = false
    outcome = nil
  }
}

/// Work queued on a background queue, whose result is collected later. The thread that wants
/// the result can take the work over when the queue has not started it yet.
final class BackgroundWork<Value: Sendable>: Sendable {
  private enum State {
    case pending(@Sendable () throws -> Value)
    case running
    case finished(Result<Value, any Error>)
    /// The value was handed over by ``take()``.
    case taken
  }

  private let state: Mutex<State>
  private let done = DispatchSemaphore(value: 0)

  /// Queues `work` on `queue` (by default a global one, where it starts at once).
  init(on queue: DispatchQueue = .global(), _ work: @escaping @Sendable () throws -> Value) {
    state = Mutex(.pending(work))
    queue.async { [self] in runHereUnlessStarted() }
  }

  /// Runs the work on the calling thread if no thread has started it yet; otherwise does nothing.
  func runHereUnlessStarted() {
    let work: (@Sendable () throws -> Value)? = state.withLock { state in
      guard case .pending(let work) = state else { return nil }
      state = .running
      return work
    }
    guard let work else { return }
    let outcome = Result { try work() }
    state.withLock { $0 = .finished(outcome) }
    done.signal()
  }

  /// ``wait()``, after which the work no longer holds the value: the caller's copy is the only
  /// one, and the value is freed where and when the caller lets it go. Call it once, instead
  /// of ``wait()``.
  func take() throws -> Value {
    let value = try wait()
    state.withLock { $0 = .taken }
    return value
  }

  /// Waits for the work to finish (running it here if it has not started) and returns its
  /// value or throws its error; any number of threads may wait at once. Not after ``take()``.
  func wait() throws -> Value {
    runHereUnlessStarted()
    let finished: Result<Value, any Error>? = state.withLock { state in
      switch state {
      case .finished(let outcome): return outcome
      case .taken: preconditionFailure("the value was taken")
      case .pending, .running: return nil
      }
    }
    if let finished { return try finished.get() }
    done.wait()
    // Passed on: every thread waiting wakes, one after the other.
    done.signal()
    return try state.withLock { state -> Result<Value, any Error> in
      guard case .finished(let outcome) = state else { preconditionFailure("signalled before finishing") }
      return outcome
    }.get()
  }
}

extension EvidenceLoader {
  /// What one reader has folded so far.
  struct ReaderTally: Sendable {
    var resolved = ObservationResolver.Part()
    var collected: EvidenceCollector.Part
    var unmapped: [String: Int] = [:]
    var results = 0
    /// What references resolved to, kept by the reader from one run to the next (it changes no
    /// outcome, only how often a reference is resolved).
    var targets = ObservationResolver.TargetCache()

    mutating func merge(_ other: ReaderTally) {
      // Into a tally that has folded nothing: the other as it is (what merging gives), not a copy.
      if results == 0 {
        self = other
        return
      }
      targets.merge(other.targets)
      resolved.append(other.resolved)
      collected.merge(other.collected)
      unmapped.merge(other.unmapped, uniquingKeysWith: +)
      results += other.results
    }
  }

  /// How many results of one input are resolved and folded at a time: a large input (a CSV of a
  /// million rows) is never held resolved all at once.
  static let runLength = 8_192

  /// The resolver and the collector, made once the catalog and the CCI list are loaded.
  struct Folder: Sendable {
    var resolver: ObservationResolver
    var collector: EvidenceCollector
    var detailWindow: Int
  }

  /// Reads, resolves and folds the inputs one at a time, for scoring at `level`: each input's
  /// observations are resolved, folded into the reading thread's tally (and written to
  /// `evidenceFile`, when given) and let go before that thread reads the next input; the
  /// tallies are merged at the end. Memory follows requirements × assets, not results, and
  /// the outcome is the same whatever the order the inputs are named in or the number of
  /// readers. The catalog loads through `loadCatalog` on another core while the first inputs
  /// are read; a catalog error is reported before a CCI list or input error.
  static func fold(
    _ inputs: [String], options: ImportOptions, level: CMMCLevel,
    exemplarLimit: Int = EvidenceTally.defaultExemplarLimit, runLength: Int = EvidenceLoader.runLength,
    loadingCatalog loadCatalog: @escaping @Sendable () throws -> Catalog, cciList explicit: String? = nil,
    pipeline: ImportPipeline = ImportPipeline(), evidenceFile: EvidenceFile? = nil
  ) throws -> (catalog: Catalog, evidence: AssessmentEvidence) {
    let path = CCIList.locate(explicit: explicit)
    // The catalog and the CCI list load on threads of their own while the first input is read:
    // together they take longer than reading a 10 MB file, so one thread for both would keep
    // the reader waiting.
    let side = DispatchQueue(label: "poam.evidence-loader.side-work")
    let catalogLoad = BackgroundWork(on: side, loadCatalog)
    let cciQueue = DispatchQueue(label: "poam.evidence-loader.cci-list")
    let cciLoad = path.map { path in BackgroundWork(on: cciQueue) { try CCIList.load(from: path) } }
    // The resolver and the collector are made on the thread that loaded the last of the two,
    // while the inputs are still being read (their indices take a millisecond or two).
    let folderLoad = BackgroundWork(on: path == nil ? side : cciQueue) {
      let catalog = try catalogLoad.wait()
      let cciList = try cciLoad?.wait()
      let collector = EvidenceCollector(catalog: catalog, crosswalk: ScopeCrosswalk(catalog: catalog, level: level))
      return Folder(
        resolver: ObservationResolver(catalog: catalog, cciList: cciList), collector: collector,
        detailWindow: collector.detailWindow)
    }
    let folder = Mutex<Swift.Result<Folder, any Error>?>(nil)
    let idle = Mutex<[ReaderTally]>([])
    @Sendable func tools() throws -> Folder {
      try folder.withLock { state in
        // Taken, so that the folder is held here alone and let go where this says.
        if state == nil { state = Swift.Result { try folderLoad.take() } }
        return try state!.get()
      }
    }
    let importing = Swift.Result {
      try pipeline.fold(inputs, options: options, batchSize: max(1, runLength)) { input in
        let index = input.index
        var tally =
          idle.withLock { $0.popLast() }
          ?? ReaderTally(collected: EvidenceCollector.Part(exemplarLimit: exemplarLimit))
        defer { idle.withLock { $0.append(tally) } }
        // An input read in batches is folded into a tally of its own, merged into the reader's
        // once the whole input is read: an input that fails part way leaves nothing behind.
        // Results at a time, numbered from `base` within the input: resolved, folded (on both
        // cores) and let go; the evidence rows of each run go to `write`.
        @Sendable func foldRuns(
          _ observations: [Observation], from base: Int, into tally: inout ReaderTally, recording: Bool,
          write: ([EvidenceRecord]) throws -> Void
        ) throws {
          tally.results += observations.count
          // Waited for only once there is something to fold: the first input is read while the
          // catalog and the CCI list load on the side thread.
          let tools = try tools()
          var start = 0
          while start < observations.count {
            let (first, end) = (start, min(observations.count, start + max(1, runLength)))
            let (bars, known) = (tally.collected.tally.bars, tally.targets)
            // Each core resolves and folds its own share of the run: nothing but the merge of
            // the shares is left on one core.
            let parts = Parallel.ranges(end - first, minimumPerPart: EvidenceCollector.minimumPerPart) { share in
              let range = (first + share.lowerBound)..<(first + share.upperBound)
              var cache = known.learning()
              var resolved = tools.resolver.resolve(
                observations, range, input: index, firstPosition: base, cache: &cache)
              let run = resolved.resolved
              resolved.resolved = []
              var part = EvidenceCollector.Part(exemplarLimit: exemplarLimit)
              part.tally.admissionBars = bars
              var records: [EvidenceRecord] = []
              tools.collector.fold(
                run, run.indices, input: index, firstResult: base + range.lowerBound, into: &part,
                detailWindow: tools.detailWindow, record: recording ? { records.append($0) } : nil)
              return (resolved, DiagnosticDigest.unmappedReferences(run), part, records, cache)
            }
            for (share, (resolved, unmapped, part, records, cache)) in parts.enumerated() {
              // The first share's cache is the reader's plus what it learned: taken whole.
              if share == 0 { tally.targets.adopt(cache) } else { tally.targets.merge(cache) }
              tally.resolved.append(resolved)
              tally.unmapped.merge(unmapped, uniquingKeysWith: +)
              tally.collected.merge(part)
              try write(records)
            }
            start = end
          }
        }
        func readAndFold(_ writer: EvidenceRowWriter?) throws {
          let recording = writer != nil
          func write(_ records: [EvidenceRecord]) throws { for record in records { try writer?.write(record) } }
          // An input read in batches: when its importer asks for it (a Nessus scan), each batch
          // is folded on the other core while the next one is read, otherwise here (a CSV). One
          // batch at a time, in order, so the outcome (and the order of the evidence rows,
          // written here) is what folding them one after the other gives.
          let ahead = FoldAhead()
          // An input that fails part way: the batch in flight is waited for and dropped.
          defer { ahead.abandon() }
          // The batches folded here so far.
          var batched: ReaderTally?
          let limits = ResourceLimits.current
          let rest = try input.read { observations, first in
            var part =
              try ahead.finish(writing: write) ?? batched
              ?? ReaderTally(
                collected: EvidenceCollector.Part(exemplarLimit: exemplarLimit), targets: tally.targets.learning())
            batched = nil
            guard input.foldsWhileReading else {
              try foldRuns(observations, from: first, into: &part, recording: recording, write: write)
              batched = part
              return
            }
            ahead.start { [part] in
              try ResourceLimits.$current.withValue(limits) {
                var (part, records) = (part, [EvidenceRecord]())
                try foldRuns(observations, from: first, into: &part, recording: recording) { records += $0 }
                return (part, records)
              }
            }
          }
          if var part = try ahead.finish(writing: write) ?? batched {
            try foldRuns(rest.observations, from: part.results, into: &part, recording: recording, write: write)
            tally.merge(part)
          } else {
            try foldRuns(rest.observations, from: 0, into: &tally, recording: recording, write: write)
          }
        }
        if let evidenceFile {
          try evidenceFile.writePart(input: input.index, name: input.name) { try readAndFold($0) }
        } else {
          try readAndFold(nil)
        }
      }
    }
    // The folder waits for both loads (and throws a catalog error before a CCI list error), so
    // the CCI list is taken only once the folder's work no longer waits for it.
    let tools = try tools()
    let catalog = try catalogLoad.wait()
    let cciList = try cciLoad?.take()
    var imported = try importing.get()
    if let cciList = consume cciList { Handoff.release(consume cciList, on: side) }
    var whole = ReaderTally(collected: EvidenceCollector.Part(exemplarLimit: exemplarLimit))
    // Each reader's tally is let go as soon as it is merged.
    var tallies = Array(
      idle.withLock { tallies in
        defer { tallies = [] }
        return tallies
      }.reversed())
    while let tally = tallies.popLast() { whole.merge(tally) }
    imported.observations = []
    let resolved = tools.resolver.finish(whole.resolved)
    var evidence = AssessmentEvidence(imported: imported, resolved: resolved, cciListPath: path)
    evidence.folded = Folded(
      outcome: tools.collector.finish(whole.collected), results: whole.results, unmapped: whole.unmapped)
    // The resolver holds the CCI list (some 15,000 allocations) and the tally its caches: let go
    // on the side thread, which has nothing left to do, not on this one before it scores.
    folder.withLock { $0 = nil }
    Handoff.release(consume tools, on: side)
    Handoff.release(consume whole, on: side)
    return (catalog, evidence)
  }
}

/// The evidence of a run folded as it was read (``EvidenceLoader/fold(_:options:level:exemplarLimit:runLength:loadingCatalog:cciList:pipeline:evidenceFile:)``).
struct Folded: Sendable {
  /// The tally and the collector's diagnostics.
  var outcome: EvidenceCollector.Outcome
  /// Results read.
  var results: Int
  /// Results that resolved to nothing, by reference.
  var unmapped: [String: Int]
}
