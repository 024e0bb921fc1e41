import Foundation

/// Delimited text: an assessor's spreadsheet saved as CSV, or a STIG Viewer / STIG Manager CSV
/// export. The delimiter (`,` `;` tab `|`) is sniffed; quoted fields may span lines; the text may
/// be UTF-8 (with or without BOM) or UTF-16 LE/BE with a BOM, with LF or CRLF line ends. The
/// columns are interpreted by ``TabularAssessment``.
///
/// The rows are split by ``DelimitedText`` rather than the CSV.swift package: CSV.swift 2.5.2
/// reads an unterminated quote as one field running to the end of the file (every later row is
/// lost without an error), drops the character after a stray closing quote, and reports no line
/// numbers.
public struct CSVImporter: BatchingImporter {
  public let format = InputFormat.csv

  /// Creates the importer.
  public init() {}

  public func read(_ input: InputFile) throws -> ImportResult {
    try read(input, options: ImportOptions(), batchSize: .max) { _ in }
  }

  /// Reads the rows as they are split: past the first ``TabularAssessment/headerSearchRows``
  /// rows (held to find the header among them) each becomes an observation at once, and every
  /// `batchSize` observations go to `batch`. Only the text and those first rows are held, never
  /// every row or observation. Every batch but the rest returned holds `batchSize` observations.
  public func read(
    _ input: InputFile, options: ImportOptions, batchSize: Int, batch: ([Observation]) throws -> Void
  ) throws -> ImportResult {
    let size = max(1, batchSize)
    var reader = TabularAssessment.Reader(TabularAssessment(source: input.displayName, numbering: .line))
    let limits = ResourceLimits.current
    do {
      // The bytes are let go once decoded; the text is split a row at a time.
      let text = try Self.text(of: input, limits: limits)
      let delimiter = DelimitedText.sniff(text)
      try DelimitedText.parse(text, delimiter: delimiter, limits: limits) { row in
        reader.push(TabularAssessment.Row(number: row.line, cells: row.cells))
        while size < .max, reader.pendingObservations >= size { try batch(reader.takeObservations(upTo: size)) }
      }
    } catch let reached as DelimitedText.LimitReached {
      throw limits.exceeded(reached.name, file: "\(input.displayName):\(reached.line)", what: "the table")
    } catch let error as UnterminatedQuote {
      throw ImportError.malformed(
        file: input.displayName, line: error.line, column: error.column,
        expected: "a closing double quote for the field opened here; the file ends inside it")
    }
    // The rows held for the header search (a table of fewer rows) are read at the end.
    var rest = try reader.finish()
    while size < .max, rest.observations.count >= size {
      try batch(Array(rest.observations.prefix(size)))
      rest.observations.removeFirst(size)
    }
    return rest
  }

  /// The input's text, decoded, within the table byte limit.
  private static func text(of input: InputFile, limits: ResourceLimits) throws -> String {
    let data = try input.readAll()
    if data.count > limits[.tableBytes] {
      throw limits.exceeded(.tableBytes, file: input.displayName, what: "the table's \(data.count) bytes")
    }
    return try Self.decode(data, file: input.displayName)
  }

  /// Decodes CSV bytes: UTF-16 with a BOM, else UTF-8 (BOM optional). Anything else is an error
  /// naming the line and column of the first byte that is not UTF-8.
  static func decode(_ data: Data, file: String) throws -> String {
    if data.isEmpty {
      throw ImportError.malformed(
        file: file, line: nil, column: nil, expected: "the file is empty: expected a header row and data rows")
    }
    if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
      guard let text = TextDecoding.decode(data) else {
        let order = data.first == 0xFF ? "little" : "big"
        throw ImportError.malformed(
          file: file, line: nil, column: nil,
          expected: "UTF-16 text (\(order)-endian, as its byte-order mark says); the bytes after the mark are not")
      }
      return text
    }
    if let text = TextDecoding.decode(data) { return text }
    let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
    let place = Self.firstInvalidUTF8(body)
    throw ImportError.malformed(
      file: file, line: place.line, column: place.column,
      expected:
        "UTF-8 or UTF-16 text; byte 0x\(String(format: "%02X", place.byte)) is not UTF-8 (save the file as \"CSV UTF-8\" or UTF-16)"
    )
  }

  /// The length of the well-formed UTF-8 sequence starting at `index` (1 for ASCII), or nil
  /// when the bytes there break UTF-8.
  static func utf8SequenceLength(at index: Data.Index, in bytes: Data.SubSequence) -> Int? {
    let length: Int
    switch bytes[index] {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return nil
    }
    guard index + length <= bytes.endIndex,
      bytes[(index + 1)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 }),
      String(data: Data(bytes[index..<(index + length)]), encoding: .utf8) != nil
    else { return nil }
    return length
  }

  /// The line, column and value of the first byte that breaks UTF-8.
  static func firstInvalidUTF8(_ bytes: Data.SubSequence) -> (line: Int, column: Int, byte: UInt8) {
    var line = 1
    var column = 1
    var index = bytes.startIndex
    while index < bytes.endIndex {
      let byte = bytes[index]
      guard let length = utf8SequenceLength(at: index, in: bytes) else { return (line, column, byte) }
      if byte == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
      index += length
    }
    return (line, column, 0)
  }
}
