import Foundation

/// Plain-text tables for terminal output.
enum TextTable {
  /// Renders rows under a header with columns padded to their widest cell.
  public static func render(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
    lines += rows.map(line)
    return lines.joined(separator: "\n")
  }
}

/// Word wrapping for terminal output.
enum TextWrap {
  /// Splits text into lines of at most `width` characters, breaking at spaces.
  public static func wrap(_ text: String, width: Int) -> [String] {
    hasOneCharacterPerScalar(text) ? wrapScalars(text, width: width) : wrapCharacters(text, width: width)
  }

  /// ``wrap(_:width:)`` for any text, counting characters.
  static func wrapCharacters(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if current.isEmpty {
        current = String(word)
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }

  /// True when every scalar of the text is a character of its own, whatever is next to it:
  /// ASCII but the carriage return (which joins a line feed), the em dash and the ellipsis
  /// that evidence lines hold. Other text is counted by characters.
  static func hasOneCharacterPerScalar(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte < 0x80 {
          if byte == 0x0D { return false }
          index += 1
        } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
          bytes[index + 2] == 0x94 || bytes[index + 2] == 0xA6
        {
          index += 3  // U+2014 EM DASH, U+2026 HORIZONTAL ELLIPSIS
        } else {
          return false
        }
      }
      return true
    }
  }

  /// ``wrap(_:width:)`` for text where ``hasOneCharacterPerScalar(_:)``, read as bytes: every
  /// space byte is a space character, and lengths are scalar counts, kept as the lines grow.
  static func wrapScalars(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current: [UInt8] = []
    var length = 0
    var text = text
    text.withUTF8 { bytes in
      var index = 0
      while index < bytes.count {
        if bytes[index] == 0x20 {
          index += 1
          continue
        }
        let start = index
        var wordLength = 0
        while index < bytes.count, bytes[index] != 0x20 {
          if bytes[index] & 0xC0 != 0x80 { wordLength += 1 }
          index += 1
        }
        let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if length == 0 {
          current.append(contentsOf: word)
          length = wordLength
        } else if length + 1 + wordLength <= width {
          current.append(0x20)
          current.append(contentsOf: word)
          length += 1 + wordLength
        } else {
          lines.append(String(decoding: current, as: UTF8.self))
          current.removeAll(keepingCapacity: true)
          current.append(contentsOf: word)
          length = wordLength
        }
      }
    }
    if length > 0 || lines.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
    return lines
  }
}

/// Right-aligned numbers for terminal columns.
enum TextPad {
  /// `String(format: "%\(width)d", value)`: the number, spaces before it up to `width` characters.
  static func number(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return digits.utf8.count >= width ? digits : String(repeating: " ", count: width - digits.utf8.count) + digits
  }
}

/// Markdown escaping for table cells and prose.
public enum Markdown {
  /// Escapes characters that would break a table cell or start markup; control characters
  /// (ESC, BEL...) are removed.
  public static func escape(_ text: String) -> String {
    var out = ""
    var characters = ControlCharacters.strip(text).makeIterator()
    var next = characters.next()
    while let character = next {
      next = characters.next()
      switch character {
      case "|", "*", "_", "`", "<", ">", "\\": out += "\\\(character)"
      // `[a]` stays as written; only a `]` that could close a link or a reference is escaped.
      case "]" where next == "(" || next == "[" || next == ":": out += "\\]"
      case "\n", "\r": out += " "
      default: out.append(character)
      }
    }
    return out
  }
}

/// Deterministic JSON for every machine-readable output.
enum JSONOutput {
  /// Pretty-printed, sorted keys, no escaped slashes, trailing newline.
  public static func string<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try data(value), as: UTF8.self) + "\n"
  }

  /// The same as ``string(_:)`` as bytes without the trailing newline.
  public static func data<T: Encodable>(_ value: T) throws -> Data {
    try encoder().encode(value)
  }

  /// An encoder with this output's settings, for encoding many values one after the other.
  public static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// The bytes of ``string(_:)`` for a document whose top-level array `key` holds `elements`,
  /// given the document with that array empty. Each element is encoded alone, so the encoder
  /// never holds the whole document: a gap report with hundreds of thousands of evidence
  /// entries is hundreds of megabytes of JSON, and its encoding was several times that.
  public static func data<Document: Encodable, Element: Encodable>(
    _ document: Document, filling key: String, with elements: [Element]
  ) throws -> Data {
    let encoder = encoder()
    let shell = [UInt8](try encoder.encode(document))
    // The encoder writes an empty array at the top level as a blank line and a bracket.
    let marker = Array("\n  \"\(key)\" : [\n\n  ]".utf8)
    if elements.isEmpty { return Data(shell + [UInt8(ascii: "\n")]) }
    guard let at = shell.firstRange(of: marker) else {
      // A writer that cannot do its job throws: never the document with its elements dropped.
      throw EncodingError.invalidValue(
        elements,
        EncodingError.Context(
          codingPath: [], debugDescription: "the document has no empty top-level array \"\(key)\" to fill"))
    }
    var bytes = Array(shell[..<at.lowerBound])
    bytes.append(contentsOf: "\n  \"\(key)\" : [".utf8)
    for (index, element) in elements.enumerated() {
      bytes.append(contentsOf: (index == 0 ? "\n    " : ",\n    ").utf8)
      appendNested(try encoder.encode(element), indent: 4, to: &bytes)
    }
    bytes.append(contentsOf: "\n  ]".utf8)
    bytes.append(contentsOf: shell[at.upperBound...])
    bytes.append(UInt8(ascii: "\n"))
    return Data(bytes)
  }

  /// Appends `json`, a value encoded alone, as the encoder writes it nested `indent` spaces deep:
  /// every line after the first indented, except the blank line the encoder leaves inside an
  /// empty array or object (strings never hold a raw newline).
  static func appendNested(_ json: Data, indent: Int, to buffer: inout [UInt8]) {
    let newline = UInt8(ascii: "\n")
    json.withUnsafeBytes { raw in
      let data = raw.bindMemory(to: UInt8.self)
      var start = 0
      for index in 0..<data.count where data[index] == newline {
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: data[start...index]))
        start = index + 1
        if index + 1 < data.count, data[index + 1] != newline {
          buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        }
      }
      buffer.append(contentsOf: UnsafeBufferPointer(rebasing: data[start...]))
    }
  }
}
