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

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file in
/// the same directory, which is then renamed over the destination (rename is atomic within a
/// file system). An interrupted run leaves the previous file intact.
public enum AtomicFile {
  /// Writes `data` to `url` atomically.
  public static func write(_ data: Data, to url: URL) throws {
    try writeAll([(url, data)])
  }

  /// Writes several files: every temporary file is written first and only then are they
  /// renamed into place, so a failure while producing any of them changes none.
  public static func writeAll(_ files: [(URL, Data)]) throws {
    var staged: [(temporary: URL, destination: URL)] = []
    do {
      for (url, data) in files {
        staged.append((try stage(data, for: url), url))
      }
      for (temporary, destination) in staged {
        guard rename(temporary.path, destination.path) == 0 else {
          throw OutputError(path: destination.path, reason: String(cString: strerror(errno)))
        }
      }
    } catch {
      for (temporary, _) in staged { try? FileManager.default.removeItem(at: temporary) }
      throw error
    }
  }

  /// Writes `data` to a new temporary file beside `url` and returns its location.
  static func stage(_ data: Data, for url: URL) throws -> URL {
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).poam-\(UUID().uuidString).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
      var isDirectory: ObjCBool = false
      let reason =
        FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
        ? "cannot create a file in \(directory.path)" : "no such directory \(directory.path)"
      throw OutputError(path: url.path, reason: reason)
    }
    do {
      let handle = try FileHandle(forWritingTo: temporary)
      defer { try? handle.close() }
      try handle.write(contentsOf: data)
      try handle.synchronize()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw OutputError(path: url.path, reason: (error as NSError).localizedDescription)
    }
    return temporary
  }
}
