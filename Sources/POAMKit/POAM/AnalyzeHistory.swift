import Foundation

/// The run history as `poam analyze` uses it: the file, whether this run is recorded there, and
/// the inputs to fingerprint when it is.
///
/// - `--history PATH` records into PATH (relative to the working directory).
/// - `--record` alone records into `OUT/.poam/history.sqlite`.
/// - Without either, an existing `OUT/.poam/history.sqlite` is only read, so `report.html` can
///   draw the score over time; nothing is recorded.
public struct AnalyzeHistory: Sendable, Hashable {
  /// The history file, absolute.
  public var path: String
  /// True when this run is recorded; false when the history is only read for the report.
  public var record: Bool
  /// The names of the inputs read, hashed (SHA-256) when the run is recorded.
  public var inputs: [String]
  /// Where relative input names are found.
  public var workingDirectory: URL

  /// Creates a history request.
  public init(
    path: String, record: Bool, inputs: [String] = [],
    workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) {
    self.path = path
    self.record = record
    self.inputs = inputs
    self.workingDirectory = workingDirectory
  }

  /// The history for one `poam analyze` run, or nil when there is none to record into or read.
  /// - Parameters:
  ///   - historyPath: `--history PATH`; recording is on when it is given.
  ///   - record: `--record`.
  ///   - outputDirectory: `--out`; the default history is `.poam/history.sqlite` inside it.
  ///   - inputs: the names of the inputs read (files found in directories included).
  public static func resolve(
    historyPath: String?, record: Bool, outputDirectory: URL, inputs: [String],
    workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) -> AnalyzeHistory? {
    if let historyPath {
      let absolute =
        historyPath.hasPrefix("/") ? historyPath : workingDirectory.appendingPathComponent(historyPath).path
      return AnalyzeHistory(path: absolute, record: true, inputs: inputs, workingDirectory: workingDirectory)
    }
    let standard = HistoryStore.defaultPath(in: outputDirectory.path)
    if record {
      return AnalyzeHistory(path: standard, record: true, inputs: inputs, workingDirectory: workingDirectory)
    }
    guard FileManager.default.fileExists(atPath: standard) else { return nil }
    return AnalyzeHistory(path: standard, record: false, inputs: inputs, workingDirectory: workingDirectory)
  }

  /// The inputs with their content hashes, as the history records them.
  public func hashedInputs() -> [HistoryInput] {
    HistoryInput.hashing(inputs, relativeTo: workingDirectory)
  }
}
