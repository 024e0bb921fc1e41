import Foundation

/// Where `poam history` reads: the file `--history PATH` names, else `DIR/.poam/history.sqlite`
/// for `--out DIR` (where `poam analyze --out DIR --record` writes), else the first of the
/// places the two recording commands write by default that exists: `.poam/history.sqlite`
/// (`poam check --record`) and `poam-out/.poam/history.sqlite` (`poam analyze --record`).
public struct HistoryLocation: Sendable, Equatable {
  /// The file to read.
  public var path: String
  /// Every place looked at, in order (for the message when none exists).
  public var candidates: [String]
  /// Other default places that hold a history too (not read).
  public var alsoFound: [String]

  /// The default places, relative to `directory`, in the order they are tried.
  public static func defaults(in directory: String = ".") -> [String] {
    [
      HistoryStore.defaultPath(in: directory),
      HistoryStore.defaultPath(in: URL(fileURLWithPath: directory).appendingPathComponent("poam-out").path),
    ]
  }

  /// Works out the file. When no default place holds a history, `path` is the first of them
  /// and `candidates` says where else was looked.
  public static func locate(
    history: String?, out: String?, workingDirectory: String = FileManager.default.currentDirectoryPath,
    exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
  ) -> HistoryLocation {
    if let history { return HistoryLocation(path: history, candidates: [history], alsoFound: []) }
    if let out {
      let path = HistoryStore.defaultPath(in: out)
      return HistoryLocation(path: path, candidates: [path], alsoFound: [])
    }
    let candidates = defaults(in: workingDirectory).map(Self.relative(to: workingDirectory))
    let existing = candidates.filter(exists)
    return HistoryLocation(
      path: existing.first ?? candidates[0], candidates: candidates, alsoFound: Array(existing.dropFirst()))
  }

  /// `path` shown relative to `directory` when inside it.
  static func relative(to directory: String) -> (String) -> String {
    { path in
      let base = URL(fileURLWithPath: directory).standardizedFileURL.path
      let full = URL(fileURLWithPath: path).standardizedFileURL.path
      return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : path
    }
  }
}
