import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why a file could not be read, in the one wording every command uses:
/// `PATH: cannot read: no such file or directory` (or `permission denied`, `is a directory`).
enum FileProblem {
  /// The reason `path` cannot be read, after reading failed with `error` (if any): the
  /// system's words for `errno` when the file is missing, a directory or not readable, else
  /// the error's own description.
  public static func reason(path: String, error: (any Error)? = nil, errno code: Int32? = nil) -> String {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return describe(ENOENT) }
    if isDirectory.boolValue { return describe(EISDIR) }
    if !FileManager.default.isReadableFile(atPath: path) { return describe(EACCES) }
    if let code, code != 0 { return describe(code) }
    if let error {
      let nsError = error as NSError
      if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return describe(Int32(underlying.code))
      }
      if nsError.domain == NSPOSIXErrorDomain { return describe(Int32(nsError.code)) }
      return nsError.localizedDescription
    }
    return "cannot open the file"
  }

  /// `PATH: cannot read: REASON`.
  public static func message(path: String, reason: String) -> String { "\(path): cannot read: \(reason)" }

  /// The system's words for an `errno` value, lower case: `no such file or directory`.
  static func describe(_ code: Int32) -> String {
    String(cString: strerror(code)).lowercased()
  }
}
