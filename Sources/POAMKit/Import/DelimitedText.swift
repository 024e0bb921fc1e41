import Foundation

/// One row of delimited text and the 1-based line it starts on.
public struct DelimitedRow: Sendable, Hashable {
  /// The line the row starts on (a quoted field may carry the row over several lines).
  public var line: Int
  /// The fields, unquoted.
  public var cells: [String]

  /// Creates a row.
  public init(line: Int, cells: [String]) {
    self.line = line
    self.cells = cells
  }
}

/// A quoted field that the text never closes.
public struct UnterminatedQuote: Error, Hashable, Sendable {
  /// The line of the opening quote.
  public var line: Int
  /// The column (in characters, 1-based) of the opening quote.
  public var column: Int
}

/// Splits delimited text (CSV, TSV, `;` and `|` separated) into rows, RFC 4180 style: fields may be
/// quoted with `"`, quotes inside are doubled, quoted fields may span lines, and rows end at LF,
/// CRLF or CR. Unlike a lenient reader, an unterminated quote is an error with its line and
/// column, never a field that silently swallows the rest of the file.
public enum DelimitedText {
  /// The delimiters poam recognises, in tie-breaking order: comma, semicolon, tab, pipe.
  public static let delimiters: [Character] = [",", ";", "\t", "|"]

  /// Parses text with a delimiter. A final line break does not start an empty row; a blank line
  /// in the middle gives a row with one empty cell.
  public static func parse(_ text: String, delimiter: Character) throws(UnterminatedQuote) -> [DelimitedRow] {
    var rows: [DelimitedRow] = []
    let outcome = scan(text, delimiter: delimiter, byteLimit: nil) { rows.append($0) }
    if let unterminated = outcome.unterminated { throw unterminated }
    return rows
  }

  /// A table that goes past one of ``ResourceLimits``: the limit and the line it was passed on.
  struct LimitReached: Error {
    var name: ResourceLimits.Name
    var line: Int
  }

  /// Parses text as ``parse(_:delimiter:)`` does, stopping as soon as the table passes the
  /// rows, cells-per-row or cells limit.
  static func parse(_ text: String, delimiter: Character, limits: ResourceLimits) throws -> [DelimitedRow] {
    var rows: [DelimitedRow] = []
    try parse(text, delimiter: delimiter, limits: limits) { rows.append($0) }
    return rows
  }

  /// Splits text as ``parse(_:delimiter:limits:)`` does, handing each row to `row` as soon as
  /// it is split instead of collecting them: the rows are never all held at once. The rows
  /// before an error reach `row`; then ``LimitReached`` or ``UnterminatedQuote`` is thrown (or
  /// the error `row` throws, which ends the scan).
  static func parse(
    _ text: String, delimiter: Character, limits: ResourceLimits, row: (DelimitedRow) throws -> Void
  ) throws {
    let outcome = try scan(text, delimiter: delimiter, byteLimit: nil, limits: limits, row: row)
    if let reached = outcome.limitReached { throw reached }
    if let unterminated = outcome.unterminated { throw unterminated }
  }

  /// Parses the rows that start in the first `byteLimit` bytes, leniently: a quote left open at
  /// the cut ends the scan instead of failing (for detection on a file's first bytes).
  public static func parsePrefix(_ text: String, delimiter: Character, byteLimit: Int) -> [DelimitedRow] {
    var rows: [DelimitedRow] = []
    _ = scan(text, delimiter: delimiter, byteLimit: byteLimit) { rows.append($0) }
    return rows
  }

  /// Picks the delimiter from the first 64 KiB: the one that splits the most rows into the same
  /// number of fields, favouring wider tables, and penalising quotes that do not close right
  /// before a delimiter or line end (the sign of a wrong guess). Banner rows of a single cell do
  /// not count. Comma when nothing splits.
  public static func sniff(_ text: String) -> Character {
    var best: (delimiter: Character, score: Int) = (",", 0)
    for delimiter in delimiters {
      var widths: [Int: Int] = [:]
      let outcome = scan(text, delimiter: delimiter, byteLimit: 64 * 1024) { row in
        if row.cells.count > 1 { widths[row.cells.count, default: 0] += 1 }
      }
      guard let mode = widths.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
      let score = mode.value * (mode.key - 1) - 5 * outcome.strayQuotes
      if score > best.score { best = (delimiter, score) }
    }
    return best.delimiter
  }

  private struct Outcome {
    var unterminated: UnterminatedQuote?
    var limitReached: LimitReached?
    /// Quoted fields followed by text before the next delimiter or line end.
    var strayQuotes = 0
  }

  private static let quote = UInt8(ascii: "\"")
  private static let lineFeed = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")

  /// The scanner behind ``parse(_:delimiter:)`` and ``sniff(_:)``: each row goes to `row` as it
  /// is split (a row callback's error ends the scan). With a byte limit it stops at
  /// the first row that ends past the limit, and never reads past twice the limit (a row still
  /// open there is left out, and a quote left open there is not reported), so that detection
  /// on a file of one 500 MB line reads 128 KiB, not the line. Work is linear:
  /// the column of an opening quote is counted only when the quote is reported unterminated.
  private static func scan(
    _ text: String, delimiter: Character, byteLimit: Int?, limits: ResourceLimits? = nil,
    row: (DelimitedRow) throws -> Void
  ) rethrows -> Outcome {
    guard let separator = delimiter.asciiValue else { return Outcome(unterminated: nil) }
    var strayQuotes = 0
    var text = text
    return try text.withUTF8 { bytes -> Outcome in
      var rowCount = 0
      var cells: [String] = []
      var line = 1
      var rowLine = 1
      var lineStart = 0
      var index = 0
      // A prefix scan never looks past twice its limit: a row still open there is left out.
      let count = byteLimit.map { min(bytes.count, 2 * $0) } ?? bytes.count
      let truncated = count < bytes.count
      var scratch: [UInt8] = []
      let maximumRows = limits?[.tableRows] ?? Int.max
      let maximumCellsPerRow = limits?[.cellsPerRow] ?? Int.max
      let maximumCells = limits?[.tableCells] ?? Int.max
      var totalCells = 0

      func column(at offset: Int, lineStart: Int) -> Int {
        var characters = 1
        var position = lineStart
        while position < offset {
          if bytes[position] & 0xC0 != 0x80 { characters += 1 }
          position += 1
        }
        return characters
      }

      while true {
        if let byteLimit, index > byteLimit, cells.isEmpty { break }
        if cells.count >= maximumCellsPerRow {
          return Outcome(limitReached: LimitReached(name: .cellsPerRow, line: rowLine))
        }
        totalCells += 1
        if totalCells > maximumCells {
          return Outcome(limitReached: LimitReached(name: .tableCells, line: rowLine))
        }
        // At the start of a field.
        if index < count, bytes[index] == quote {
          let openLine = line
          let openIndex = index
          let openLineStart = lineStart
          index += 1
          scratch.removeAll(keepingCapacity: true)
          var closed = false
          while index < count {
            let byte = bytes[index]
            if byte == quote {
              if index + 1 < count, bytes[index + 1] == quote {
                scratch.append(quote)
                index += 2
                continue
              }
              index += 1
              closed = true
              break
            }
            if byte == lineFeed || (byte == carriageReturn && !(index + 1 < count && bytes[index + 1] == lineFeed)) {
              line += 1
              lineStart = index + 1
            }
            scratch.append(byte)
            index += 1
          }
          if !closed {
            if byteLimit != nil { break }
            let openColumn = column(at: openIndex, lineStart: openLineStart)
            return Outcome(
              unterminated: UnterminatedQuote(line: openLine, column: openColumn), strayQuotes: strayQuotes)
          }
          // Text after the closing quote stays part of the field, as spreadsheet programs do.
          if index < count, bytes[index] != separator, bytes[index] != lineFeed, bytes[index] != carriageReturn {
            strayQuotes += 1
          }
          while index < count, bytes[index] != separator, bytes[index] != lineFeed, bytes[index] != carriageReturn {
            scratch.append(bytes[index])
            index += 1
          }
          cells.append(String(decoding: scratch, as: UTF8.self))
        } else {
          let start = index
          while index < count, bytes[index] != separator, bytes[index] != lineFeed, bytes[index] != carriageReturn {
            index += 1
          }
          cells.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        }
        // After a field: the end, a separator, or a line break.
        if index >= count {
          if count > 0, !truncated { try row(DelimitedRow(line: rowLine, cells: cells)) }
          break
        }
        if bytes[index] == separator {
          index += 1
          continue
        }
        index += bytes[index] == carriageReturn && index + 1 < count && bytes[index + 1] == lineFeed ? 2 : 1
        if rowCount >= maximumRows {
          return Outcome(limitReached: LimitReached(name: .tableRows, line: rowLine))
        }
        rowCount += 1
        try row(DelimitedRow(line: rowLine, cells: cells))
        cells.removeAll(keepingCapacity: true)
        line += 1
        lineStart = index
        rowLine = line
        if index == count { break }
      }
      return Outcome(unterminated: nil, strayQuotes: strayQuotes)
    }
  }
}
