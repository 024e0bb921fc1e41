import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An output that could not be written.
public struct OutputError: Error, LocalizedError, Sendable, Hashable {
  /// The file that was being written.
  public var path: String
  /// Why it failed.
  public var reason: String

  /// Creates an error.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var errorDescription: String? { "\(path): cannot write: \(reason)" }
}

/// Writes files so that a reader never sees half of one: the bytes go to a new temporary file in
/// the same directory, are flushed to disk, and replace the destination with one `rename`
/// (atomic within a file system). An interrupted run leaves the previous file intact. Every
/// output poam writes (`analyze`'s six files, `check`'s reports and baseline) goes through here.
enum AtomicFile {
  /// Writes `data` to `url` atomically. With `createDirectories`, missing parent directories
  /// are created first; otherwise a missing directory is an error.
  public static func write(_ data: Data, to url: URL, createDirectories: Bool = false) throws(OutputError) {
    if createDirectories {
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      } catch {
        throw OutputError(path: url.path, reason: (error as NSError).localizedDescription)
      }
    }
    try writeAll([(url, data)])
  }

  /// Replaces (or creates) the file at `path` with `text` as UTF-8, creating missing parent
  /// directories (`--junit reports/junit.xml` needs no `mkdir`).
  public static func write(_ text: String, to path: String) throws(OutputError) {
    try write(Data(text.utf8), to: URL(fileURLWithPath: path), createDirectories: true)
  }

  /// Writes several files: every temporary file is written first and only then are they
  /// renamed into place, so a failure while producing any of them changes none.
  public static func writeAll(_ files: [(URL, Data)]) throws(OutputError) {
    var staged: [(temporary: URL, destination: URL)] = []
    do throws(OutputError) {
      for (url, data) in files {
        staged.append((try stage(data, for: url), url))
      }
      for (temporary, destination) in staged {
        guard rename(temporary.path, destination.path) == 0 else {
          throw OutputError(path: destination.path, reason: String(cString: strerror(errno)))
        }
      }
    } catch {
      for (temporary, _) in staged { unlink(temporary.path) }
      throw error
    }
  }

  /// Appends `text` to a file another program owns (GitHub's `GITHUB_STEP_SUMMARY`), creating
  /// it if needed. Not atomic: the file is not poam's to replace.
  public static func append(_ text: String, to path: String) throws(OutputError) {
    guard !text.isEmpty else { return }
    let descriptor = open(path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    if let failure = writeFully(Data(text.utf8), to: descriptor) { throw OutputError(path: path, reason: failure) }
  }

  /// Creates a new, empty temporary file beside `url` (a name only poam uses) and opens it for
  /// writing.
  private static func createTemporary(for url: URL) throws(OutputError) -> (URL, Int32) {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).poam-\(UUID().uuidString).tmp")
    let descriptor = open(temporary.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      let code = errno
      let reason =
        code == ENOENT
        ? "no such directory \(directory.path)"
        : "cannot create a file in \(directory.path): \(String(cString: strerror(code)))"
      throw OutputError(path: url.path, reason: reason)
    }
    return (temporary, descriptor)
  }

  /// Writes `data` to a new temporary file beside `url`, flushed to disk, and returns its location.
  static func stage(_ data: Data, for url: URL) throws(OutputError) -> URL {
    let (temporary, descriptor) = try createTemporary(for: url)
    var failure = writeFully(data, to: descriptor)
    if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
    close(descriptor)
    if let failure {
      unlink(temporary.path)
      throw OutputError(path: url.path, reason: failure)
    }
    return temporary
  }

  /// Writes the files at `parts` one after the other (or `empty` when there are none) to a new
  /// temporary file beside `url`, flushed to disk, and returns its location, SHA-256 and size.
  /// Memory stays at one buffer whatever the size of the parts.
  static func stage(concatenating parts: [URL], for url: URL, empty: Data) throws(OutputError) -> (
    temporary: URL, sha256: String, bytes: Int
  ) {
    let (temporary, descriptor) = try createTemporary(for: url)
    var digest = SHA256Digest()
    var bytes = 0
    var failure: String?
    func put(_ data: Data) {
      guard failure == nil else { return }
      digest.update(data)
      bytes += data.count
      failure = writeFully(data, to: descriptor)
    }
    if parts.isEmpty { put(empty) }
    for part in parts where failure == nil {
      guard let handle = FileHandle(forReadingAtPath: part.path) else {
        failure = "cannot read \(part.path)"
        break
      }
      while failure == nil {
        guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
        put(chunk)
      }
      try? handle.close()
    }
    if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
    close(descriptor)
    if let failure {
      unlink(temporary.path)
      throw OutputError(path: url.path, reason: failure)
    }
    return (temporary, digest.hexDigest(), bytes)
  }

  /// Writes every byte, retrying after interruptions; the error text, or nil.
  private static func writeFully(_ data: Data, to descriptor: Int32) -> String? {
    data.withUnsafeBytes { buffer -> String? in
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return String(cString: strerror(errno))
        }
        offset += written
      }
      return nil
    }
  }
}
