import Foundation
import Synchronization

/// How far reading the inputs has got: files and bytes read of the total.
public struct ImportProgress: Sendable, Equatable {
  /// Inputs read so far.
  public var filesRead: Int
  /// Inputs to read.
  public var filesTotal: Int
  /// Bytes of the inputs read so far.
  public var bytesRead: Int64
  /// Bytes of all the inputs (standard input counts as what was read).
  public var bytesTotal: Int64

  /// Creates a progress value.
  public init(filesRead: Int, filesTotal: Int, bytesRead: Int64, bytesTotal: Int64) {
    self.filesRead = filesRead
    self.filesTotal = filesTotal
    self.bytesRead = bytesRead
    self.bytesTotal = bytesTotal
  }
}

/// A one-line progress display on standard error for runs that take more than about a second:
/// files read of the total, bytes, elapsed time, then the stage. It draws only where a person
/// watches: on a terminal, never in a pipe, a file or a CI log (`CI` set), nor with `TERM=dumb`.
public final class ProgressMeter: Sendable {
  /// Whether a progress line is wanted: standard error is a terminal, `CI` is unset (or
  /// empty or `false`) and `TERM` is not `dumb`.
  public static func isWanted(stderrIsTerminal: Bool, environment: [String: String]) -> Bool {
    guard stderrIsTerminal else { return false }
    if let ci = environment["CI"], !ci.isEmpty, ci.lowercased() != "false", ci != "0" { return false }
    return environment["TERM"] != "dumb"
  }

  /// The text of the line: `read 12 of 300 files, 41.2 of 980.0 MB, 3.4 s`.
  public static func text(_ progress: ImportProgress, elapsed: Double, stage: String? = nil) -> String {
    var text =
      "read \(Plural.number(progress.filesRead)) of \(Plural.count(progress.filesTotal, "file")), "
      + "\(megabytes(progress.bytesRead)) of \(megabytes(progress.bytesTotal)) MB, "
      + String(format: "%.1f s", elapsed)
    if let stage { text += " — \(stage)" }
    return text
  }

  static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }

  private struct State {
    var progress = ImportProgress(filesRead: 0, filesTotal: 0, bytesRead: 0, bytesTotal: 0)
    var stage: String?
    var lastDrawn: Double = -1
    var drawn = false
  }

  private let state = Mutex(State())
  private let start: Double
  private let delay: Double
  private let write: @Sendable (String) -> Void
  private let clock: @Sendable () -> Double

  /// Creates a meter that writes through `write` (already decided to be wanted), showing
  /// nothing until `delay` seconds have passed.
  public init(
    delay: Double = 1.0, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
    write: @escaping @Sendable (String) -> Void
  ) {
    self.delay = delay
    self.clock = clock
    self.write = write
    self.start = clock()
  }

  /// Records progress reading the inputs (called from any thread).
  public func update(_ progress: ImportProgress) {
    draw { $0.progress = progress }
  }

  /// Names the stage after reading: `scoring`, `writing the POA&M`.
  public func stage(_ stage: String) {
    draw(force: true) { $0.stage = stage }
  }

  /// Clears the line, if one was drawn.
  public func finish() {
    let drawn = state.withLock { state in
      defer { state.drawn = false }
      return state.drawn
    }
    if drawn { write("\r\u{1B}[2K") }
  }

  private func draw(force: Bool = false, _ change: (inout State) -> Void) {
    let now = clock()
    let elapsed = now - start
    let line: String? = state.withLock { state in
      change(&state)
      guard elapsed >= delay, force || now - state.lastDrawn >= 0.1 else { return nil }
      state.lastDrawn = now
      state.drawn = true
      return Self.text(state.progress, elapsed: elapsed, stage: state.stage)
    }
    if let line { write("\r\u{1B}[2K" + line) }
  }
}
