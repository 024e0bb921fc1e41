import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why an output could not be written.
public struct OutputWriteError: Error, LocalizedError, Sendable, Hashable {
  /// The file that was to be written.
  public var path: String
  /// What went wrong.
  public var reason: String

  public var errorDescription: String? { "\(path): cannot write: \(reason)" }
}

/// Writes files so a reader never sees half of one: the bytes go to a temporary file in the
/// same directory, are flushed to disk, and replace the target with one `rename`. A crash
/// leaves either the old file or the new one, never a mix.
public enum AtomicFileWriter {
  /// Replaces (or creates) `path` with `data`, creating missing parent directories.
  public static func write(_ data: Data, to path: String) throws(OutputWriteError) {
    let target = URL(fileURLWithPath: path)
    let directory = target.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw OutputWriteError(path: path, reason: (error as NSError).localizedDescription)
    }
    let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp").path
    let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw OutputWriteError(path: path, reason: String(cString: strerror(errno))) }
    var failure: String?
    data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        offset += written
      }
    }
    if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
    close(descriptor)
    if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
      unlink(temporary)
      throw OutputWriteError(path: path, reason: failure)
    }
  }

  /// Writes a string as UTF-8.
  public static func write(_ text: String, to path: String) throws(OutputWriteError) {
    try write(Data(text.utf8), to: path)
  }

  /// Appends to a file another program owns (GitHub's `GITHUB_STEP_SUMMARY`), creating it if needed.
  public static func append(_ text: String, to path: String) throws(OutputWriteError) {
    guard !text.isEmpty else { return }
    let descriptor = open(path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw OutputWriteError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    let data = Data(text.utf8)
    let result = data.withUnsafeBytes { buffer in Foundation.write(descriptor, buffer.baseAddress!, buffer.count) }
    if result != data.count { throw OutputWriteError(path: path, reason: String(cString: strerror(errno))) }
  }
}
