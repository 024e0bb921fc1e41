import Foundation
import Synchronization

/// Options for reading inputs.
public struct ImportOptions: Sendable {
  /// Read every input as this format instead of detecting it (`--input-format`).
  public var formatOverride: InputFormat?
  /// Skip inputs that cannot be read, report each, and go on (`--keep-going`).
  public var keepGoing: Bool
  /// The flaw-remediation time frame, in days, a scan's Critical/High findings are held to
  /// (`--remediation-days`); nil for ``NessusImporter/defaultRemediationDays``.
  public var remediationDays: Int?

  /// Creates options.
  public init(formatOverride: InputFormat? = nil, keepGoing: Bool = false, remediationDays: Int? = nil) {
    self.formatOverride = formatOverride
    self.keepGoing = keepGoing
    self.remediationDays = remediationDays
  }
}

/// What was read from one input.
public struct InputSummary: Codable, Sendable, Hashable {
  /// The name shown in reports.
  public var name: String
  /// The detected (or given) format.
  public var format: InputFormat
  /// How many observations it gave.
  public var observations: Int
}

/// Everything read from all inputs.
public struct ImportOutcome: Sendable {
  /// Every observation, input by input in the order given (directories sorted by path).
  public var observations: [Observation]
  /// Every recoverable problem.
  public var diagnostics: [Diagnostic]
  /// One summary per input read.
  public var inputs: [InputSummary]
  /// Inputs skipped under `--keep-going`.
  public var failures: [ImportError]
}

/// Importers by format.
public struct ImporterRegistry: Sendable {
  private let importers: [InputFormat: any Importer]

  /// Creates a registry from a list of importers.
  public init(_ importers: [any Importer]) {
    self.importers = Dictionary(importers.map { ($0.format, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The importer for a format, if poam has one.
  public func importer(for format: InputFormat) -> (any Importer)? { importers[format] }

  /// The formats with an importer.
  public var formats: [InputFormat] { InputFormat.allCases.filter { importers[$0] != nil } }

  /// Every importer poam ships.
  public static let standard = ImporterRegistry(Importers.all)
}

/// Expands the inputs a user names (files, directories, `-`) and reads them, in parallel,
/// with the importer each one's content calls for.
public struct ImportPipeline: Sendable {
  /// The importers used.
  public let registry: ImporterRegistry
  /// Reads standard input when an input is `-`.
  public let readStandardInput: @Sendable () throws -> Data
  /// Told after each input is read (from the reading threads): files and bytes read so far.
  public let progress: (@Sendable (ImportProgress) -> Void)?
  /// How many inputs are read at a time: 0 for one per core.
  public var readers = 0

  /// Creates a pipeline.
  public init(
    registry: ImporterRegistry = .standard,
    readStandardInput: @escaping @Sendable () throws -> Data = { try ImportPipeline.boundedStandardInput() },
    progress: (@Sendable (ImportProgress) -> Void)? = nil
  ) {
    self.registry = registry
    self.readStandardInput = readStandardInput
    self.progress = progress
  }

  /// An input found by expanding the arguments, and whether the user named it directly.
  struct Candidate: Sendable {
    var file: InputFile
    var explicit: Bool
  }

  /// Reads standard input up to ``ResourceLimits/Name/stdinBytes``.
  /// - Throws: the limit's ``ImportError`` when there is more (`poam gaps - < /dev/zero`).
  public static func boundedStandardInput() throws -> Data {
    let limits = ResourceLimits.current
    let limit = limits[.stdinBytes]
    var data = Data()
    while let chunk = try? FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
      data.append(chunk)
      if data.count > limit { throw limits.exceeded(.stdinBytes, file: "-", what: "standard input") }
    }
    return data
  }

  /// Reads every input. Throws the first ``ImportError`` unless `keepGoing` is set.
  public func run(_ arguments: [String], options: ImportOptions = ImportOptions()) throws -> ImportOutcome {
    // One count of inflated bytes for the whole run, seen by every worker thread.
    let limits = ResourceLimits.current.inflated == nil ? ResourceLimits.current.forRun() : ResourceLimits.current
    return try ResourceLimits.$current.withValue(limits) {
      try runBound(arguments, options: options, limits: limits, batchSize: 0, reading: nil)
    }
  }

  /// One input as soon as it is read: its place among the inputs (sorted by name), its name and
  /// what it gave.
  public struct ReadInput: Sendable {
    /// The input's place among the run's inputs, sorted by name.
    public var index: Int
    /// The name shown in reports.
    public var name: String
    /// What it gave.
    public var result: ImportResult
  }

  /// Reads every input like ``run(_:options:)``, but hands each input's result to `each` as
  /// soon as it is read, on the thread that read it, and keeps none of its observations: the
  /// outcome's `observations` is empty, its summaries count them. The inputs are taken in
  /// name order (not the order they were named in), so that everything built from them is the
  /// same whatever that order; up to one input per core is read at a time. An error `each`
  /// throws ends the run and is thrown.
  public func fold(
    _ arguments: [String], options: ImportOptions = ImportOptions(),
    each: @escaping @Sendable (ReadInput) throws -> Void
  ) throws -> ImportOutcome {
    try fold(arguments, options: options, batchSize: 0) { input in
      let result = try input.read { _, _ in }
      try each(ReadInput(index: input.index, name: input.name, result: result))
    }
  }

  /// One input about to be read while the pipeline folds: its place among the inputs (sorted by
  /// name), its name, and ``read(_:)``, which reads it.
  public struct InputReading {
    /// The input's place among the run's inputs, sorted by name.
    public let index: Int
    /// The name shown in reports.
    public let name: String
    /// Whether its batches are best folded on another core while the next is read
    /// (``BatchingImporter/foldsWhileReading``).
    public let foldsWhileReading: Bool
    fileprivate let body: (([Observation], Int) throws -> Void) throws -> ImportResult

    /// Reads the input. An importer that reads in batches (``BatchingImporter``) hands its
    /// observations to `batch` as it reads them, with the number within the input of each
    /// batch's first observation; the result holds the observations after the last batch (all
    /// of them, for other importers) and every diagnostic. Call it once.
    public func read(
      _ batch: (_ observations: [Observation], _ firstResult: Int) throws -> Void
    ) throws -> ImportResult {
      try body(batch)
    }
  }

  /// Reads every input like ``fold(_:options:each:)``, but hands `reading` each input before it
  /// is read, so that a large input read by a ``BatchingImporter`` is folded `batchSize`
  /// observations at a time as it is read, never held whole (`batchSize` 0: every input is read
  /// whole). An input that fails part way (skipped under `--keep-going`) has already handed some
  /// batches over: `reading` sees the error thrown by ``InputReading/read(_:)`` and must drop
  /// what it made of them. Any other error `reading` throws ends the run and is thrown.
  public func fold(
    _ arguments: [String], options: ImportOptions = ImportOptions(), batchSize: Int,
    reading: @escaping @Sendable (InputReading) throws -> Void
  ) throws -> ImportOutcome {
    let limits = ResourceLimits.current.inflated == nil ? ResourceLimits.current.forRun() : ResourceLimits.current
    return try ResourceLimits.$current.withValue(limits) {
      try runBound(arguments, options: options, limits: limits, batchSize: batchSize, reading: reading)
    }
  }

  private func runBound(
    _ arguments: [String], options: ImportOptions, limits: ResourceLimits, batchSize: Int,
    reading: (@Sendable (InputReading) throws -> Void)?
  ) throws -> ImportOutcome {
    var diagnostics: [Diagnostic] = []
    var candidates: [Candidate] = []
    var failures: [ImportError] = []
    for argument in arguments {
      do {
        candidates += try expand(argument)
      } catch let error as ImportError {
        guard options.keepGoing else { throw error }
        failures.append(error)
      }
    }
    let results = Mutex<[Int: Swift.Result<(ImportResult, InputFormat, Int)?, ImportError>]>([:])
    // Folding: name order, stable for a name given twice.
    let work =
      reading == nil
      ? candidates
      : candidates.enumerated().sorted {
        ($0.element.file.displayName, $0.offset) < ($1.element.file.displayName, $1.offset)
      }.map(\.element)
    let folding = Mutex<(any Error)?>(nil)
    let sizes = work.map { Self.size(of: $0.file) }
    let total = sizes.reduce(0, +)
    let done = Mutex<(files: Int, bytes: Int64)>((0, 0))
    progress?(ImportProgress(filesRead: 0, filesTotal: work.count, bytesRead: 0, bytesTotal: total))
    @Sendable func readOne(_ index: Int) {
      if reading != nil, folding.withLock({ $0 != nil }) { return }
      let outcome: Swift.Result<(ImportResult, InputFormat, Int)?, ImportError>
      do {
        if let reading {
          outcome = try foldOne(
            work[index], index: index, options: options, limits: limits, batchSize: batchSize, reading: reading
          ) { error in folding.withLock { $0 = $0 ?? error } }
        } else {
          let got = try ResourceLimits.$current.withValue(limits) {
            try read(work[index], options: options, skipped: nil)
          }
          outcome = .success(got.map { ($0.0, $0.1, $0.0.observations.count) })
        }
      } catch let error as ImportError {
        outcome = .failure(error)
      } catch {
        outcome = .failure(.unreadable(file: work[index].file.displayName, reason: "\(error)"))
      }
      results.withLock { $0[index] = outcome }
      if let progress {
        let now = done.withLock { done in
          done.files += 1
          done.bytes += sizes[index]
          return done
        }
        progress(ImportProgress(filesRead: now.files, filesTotal: work.count, bytesRead: now.bytes, bytesTotal: total))
      }
    }
    // Inputs that together take more than half the machine's memory cannot stay in the page
    // cache: each is dropped from it once read, so that reading the next one does not wait for
    // the kernel to reclaim memory (ten thousand checklists, 20 GB, on a 23.5 GiB machine).
    let dropAfterReading = total > Int64(ProcessInfo.processInfo.physicalMemory / 2)
    // Each reader takes the next input not yet taken.
    let next = Mutex(0)
    let readerCount = readers > 0 ? min(readers, work.count) : work.count
    DispatchQueue.concurrentPerform(iterations: readerCount) { _ in
      while true {
        let index = next.withLock { next in
          defer { next += 1 }
          return next
        }
        guard index < work.count else { return }
        // While this input is parsed, the disk reads the one this reader will likely take next.
        if index + readerCount < work.count { Self.prefetch(work[index + readerCount].file) }
        readOne(index)
        if dropAfterReading { Self.release(work[index].file) }
      }
    }
    if let error = folding.withLock({ $0 }) { throw error }
    var observations: [Observation] = []
    var inputs: [InputSummary] = []
    let collected = results.withLock { $0 }
    for index in work.indices {
      switch collected[index]! {
      case .success(let value?):
        observations += value.0.observations
        diagnostics += value.0.diagnostics
        inputs.append(InputSummary(name: work[index].file.displayName, format: value.1, observations: value.2))
      case .success(nil):
        let reason = skipReason(work[index].file)
        diagnostics.append(
          Diagnostic(.note, .inputSkipped, source: work[index].file.displayName, message: "skipped: \(reason)"))
      case .failure(let error):
        guard options.keepGoing else { throw error }
        failures.append(error)
      }
    }
    if inputs.isEmpty && !arguments.isEmpty {
      let named = arguments.map { $0 == "-" ? "standard input" : $0 }
      var reason = "no inputs found in \(named.joined(separator: ", "))"
      let skipped = work.count - failures.count
      if !work.isEmpty {
        reason +=
          ": \(Plural.count(work.count, "file")) looked at, \(skipped) of no format poam reads"
          + (failures.isEmpty ? "" : ", \(failures.count) unreadable (\(failures[0].localizedDescription))")
      }
      throw ImportError.unsupported(file: named.joined(separator: ", "), reason: reason)
    }
    for failure in failures {
      diagnostics.append(
        Diagnostic(
          .error, .inputFailed, source: failure.file, message: "skipped (--keep-going): \(failure.localizedDescription)"
        ))
    }
    return ImportOutcome(observations: observations, diagnostics: diagnostics, inputs: inputs, failures: failures)
  }

  /// Inputs up to this size are read ahead (``prefetch(_:)``); a larger one is streamed as read.
  static let prefetchLimit: Int64 = 64 << 20

  /// Asks the kernel to read a small input file into the page cache in the background, so a
  /// run over thousands of files from disk overlaps reading with parsing (a cold cache otherwise
  /// leaves both cores waiting on the disk). A hint: nothing happens when it cannot be given.
  static func prefetch(_ file: InputFile) {
    guard let path = file.path else { return }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) <= prefetchLimit
    else { return }
    _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_WILLNEED)
  }

  /// Tells the kernel that an input file that has been read is not needed again soon, so its
  /// pages leave the page cache first. A hint: nothing happens when it cannot be given.
  static func release(_ file: InputFile) {
    guard let path = file.path else { return }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
  }

  /// The size of an input in bytes, 0 when it cannot be told.
  static func size(of file: InputFile) -> Int64 {
    switch file.content {
    case .data(let data): return Int64(data.count)
    case .file(let url):
      return (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
    }
  }

  private func skipReason(_ file: InputFile) -> String {
    if case .unknown(let reason) = (try? FormatDetector.detect(file)) ?? .unknown("unreadable") {
      return reason
    }
    return "no importer for this format"
  }

  /// Reads one candidate through `reading`, folding: the observations are counted, not kept.
  /// An error of the input is returned as its failure; an error `reading` throws otherwise goes
  /// to `foldingFailed`.
  private func foldOne(
    _ candidate: Candidate, index: Int, options: ImportOptions, limits: ResourceLimits, batchSize: Int,
    reading: @Sendable (InputReading) throws -> Void, foldingFailed: (any Error) -> Void
  ) throws -> Swift.Result<(ImportResult, InputFormat, Int)?, ImportError> {
    let file = candidate.file
    let detected = try ResourceLimits.$current.withValue(limits) { try detect(candidate, options: options) }
    guard let format = detected else { return .success(nil) }
    var failure: ImportError?
    var handed = 0
    var read: ImportResult?
    let ahead = (registry.importer(for: format) as? any BatchingImporter)?.foldsWhileReading ?? false
    let input = InputReading(index: index, name: file.displayName, foldsWhileReading: ahead) { batch in
      var batchFailed = false
      do {
        let result = try ResourceLimits.$current.withValue(limits) {
          try importOne(file, format: format, options: options, batchSize: batchSize) { observations in
            do {
              try batch(observations, handed)
            } catch {
              batchFailed = true
              throw error
            }
            handed += observations.count
          }
        }
        read = result
        return result
      } catch {
        if !batchFailed { failure = error as? ImportError ?? .unreadable(file: file.displayName, reason: "\(error)") }
        throw error
      }
    }
    do {
      try ResourceLimits.$current.withValue(limits) { try reading(input) }
    } catch {
      if let failure { return .failure(failure) }
      foldingFailed(error)
    }
    if let failure { return .failure(failure) }
    let diagnostics = read?.diagnostics ?? []
    // The observations are folded: only the diagnostics are kept.
    return .success(
      (ImportResult(observations: [], diagnostics: diagnostics), format, handed + (read?.observations.count ?? 0)))
  }

  /// The format to read a candidate as; nil when a file found in a directory is of no known format.
  func detect(_ candidate: Candidate, options: ImportOptions) throws -> InputFormat? {
    if let forced = options.formatOverride { return forced }
    switch try FormatDetector.detect(candidate.file) {
    case .format(let detected):
      return detected
    case .unknown(let reason):
      if candidate.explicit { throw ImportError.unsupported(file: candidate.file.displayName, reason: reason) }
      return nil
    }
  }

  /// Reads an input of a known format; in batches of `batchSize` to `batch` when its importer
  /// reads in batches and `batchSize` is above 0.
  func importOne(
    _ file: InputFile, format: InputFormat, options: ImportOptions, batchSize: Int,
    batch: ([Observation]) throws -> Void
  ) throws -> ImportResult {
    if format == .zip {
      return try readArchive(file, options: options).0
    }
    guard let importer = registry.importer(for: format) else {
      throw ImportError.unsupported(file: file.displayName, reason: "poam has no importer for \(format.rawValue) yet")
    }
    if batchSize > 0, let batching = importer as? any BatchingImporter {
      return try batching.read(file, options: options, batchSize: batchSize, batch: batch)
    }
    return try importer.read(file, options: options)
  }

  /// Reads one candidate; nil when a file found in a directory is of no known format.
  func read(_ candidate: Candidate, options: ImportOptions, skipped: Void?) throws -> (ImportResult, InputFormat)? {
    guard let format = try detect(candidate, options: options) else { return nil }
    return (try importOne(candidate.file, format: format, options: options, batchSize: 0) { _ in }, format)
  }

  /// Reads the members of a ZIP archive as inputs of their own.
  func readArchive(_ file: InputFile, options: ImportOptions) throws -> (ImportResult, InputFormat) {
    var combined = ImportResult()
    var memberOptions = options
    if memberOptions.formatOverride == .zip { memberOptions.formatOverride = nil }
    for member in try ArchiveReader.members(of: file) {
      // An archive inside an archive is not opened: that is how ZIP quines recurse forever.
      if try FormatDetector.detect(member) == .format(.zip) {
        combined.diagnostics.append(
          Diagnostic(
            .warning, .inputSkipped, source: member.displayName,
            message: "skipped: an archive inside an archive is not opened; unzip it first"))
        continue
      }
      guard let (result, _) = try read(Candidate(file: member, explicit: false), options: memberOptions, skipped: nil)
      else {
        combined.diagnostics.append(
          Diagnostic(.note, .inputSkipped, source: member.displayName, message: "skipped: \(skipReason(member))"))
        continue
      }
      combined.observations += result.observations
      combined.diagnostics += result.diagnostics
    }
    return (combined, .zip)
  }

  /// Turns one argument into inputs: `-`, a file, or every regular file under a directory.
  func expand(_ argument: String) throws -> [Candidate] {
    if argument == "-" {
      return [Candidate(file: InputFile(displayName: "-", content: .data(try readStandardInput())), explicit: true)]
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
      throw ImportError.unreadable(file: argument, reason: FileProblem.reason(path: argument))
    }
    let shownArgument = Self.shownName(argument)
    guard isDirectory.boolValue else {
      return [
        Candidate(
          file: InputFile(displayName: shownArgument, content: .file(URL(fileURLWithPath: argument))), explicit: true)
      ]
    }
    let base = URL(fileURLWithPath: argument)
    guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
      throw ImportError.unreadable(file: argument, reason: "cannot list directory")
    }
    var files: [String] = []
    for case let url as URL in walker {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      if url.lastPathComponent.hasPrefix(".") { continue }
      files.append(url.path)
    }
    let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
    return files.sorted().map { path in
      let shown = shownArgument.hasSuffix("/") ? shownArgument : shownArgument + "/"
      let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
      return Candidate(
        file: InputFile(displayName: shown + relative, content: .file(URL(fileURLWithPath: path))), explicit: false)
    }
  }

  /// How an input the user named is shown in every output (reports, POA&M sources, SARIF): its
  /// path relative to the working directory when it lies under it, else the last component of
  /// the argument (`/home/alice/scans` shows as `scans`, its files as `scans/host1.ckl`). No
  /// absolute local path reaches an output. A relative argument without `..` is kept as written.
  static func shownName(_ argument: String, workingDirectory: String = FileManager.default.currentDirectoryPath)
    -> String
  {
    let components = argument.split(separator: "/", omittingEmptySubsequences: true)
    if !argument.hasPrefix("/"), !components.contains("..") {
      return argument
    }
    let absolute =
      argument.hasPrefix("/")
      ? URL(fileURLWithPath: argument).standardizedFileURL.path
      : URL(fileURLWithPath: workingDirectory).appendingPathComponent(argument).standardizedFileURL.path
    let base = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
    let prefix = base.hasSuffix("/") ? base : base + "/"
    if absolute.hasPrefix(prefix), absolute.count > prefix.count {
      return String(absolute.dropFirst(prefix.count))
    }
    if absolute == base { return "." }
    let last = URL(fileURLWithPath: absolute).lastPathComponent
    return last.isEmpty || last == "/" ? "." : last
  }
}
