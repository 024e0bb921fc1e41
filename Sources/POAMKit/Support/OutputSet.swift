import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

private func openDescriptor(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }

/// What poam last wrote into an output directory, kept in `OUT/.poam/manifest.json`: every
/// file's SHA-256 and size, and the assessment the set was drafted for. The next run compares
/// the files with it to tell a person's edit from poam's own output, and refuses to mix in a
/// run for another level or an earlier date.
public struct OutputManifest: Codable, Sendable, Hashable {
  /// One file as poam wrote it.
  public struct File: Codable, Sendable, Hashable {
    /// The SHA-256 of its bytes, lowercase hex.
    public var sha256: String
    /// Its size in bytes.
    public var bytes: Int

    /// Creates a record.
    public init(sha256: String, bytes: Int) {
      self.sha256 = sha256
      self.bytes = bytes
    }
  }

  /// The manifest's own format version.
  public var formatVersion: Int
  /// The poam version that wrote the set.
  public var toolVersion: String
  /// When the set was completed (UTC, ISO 8601).
  public var writtenAt: String
  /// The target level of the assessment the set was drafted for.
  public var level: CMMCLevel?
  /// That assessment's date, `YYYY-MM-DD`.
  public var assessmentDate: String?
  /// Every file of the set by name (relative to the output directory).
  public var files: [String: File]

  /// Creates a manifest.
  public init(
    toolVersion: String = ToolInfo.version, writtenAt: String, level: CMMCLevel?, assessmentDate: String?,
    files: [String: File]
  ) {
    self.formatVersion = 1
    self.toolVersion = toolVersion
    self.writtenAt = writtenAt
    self.level = level
    self.assessmentDate = assessmentDate
    self.files = files
  }

  enum CodingKeys: String, CodingKey {
    case formatVersion = "format_version"
    case toolVersion = "tool_version"
    case writtenAt = "written_at"
    case level
    case assessmentDate = "assessment_date"
    case files
  }
}

/// The intended set of a run, written to `OUT/.poam/journal.json` before the first rename and
/// removed once the set is complete. A journal found by the next run means a run stopped half
/// way: the next run completes the set (every file already replaced) or rolls it back.
struct OutputJournal: Codable, Sendable, Hashable {
  struct Entry: Codable, Sendable, Hashable {
    /// The file's name in the output directory.
    var name: String
    /// The staged temporary file (in the output directory) that replaces it.
    var temporary: String
    /// The SHA-256 of the new bytes.
    var sha256: String
    /// The SHA-256 of the file it replaces; nil when there was none.
    var previousSHA256: String?

    enum CodingKeys: String, CodingKey {
      case name, temporary, sha256
      case previousSHA256 = "previous_sha256"
    }
  }

  /// Who wrote it: `pid 123 on host, started …`.
  var writer: String
  var entries: [Entry]
  /// The manifest the set gets when it is complete.
  var manifest: OutputManifest
}

/// An output directory that poam writes as one set: locked against a concurrent run, with a
/// record of what poam wrote (``OutputManifest``) and a journal that makes replacing the files
/// all or nothing, even when the process is killed between two renames.
///
/// `open` takes the lock (`OUT/.poam/lock`, an advisory `flock` released by the system when the
/// process ends, however it ends), finishes or rolls back a set a killed run left half
/// replaced, and removes poam's stale temporary files. ``commit(_:level:assessmentDate:keepingCopiesOf:finishing:)``
/// stages every file, keeps the files it replaces (hard links in `OUT/.poam/replaced/`),
/// writes the journal, renames, runs the caller's last step (recording the history), and only
/// then writes the manifest and drops the journal. A failure before that point restores the
/// previous set.
public final class OutputSet {
  /// The output directory.
  public let directory: URL
  /// What poam last wrote there; nil for a new directory or one written by a poam without it.
  public private(set) var manifest: OutputManifest?
  /// What opening did: a half-replaced set completed or rolled back, stale files removed.
  public private(set) var diagnostics: [Diagnostic] = []
  private var lockDescriptor: Int32
  /// Hashes of files already read in this run, by path, with the size and modification time
  /// they were read at (so each output is read once per run, and a file changed since is read again).
  private var hashes: [String: (size: Int, modified: Date, sha256: String)] = [:]

  /// The folder inside the output directory that holds poam's own records.
  public static let recordFolder = ".poam"

  /// How long `open` waits for another run's lock by default: `POAM_LOCK_WAIT` seconds, else 10.
  public static var defaultWait: Double {
    ProcessInfo.processInfo.environment["POAM_LOCK_WAIT"].flatMap(Double.init).map { max(0, min($0, 86_400)) } ?? 10
  }

  /// Test-only: `POAM_TEST_KILL_AFTER_RENAMES=N` makes the process kill itself (`SIGKILL`)
  /// right after the Nth rename of a commit, to test recovery from a run killed mid-set.
  static var killAfterRenames: Int? {
    ProcessInfo.processInfo.environment["POAM_TEST_KILL_AFTER_RENAMES"].flatMap { Int($0) }
  }

  var records: URL { directory.appendingPathComponent(Self.recordFolder) }
  var manifestURL: URL { records.appendingPathComponent("manifest.json") }
  var journalURL: URL { records.appendingPathComponent("journal.json") }
  var replacedFolder: URL { records.appendingPathComponent("replaced") }

  /// The directories `open` created, deepest first: a run that fails before it commits removes
  /// them again (with the lock file) when nothing else is in them, so a failed run into a new
  /// folder leaves no partial output behind.
  private var createdDirectories: [URL] = []
  /// Whether a commit started: from then on the folder holds the set (or the previous one).
  private var committing = false

  private init(directory: URL, lockDescriptor: Int32) {
    self.directory = directory
    self.lockDescriptor = lockDescriptor
  }

  deinit { release() }

  /// Releases the lock (also released when the set is freed or the process ends). A set that
  /// was never committed into a folder this run created removes that folder again.
  public func close() { release() }

  private func release() {
    guard lockDescriptor >= 0 else { return }
    if !committing, !createdDirectories.isEmpty { removeCreatedDirectories() }
    closeDescriptor(lockDescriptor)
    lockDescriptor = -1
  }

  /// Removes the lock file and the folders `open` created, while the lock is still held, when
  /// they hold nothing else. A run waiting for the lock notices that the lock file it waited on
  /// is gone and starts over (see `open`).
  private func removeCreatedDirectories() {
    guard createdDirectories.first?.path == records.standardizedFileURL.path,
      (try? FileManager.default.contentsOfDirectory(atPath: records.path)) == ["lock"]
    else { return }
    _ = unlink(records.appendingPathComponent("lock").path)
    // `rmdir` removes only empty folders: one that now holds anything stays.
    for created in createdDirectories { _ = rmdir(created.path) }
  }

  /// The directories that creating `url` (and its parents) would make, deepest first.
  static func missingDirectories(upTo url: URL) -> [URL] {
    var missing: [URL] = []
    var current = url.standardizedFileURL
    var isDirectory: ObjCBool = false
    while !FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory), current.path != "/" {
      missing.append(current)
      current = current.deletingLastPathComponent()
    }
    return missing
  }

  /// Creates the directory if needed, takes its lock (waiting up to `wait` seconds for another
  /// run to finish), completes or rolls back a set a killed run left half replaced, removes
  /// stale temporary files and reads the manifest.
  public static func open(_ directory: URL, wait: Double = defaultWait) throws(OutputError) -> OutputSet {
    let records = directory.appendingPathComponent(recordFolder)
    let deadline = Date().addingTimeInterval(wait)
    while true {
      let created = missingDirectories(upTo: records)
      do {
        try FileManager.default.createDirectory(at: records, withIntermediateDirectories: true)
      } catch {
        throw OutputError(path: directory.path, reason: (error as NSError).localizedDescription)
      }
      let lockPath = records.appendingPathComponent("lock").path
      let descriptor = openDescriptor(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else { throw OutputError(path: lockPath, reason: String(cString: strerror(errno))) }
      try waitForLock(descriptor, lockPath: lockPath, directory: directory, wait: wait, deadline: deadline)
      // A run that failed in a folder it had created removes the folder and its lock file: the
      // lock just taken is then on a file no longer there, so start over.
      guard isSameFile(descriptor, lockPath) else {
        closeDescriptor(descriptor)
        continue
      }
      let holder = writerText() + "\n"
      _ = ftruncate(descriptor, 0)
      _ = holder.withCString { pwrite(descriptor, $0, strlen($0), 0) }
      let set = OutputSet(directory: directory, lockDescriptor: descriptor)
      set.createdDirectories = created
      try set.recover()
      set.removeStaleTemporaries()
      set.manifest = set.readManifest()
      return set
    }
  }

  /// True when the open descriptor is the file now at `path`.
  private static func isSameFile(_ descriptor: Int32, _ path: String) -> Bool {
    var open = stat()
    var named = stat()
    guard fstat(descriptor, &open) == 0, stat(path, &named) == 0 else { return false }
    return open.st_dev == named.st_dev && open.st_ino == named.st_ino
  }

  /// Takes the lock on `descriptor`, waiting until `deadline` for another run to release it.
  private static func waitForLock(
    _ descriptor: Int32, lockPath: String, directory: URL, wait: Double, deadline: Date
  ) throws(OutputError) {
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      guard code == EWOULDBLOCK || code == EINTR else {
        closeDescriptor(descriptor)
        throw OutputError(path: lockPath, reason: "cannot lock: \(String(cString: strerror(code)))")
      }
      if Date() >= deadline {
        let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?
          .trimmingCharacters(in: .whitespacesAndNewlines)
        closeDescriptor(descriptor)
        throw OutputError(
          path: directory.path,
          reason:
            "another poam run is writing this folder (\(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "holder unknown"); lock \(lockPath)); waited \(Self.seconds(wait)). Run again when it has finished, set POAM_LOCK_WAIT=SECONDS to wait longer, or write to another --out"
        )
      }
      usleep(50_000)
    }
  }

  /// Rewrites one file of a recorded set and records its new hash, under the set's lock, so the
  /// next `analyze` does not take poam's own rewrite for a person's edit (`poam check
  /// --update-baseline` on `OUT/gap-report.json`). A file that is not part of a recorded set is
  /// just written atomically (parent directories created).
  public static func rewrite(_ data: Data, at path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    let manifest = directory.appendingPathComponent(recordFolder).appendingPathComponent("manifest.json")
    guard FileManager.default.fileExists(atPath: manifest.path) else {
      try AtomicFile.write(data, to: url, createDirectories: true)
      return
    }
    let set = try open(directory)
    defer { set.close() }
    guard var record = set.manifest, record.files[url.lastPathComponent] != nil else {
      try AtomicFile.write(data, to: url)
      return
    }
    try AtomicFile.write(data, to: url)
    record.files[url.lastPathComponent] = OutputManifest.File(sha256: SHA256Digest.hex(data), bytes: data.count)
    try AtomicFile.writeAll([(set.manifestURL, try encode(record))])
    set.manifest = record
  }

  // MARK: - Edits

  /// How a file in the directory compares with what poam last wrote.
  public enum FileState: Sendable, Hashable {
    /// Not there.
    case missing
    /// Exactly what poam wrote.
    case unchanged
    /// Changed since poam wrote it (its hash differs from the manifest's).
    case edited
    /// There, but poam has no record of it (no manifest: a folder written before poam kept
    /// one). ``state(of:)`` then compares modification times instead: see there.
    case unrecorded
  }

  /// Compares `name` with what poam wrote. Without a manifest, a file modified more than two
  /// seconds after `poam.json` (or, for `poam.json`, after the oldest other file of `siblings`:
  /// the set is written within a second) counts as edited.
  public func state(of name: String, siblings: [String] = []) -> FileState {
    let path = directory.appendingPathComponent(name).path
    if manifest != nil { prehash(([name] + siblings).map { directory.appendingPathComponent($0).path }) }
    guard FileManager.default.fileExists(atPath: path) else { return .missing }
    if let manifest {
      guard let recorded = manifest.files[name] else { return .unrecorded }
      return hash(ofFileAt: path) == recorded.sha256 ? .unchanged : .edited
    }
    func modified(_ name: String) -> Date? {
      (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path))?[
        .modificationDate] as? Date
    }
    // Compared with poam.json (the file poam merged from before it kept a record), else with
    // the oldest of the others: a checkout that wrote the files one by one spreads them less.
    let reference =
      name != "poam.json" && siblings.contains("poam.json")
      ? modified("poam.json") : siblings.filter { $0 != name }.compactMap(modified).min()
    guard let mine = modified(name), let reference else { return .unrecorded }
    return mine.timeIntervalSince(reference) > 2 ? .edited : .unrecorded
  }

  /// Reads the hashes of the files at `paths` on every core, for ``hash(ofFileAt:)`` to reuse
  /// (the outputs of a large run are tens of megabytes; the hash reads about 90 MB/s per core).
  func prehash(_ paths: [String]) {
    let missing = paths.filter { hashes[$0] == nil && FileManager.default.fileExists(atPath: $0) }
    guard missing.count > 1 else { return }
    let found =
      (try? Parallel.map(missing) { path -> (String, Int, Date, String)? in
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date,
          let sha256 = SHA256Digest.hex(fileAt: path)
        else { return nil }
        return (path, size, modified, sha256)
      }) ?? []
    for case (let path, let size, let modified, let sha256)? in found { hashes[path] = (size, modified, sha256) }
  }

  /// The SHA-256 of a file, nil when it is not there; read once per run unless it changes.
  func hash(ofFileAt path: String) -> String? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
    else { return nil }
    if let known = hashes[path], known.size == size, known.modified == modified { return known.sha256 }
    guard let sha256 = SHA256Digest.hex(fileAt: path) else { return nil }
    hashes[path] = (size, modified, sha256)
    return sha256
  }

  // MARK: - Commit

  /// What a commit did.
  public struct Outcome: Sendable, Hashable {
    /// The files written, in order (full paths).
    public var written: [String]
    /// Copies kept of files a person edited that the new set replaces: the file's name, and
    /// the full path of the copy.
    public var keptCopies: [String: String]
  }

  /// Replaces the set with `files` (names relative to the directory) as one unit. Copies of
  /// `keepingCopiesOf` (files a person edited that cannot be merged) are kept beside them first,
  /// as `NAME.edited-YYYYMMDDTHHMMSSZ.EXT`. `finishing` runs after the renames and before the
  /// manifest is written; if it throws, the previous files are put back and nothing is left
  /// changed (the error says so).
  @discardableResult
  public func commit(
    _ files: [(name: String, data: Data)], level: CMMCLevel?, assessmentDate: String?,
    keepingCopiesOf: [String] = [], evidenceFile: EvidenceFile? = nil, finishing: () throws -> Void = {}
  ) throws -> Outcome {
    precondition(lockDescriptor >= 0, "commit after close")
    committing = true
    let stamp = Self.stamp()
    // 1. Copies of edited files, as hard links: the rename below replaces the name, not the bytes.
    var kept: [String: String] = [:]
    for name in keepingCopiesOf {
      let source = directory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: source.path) else { continue }
      let stem = (name as NSString).deletingPathExtension
      let ext = (name as NSString).pathExtension
      var copy = directory.appendingPathComponent("\(stem).edited-\(stamp)\(ext.isEmpty ? "" : ".\(ext)")")
      var counter = 2
      while FileManager.default.fileExists(atPath: copy.path) {
        copy = directory.appendingPathComponent("\(stem).edited-\(stamp)-\(counter)\(ext.isEmpty ? "" : ".\(ext)")")
        counter += 1
      }
      try Self.preserve(source, at: copy)
      kept[name] = copy.path
    }
    // 2. Stage every file; 3. keep the files they replace.
    let newHashes = try Parallel.map(files.map(\.data)) { SHA256Digest.hex($0) }
    prehash(files.map { directory.appendingPathComponent($0.name).path })
    var entries: [OutputJournal.Entry] = []
    var manifestFiles: [String: OutputManifest.File] = [:]
    do {
      try? FileManager.default.removeItem(at: replacedFolder)
      try FileManager.default.createDirectory(at: replacedFolder, withIntermediateDirectories: true)
      for ((name, data), newHash) in zip(files, newHashes) {
        let destination = directory.appendingPathComponent(name)
        let temporary = try AtomicFile.stage(data, for: destination)
        entries.append(
          OutputJournal.Entry(
            name: name, temporary: temporary.lastPathComponent, sha256: newHash,
            previousSHA256: hash(ofFileAt: destination.path)))
        manifestFiles[name] = OutputManifest.File(sha256: newHash, bytes: data.count)
        if entries.last?.previousSHA256 != nil {
          try Self.preserve(destination, at: replacedFolder.appendingPathComponent(name))
        }
      }
      // The evidence file, streamed from its parts rather than held in memory.
      if let evidenceFile {
        let name = EvidenceFile.fileName
        let destination = directory.appendingPathComponent(name)
        let staged = try evidenceFile.stage(beside: destination)
        entries.append(
          OutputJournal.Entry(
            name: name, temporary: staged.temporary.lastPathComponent, sha256: staged.sha256,
            previousSHA256: hash(ofFileAt: destination.path)))
        manifestFiles[name] = OutputManifest.File(sha256: staged.sha256, bytes: staged.bytes)
        if entries.last?.previousSHA256 != nil {
          try Self.preserve(destination, at: replacedFolder.appendingPathComponent(name))
        }
      }
      Self.syncDirectory(replacedFolder)
    } catch {
      for entry in entries { unlink(directory.appendingPathComponent(entry.temporary).path) }
      try? FileManager.default.removeItem(at: replacedFolder)
      for path in kept.values { unlink(path) }
      throw error
    }
    let manifest = OutputManifest(
      writtenAt: Self.isoNow(), level: level, assessmentDate: assessmentDate, files: manifestFiles)
    let journal = OutputJournal(writer: Self.writerText(), entries: entries, manifest: manifest)
    // 4. The journal, before the first rename.
    do {
      try AtomicFile.writeAll([(journalURL, try Self.encode(journal))])
      Self.syncDirectory(records)
    } catch {
      for entry in entries { unlink(directory.appendingPathComponent(entry.temporary).path) }
      try? FileManager.default.removeItem(at: replacedFolder)
      for path in kept.values { unlink(path) }
      throw error
    }
    // 5. The renames.
    var renamed = 0
    do {
      for entry in entries {
        let destination = directory.appendingPathComponent(entry.name)
        guard rename(directory.appendingPathComponent(entry.temporary).path, destination.path) == 0 else {
          throw OutputError(path: destination.path, reason: String(cString: strerror(errno)))
        }
        renamed += 1
        if let limit = Self.killAfterRenames, renamed == limit { kill(getpid(), SIGKILL) }
      }
      Self.syncDirectory(directory)
      // 6. The caller's last step (the history).
      try finishing()
    } catch {
      let undone = rollBack(journal)
      for path in kept.values { unlink(path) }
      throw OutputSetError(directory: directory.path, cause: error, rollBack: undone)
    }
    // 7. The set is complete: the manifest, then the journal and the kept files go.
    do {
      try AtomicFile.writeAll([(manifestURL, try Self.encode(manifest))])
    } catch {
      throw OutputError(
        path: manifestURL.path,
        reason:
          "\(error.reason); every file of the new set was written (\(entries.map(\.name).joined(separator: ", "))) and the last step done, but not the record of them: the next run into \(directory.path) completes it"
      )
    }
    unlink(journalURL.path)
    try? FileManager.default.removeItem(at: replacedFolder)
    Self.syncDirectory(records)
    self.manifest = manifest
    let names = files.map(\.name) + (evidenceFile == nil ? [] : [EvidenceFile.fileName])
    return Outcome(written: names.map { directory.appendingPathComponent($0).path }, keptCopies: kept)
  }

  // MARK: - Recovery

  /// What rolling back a half-replaced set did.
  struct RollBack: Sendable, Hashable {
    /// Files put back as they were before.
    var restored: [String] = []
    /// Files the run created (there was none before) and that were removed.
    var removed: [String] = []
    /// Files left as they are, with why.
    var left: [String] = []
  }

  /// Puts back the files a journal's run replaced. A file that is neither the new nor the old
  /// version (a person edited it since) is left alone.
  func rollBack(_ journal: OutputJournal) -> RollBack {
    var result = RollBack()
    for entry in journal.entries {
      let destination = directory.appendingPathComponent(entry.name)
      let backup = replacedFolder.appendingPathComponent(entry.name)
      unlink(directory.appendingPathComponent(entry.temporary).path)
      let current = SHA256Digest.hex(fileAt: destination.path)
      guard current == entry.sha256 else {
        if current != entry.previousSHA256 {
          result.left.append("\(entry.name) (changed since; left as it is)")
        }
        continue
      }
      if entry.previousSHA256 == nil {
        if unlink(destination.path) == 0 { result.removed.append(entry.name) }
      } else if rename(backup.path, destination.path) == 0 {
        result.restored.append(entry.name)
      } else {
        result.left.append(
          "\(entry.name) (the new version: the old one could not be put back: \(String(cString: strerror(errno))))")
      }
    }
    Self.syncDirectory(directory)
    unlink(journalURL.path)
    try? FileManager.default.removeItem(at: replacedFolder)
    Self.syncDirectory(records)
    return result
  }

  /// Finishes what a killed run left: its set is kept when every file was already replaced,
  /// else rolled back to the set before it.
  func recover() throws(OutputError) {
    guard FileManager.default.fileExists(atPath: journalURL.path) else { return }
    let journal: OutputJournal
    do {
      journal = try JSONDecoder().decode(OutputJournal.self, from: Data(contentsOf: journalURL))
    } catch {
      throw OutputError(
        path: journalURL.path,
        reason:
          "a previous run's journal cannot be read (\(error.localizedDescription)); check the files in \(directory.path), then delete the journal"
      )
    }
    let complete = journal.entries.allSatisfy {
      SHA256Digest.hex(fileAt: directory.appendingPathComponent($0.name).path) == $0.sha256
    }
    if complete {
      try AtomicFile.writeAll([(manifestURL, (try? Self.encode(journal.manifest)) ?? Data())])
      unlink(journalURL.path)
      try? FileManager.default.removeItem(at: replacedFolder)
      Self.syncDirectory(records)
      diagnostics.append(
        Diagnostic(
          .warning, .recoveredSet, source: "poam", location: directory.path,
          message:
            "an earlier run (\(journal.writer)) stopped after replacing every file of its set; the set was completed (that run may be missing from the run history)"
        ))
      return
    }
    let undone = rollBack(journal)
    var message =
      "an earlier run (\(journal.writer)) stopped half way through replacing its files; rolled back to the set before it"
    if !undone.restored.isEmpty { message += ": restored \(undone.restored.joined(separator: ", "))" }
    if !undone.removed.isEmpty { message += "; removed \(undone.removed.joined(separator: ", ")) (new in that run)" }
    if !undone.left.isEmpty { message += "; left \(undone.left.joined(separator: ", "))" }
    diagnostics.append(Diagnostic(.warning, .recoveredSet, source: "poam", location: directory.path, message: message))
  }

  /// Removes `.NAME.poam-UUID.tmp` files a killed run left in the directory and in `.poam/`.
  /// Only poam writes files named so, and only under this lock.
  func removeStaleTemporaries() {
    var removed: [String] = []
    for folder in [directory, records] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      for name in names where Self.isTemporaryName(name) {
        if unlink(folder.appendingPathComponent(name).path) == 0 { removed.append(name) }
      }
    }
    if !removed.isEmpty {
      diagnostics.append(
        Diagnostic(
          .note, .staleTemporary, source: "poam", location: directory.path,
          message:
            "removed \(Plural.count(removed.count, "temporary file")) an interrupted run left: \(removed.sorted().joined(separator: ", "))"
        ))
    }
  }

  /// True for `.NAME.poam-UUID.tmp`, the names ``AtomicFile`` stages under.
  static func isTemporaryName(_ name: String) -> Bool {
    guard name.hasPrefix("."), name.hasSuffix(".tmp"), let marker = name.range(of: ".poam-", options: .backwards)
    else { return false }
    let uuid = name[marker.upperBound..<name.index(name.endIndex, offsetBy: -4)]
    return UUID(uuidString: String(uuid)) != nil
  }

  func readManifest() -> OutputManifest? {
    guard let data = try? Data(contentsOf: manifestURL) else { return nil }
    guard let manifest = try? JSONDecoder().decode(OutputManifest.self, from: data) else {
      diagnostics.append(
        Diagnostic(
          .warning, .recordUnreadable, source: "poam", location: manifestURL.path,
          message: "unreadable record of what poam wrote; edits are told by modification time instead"))
      return nil
    }
    return manifest
  }

  // MARK: - Helpers

  /// Keeps `source`'s bytes at `target`: a hard link, or a copy where links are not supported.
  static func preserve(_ source: URL, at target: URL) throws(OutputError) {
    unlink(target.path)
    if link(source.path, target.path) == 0 { return }
    do {
      try AtomicFile.writeAll([(target, try Data(contentsOf: source))])
    } catch {
      throw OutputError(
        path: target.path, reason: "cannot keep a copy of \(source.path): \(error.localizedDescription)")
    }
  }

  static func syncDirectory(_ url: URL) {
    let descriptor = openDescriptor(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    closeDescriptor(descriptor)
  }

  static func encode<Value: Encodable>(_ value: Value) throws(OutputError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return try encoder.encode(value) + Data("\n".utf8)
    } catch {
      throw OutputError(path: "manifest", reason: error.localizedDescription)
    }
  }

  static func writerText() -> String {
    "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), started \(isoNow())"
  }

  static func isoNow() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
  }

  static func stamp() -> String {
    isoNow().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
  }

  static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
  }
}

/// A set that could not be completed: why, and exactly what is in the directory now.
public struct OutputSetError: Error, LocalizedError {
  /// The output directory.
  public var directory: String
  /// The failure.
  public var cause: any Error
  var rollBack: OutputSet.RollBack

  public var errorDescription: String? {
    var text = (cause as? LocalizedError)?.errorDescription ?? "\(cause)"
    if rollBack.left.isEmpty {
      text += "; nothing was written: \(directory) holds the files of the previous run"
      if !rollBack.restored.isEmpty { text += " (restored \(rollBack.restored.joined(separator: ", ")))" }
    } else {
      text += "; could not restore everything in \(directory):"
      if !rollBack.restored.isEmpty { text += " restored \(rollBack.restored.joined(separator: ", "));" }
      if !rollBack.removed.isEmpty { text += " removed \(rollBack.removed.joined(separator: ", "));" }
      text += " left \(rollBack.left.joined(separator: ", "))"
    }
    return text
  }
}
