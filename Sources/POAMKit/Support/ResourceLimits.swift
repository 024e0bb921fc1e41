import Foundation
import Synchronization

/// Caps on the work one run may do, so that a small crafted file (a ZIP or XLSX bomb, a
/// single-line CSV of millions of fields, endless standard input) stops with exit 2 naming the
/// limit instead of exhausting memory or time. The defaults sit well above real inputs (the
/// benchmark's 1,000,000-row CSV, 1 GB XCCDF/ARF files and 1,000 checklists in a 2 GiB archive):
/// limits stop bombs, not users. Each can be raised with `--limit NAME=VALUE` (docs/limits.md).
///
/// The limits in force are a task-local value (``current``): the command line binds them once
/// around a run, and readers deep in the pipeline read them without every API passing them on.
public struct ResourceLimits: Sendable {
  /// A limit's name, as written after `--limit`.
  public enum Name: String, CaseIterable, Sendable, Comparable {
    /// Bytes read from standard input (`-`).
    case stdinBytes = "stdin-bytes"
    /// Bytes inflated from ZIP archives and XLSX workbooks, all together, in one run.
    case inflatedBytes = "inflated-bytes"
    /// Bytes of one table: a delimited-text (CSV/TSV) input, or the text of a sheet's cells (a
    /// shared string counted on every row that names it).
    case tableBytes = "table-bytes"
    /// Rows of one table (a CSV file or a sheet).
    case tableRows = "table-rows"
    /// Cells in one row (the last column a row uses, blank cells before it included).
    case cellsPerRow = "cells-per-row"
    /// Cells of one table, blank cells included.
    case tableCells = "table-cells"
    /// Characters of one diagnostic or error message; longer text is cut with an ellipsis.
    case diagnosticLength = "diagnostic-length"

    /// What the limit counts, for messages and `docs/limits.md`.
    public var unit: String {
      switch self {
      case .stdinBytes, .inflatedBytes, .tableBytes: return "bytes"
      case .tableRows: return "rows"
      case .cellsPerRow, .tableCells: return "cells"
      case .diagnosticLength: return "characters"
      }
    }

    public static func < (lhs: Name, rhs: Name) -> Bool {
      allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
  }

  /// The value of every limit.
  public private(set) var values: [Name: Int]

  /// Bytes inflated so far in this run, shared by every copy of these limits (nil: not counted
  /// across inputs, each archive and workbook is checked on its own).
  let inflated: InflationCounter?

  /// The defaults.
  public static let standard = ResourceLimits(
    values: [
      .stdinBytes: 2 << 30,
      .inflatedBytes: 4 << 30,
      .tableBytes: 1 << 30,
      .tableRows: 5_000_000,
      .cellsPerRow: 16_384,
      .tableCells: 20_000_000,
      .diagnosticLength: 1_000,
    ], inflated: nil)

  /// The limits in force for the current task (and, when bound outside a task, thread).
  @TaskLocal public static var current: ResourceLimits = .standard

  private init(values: [Name: Int], inflated: InflationCounter?) {
    self.values = values
    self.inflated = inflated
  }

  /// The value of one limit.
  public subscript(name: Name) -> Int {
    get { values[name] ?? ResourceLimits.standard.values[name]! }
    set { values[name] = newValue }
  }

  /// These limits with a fresh run-wide count of inflated bytes.
  public func forRun() -> ResourceLimits {
    ResourceLimits(values: values, inflated: InflationCounter())
  }

  /// Applies `NAME=VALUE` (the value a whole number, optionally with a `K`, `M` or `G` suffix
  /// for 1024, 1024² or 1024³).
  /// - Throws: ``LimitError`` naming the known limits when the text is not a known assignment.
  public mutating func apply(_ assignment: String) throws {
    let parts = assignment.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
    let known = Name.allCases.map(\.rawValue).joined(separator: ", ")
    guard parts.count == 2, let name = Name(rawValue: parts[0].lowercased()) else {
      throw LimitError(message: "--limit expects NAME=VALUE with NAME one of \(known); got '\(assignment)'")
    }
    guard let value = Self.parseValue(parts[1]), value > 0 else {
      throw LimitError(
        message:
          "--limit \(name.rawValue) expects a whole number of \(name.unit) above 0 (K, M, G suffixes allowed); got '\(parts[1])'"
      )
    }
    self[name] = value
  }

  /// `1500`, `64K`, `2G` (binary multiples); nil when not a number or out of range.
  static func parseValue(_ text: String) -> Int? {
    var digits = Substring(text)
    var multiplier = 1
    switch text.last.map({ Character($0.uppercased()) }) {
    case "K": multiplier = 1 << 10
    case "M": multiplier = 1 << 20
    case "G": multiplier = 1 << 30
    default: break
    }
    if multiplier > 1 { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let number = Int(digits) else { return nil }
    let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : product
  }

  /// The error for an input that goes past a limit: names the limit, its value and the option
  /// that raises it.
  public func exceeded(_ name: Name, file: String, what: String) -> ImportError {
    .unsupported(
      file: file,
      reason:
        "\(what) exceeds the limit \(name.rawValue) (\(self[name]) \(name.unit)); refused as a possible resource bomb. If the input is genuine, raise it with --limit \(name.rawValue)=N (see docs/limits.md)"
    )
  }

  /// Counts `count` more inflated bytes against ``Name/inflatedBytes``: this run's total when
  /// the run counts, else `soFar` (the bytes of the one archive or part being inflated).
  /// - Throws: the limit's ``ImportError`` when the count passes it.
  func chargeInflated(_ count: Int, soFar: Int, file: String) throws {
    let limit = self[.inflatedBytes]
    let total = inflated?.add(count) ?? soFar
    if total > limit {
      throw exceeded(.inflatedBytes, file: file, what: "the bytes inflated from ZIP archives and workbooks")
    }
  }

  /// Cuts `text` to ``Name/diagnosticLength`` characters, ending in `…` when cut.
  public func clip(_ text: String) -> String {
    let limit = self[.diagnosticLength]
    guard text.utf8.count > limit else { return text }
    var count = 0
    var end = text.startIndex
    for index in text.indices {
      if count == limit - 1 { break }
      count += 1
      end = text.index(after: index)
    }
    guard end < text.endIndex else { return text }
    return String(text[..<end]) + "…"
  }
}

/// A malformed `--limit` option.
public struct LimitError: Error, LocalizedError, Sendable {
  /// What was wrong.
  public var message: String
  public var errorDescription: String? { message }
}

/// A run-wide byte count that threads add to.
final class InflationCounter: Sendable {
  private let total = Mutex<Int>(0)

  /// Adds `count` and returns the new total.
  func add(_ count: Int) -> Int {
    total.withLock {
      $0 &+= count
      return $0
    }
  }
}
