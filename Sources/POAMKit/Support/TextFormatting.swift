import Foundation

/// Plain-text tables for terminal output.
public enum TextTable {
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
public enum TextWrap {
  /// Splits text into lines of at most `width` characters, breaking at spaces.
  public static func wrap(_ text: String, width: Int) -> [String] {
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
}

/// Markdown escaping for table cells and prose.
public enum Markdown {
  /// Escapes characters that would break a table cell or start markup.
  public static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "|", "*", "_", "`", "<", ">", "[", "]", "\\": out += "\\\(character)"
      case "\n", "\r": out += " "
      default: out.append(character)
      }
    }
    return out
  }
}

/// Deterministic JSON for every machine-readable output.
public enum JSONOutput {
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
}
