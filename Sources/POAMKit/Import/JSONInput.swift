import Foundation

/// Reading third-party JSON (CKLB, OSCAL, HDF): parsing with errors that name the line and
/// column, and loose accessors that accept what producers really write (numbers as strings,
/// `null`, one value where a list is expected).
///
/// The whole document is parsed with `JSONSerialization`. That holds the file and its object tree
/// in memory at once (several times the file size for a 100 MB HDF file); a streaming reader is a
/// candidate for the performance issue.
enum JSONInput {
  /// Parses a whole input; broken JSON becomes ``ImportError/malformed(file:line:column:expected:)``.
  static func parse(_ input: InputFile, what: String) throws -> Any {
    var data = try input.readAll()
    if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
      guard let text = TextDecoding.decode(data) else {
        throw ImportError.malformed(
          file: input.displayName, line: nil, column: nil, expected: "\(what): UTF-16 text after the byte-order mark")
      }
      data = Data(text.utf8)
    } else if data.starts(with: [0xEF, 0xBB, 0xBF]) {
      data = data.dropFirst(3)
    }
    do {
      return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      let place = location(description, in: data)
      throw ImportError.malformed(
        file: input.displayName, line: place.line, column: place.column,
        expected: "\(what): \(expectation(description))")
    }
  }

  /// Where a `JSONSerialization` message points: its character (byte) offset, or the end of the
  /// data for an unexpected end.
  static func location(_ description: String, in data: Data) -> (line: Int, column: Int) {
    var offset = data.count
    if let match = description.firstMatch(of: #/character (\d+)/#), let value = Int(match.output.1) {
      offset = min(value, data.count)
    }
    var line = 1
    var lineStart = data.startIndex
    let end = data.startIndex + offset
    var index = data.startIndex
    while index < end {
      if data[index] == 0x0A {
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
    let column = data[lineStart..<end].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    return (line, column)
  }

  /// A plain statement of what the parser expected.
  static func expectation(_ description: String) -> String {
    let lower = description.lowercased()
    if lower.contains("end of file") {
      return "the file ends early: expected the rest of the JSON document (a closing } or ])"
    }
    if lower.contains("invalid value") {
      return "expected a JSON value (object, array, string, number, true, false or null)"
    }
    if lower.contains("control character") {
      return "expected a control character in a string to be escaped (\\n, \\t, \\u0001)"
    }
    if lower.contains("utf-8") || lower.contains("unicode") { return "expected UTF-8 text: \(description)" }
    if lower.contains("garbage") { return "expected the end of the document after the top-level value" }
    return "not valid JSON: \(description)"
  }

  /// A string from a string, number or boolean; nil for null, absent, empty or white space.
  static func string(_ value: Any?) -> String? {
    switch value {
    case let text as String:
      let trimmed = text.trimmed
      return trimmed.isEmpty ? nil : trimmed
    case let number as NSNumber:
      return number.stringValue
    default:
      return nil
    }
  }

  /// A number from a number or a numeric string.
  static func double(_ value: Any?) -> Double? {
    if let number = value as? NSNumber { return number.doubleValue }
    if let text = value as? String { return Double(text.trimmed) }
    return nil
  }

  /// An object, or nil.
  static func object(_ value: Any?) -> [String: Any]? { value as? [String: Any] }

  /// An array of objects; items that are not objects are left out (callers count them).
  static func objects(_ value: Any?) -> [[String: Any]] { (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }

  /// Strings from an array, or from one string (split on commas, semicolons or new lines).
  static func strings(_ value: Any?) -> [String] {
    if let array = value as? [Any] { return array.compactMap(string) }
    if let text = string(value) {
      return text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }).map {
        $0.trimmed
      }.filter { !$0.isEmpty }
    }
    return []
  }

  /// The top-level keys, for messages about documents of the wrong shape.
  static func keys(_ object: [String: Any]) -> String {
    let keys = object.keys.sorted()
    return keys.isEmpty ? "none" : keys.prefix(12).joined(separator: ", ") + (keys.count > 12 ? ", …" : "")
  }
}
