import Foundation

/// Small pieces the XML importers share.
enum XMLImportSupport {
  /// The root element of a document, or an error naming what was expected.
  static func requireRoot(
    _ reader: XMLStreamReader, expected: String, accepts: (XMLStreamReader) -> Bool
  ) throws {
    guard try reader.moveToRoot() else {
      throw ImportError.malformed(
        file: reader.displayName, line: nil, column: nil,
        expected: "expected \(expected), but the document has no element")
    }
    guard accepts(reader) else {
      throw ImportError.unsupported(
        file: reader.displayName,
        reason: "expected \(expected), found root element <\(reader.localName)> at line \(reader.lineNumber)")
    }
  }

  /// The text without surrounding white space, or nil when nothing is left.
  static func clean(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = trim(text)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// The text without surrounding white space. Pure standard library: Foundation's
  /// `trimmingCharacters` goes through NSString on Linux and costs more than the parsing.
  static func trim(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.first, let last = scalars.last else { return text }
    // Plain ASCII ends are answered without looking up Unicode properties.
    func isASCIIWhitespace(_ scalar: Unicode.Scalar) -> Bool {
      scalar == " " || (scalar.value >= 9 && scalar.value <= 13)
    }
    if first.isASCII && last.isASCII && !isASCIIWhitespace(first) && !isASCIIWhitespace(last) { return text }
    if !first.properties.isWhitespace && !last.properties.isWhitespace { return text }
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }

  /// The byte offset of the first `needle` in `text`, or nil. A plain byte search: the generic
  /// searchers of the standard library and Foundation cost more than parsing the file.
  static func offset(of needle: String, in text: String) -> Int? {
    var haystack = text
    var pattern = needle
    return haystack.withUTF8 { hay -> Int? in
      pattern.withUTF8 { bytes -> Int? in
        guard let base = hay.baseAddress, let start = bytes.baseAddress, bytes.count <= hay.count else { return nil }
        let first = bytes[0]
        var index = 0
        while index + bytes.count <= hay.count {
          if hay[index] == first && memcmp(base + index, start, bytes.count) == 0 { return index }
          index += 1
        }
        return nil
      }
    }
  }

  /// True when `text` contains `needle`, compared byte for byte.
  static func contains(_ text: String, _ needle: String) -> Bool {
    offset(of: needle, in: text) != nil
  }

  /// The part of `text` after the first `marker`, or nil when the marker is absent.
  static func suffix(of text: String, after marker: String) -> String? {
    guard let offset = offset(of: marker, in: text) else { return nil }
    let utf8 = Array(text.utf8)
    return String(decoding: utf8[(offset + marker.utf8.count)...], as: UTF8.self)
  }

  /// Appends a reference unless it is blank or already present.
  static func add(_ kind: ReferenceKind, _ value: String?, to refs: inout [Reference]) {
    guard let value = clean(value) else { return }
    let reference = Reference(kind, value)
    if !refs.contains(reference) { refs.append(reference) }
  }

  /// The tool named in a leading comment: `Heimdall Version :: 2.10.1`, `STIG Manager 1.3.13`,
  /// `<Evaluate-STIG><version>1.2310.1</version></Evaluate-STIG>`, `DISA STIG Viewer :: 2.17`.
  /// The signatures ``generator(in:)`` looks for, built once (a regex literal in a function body
  /// is parsed again on every call: every file read).
  enum Signature {
    nonisolated(unsafe) static let evaluateSTIG = #/<Evaluate-STIG>\s*<version>\s*([^<\s]+)/#
    nonisolated(unsafe) static let viewer = #/^(Heimdall|DISA STIG Viewer|STIG Viewer)(?:\s+Version)?\s*::\s*(\S+)/#
    nonisolated(unsafe) static let stigManager = #/^STIG Manager\s+(\S+)/#
  }

  static func generator(in comments: [String]) -> Producer? {
    for comment in comments {
      let text = trim(comment)
      if let match = text.firstMatch(of: Signature.evaluateSTIG) {
        return Producer(tool: "Evaluate-STIG", version: String(match.output.1))
      }
      if let match = text.firstMatch(of: Signature.viewer) {
        return Producer(tool: String(match.output.1), version: String(match.output.2))
      }
      if let match = text.firstMatch(of: Signature.stigManager) {
        return Producer(tool: "STIG Manager", version: String(match.output.1))
      }
    }
    return nil
  }

  /// A list in one field, split on commas, semicolons and new lines.
  static func split(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }).compactMap {
      XMLImportSupport.clean(String($0))
    }
  }
}
