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
    // ASCII white space is trimmed on the bytes; only text whose remaining ends are not ASCII
    // (they may be Unicode white space) is looked at scalar by scalar.
    let trimmed = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
      guard let range = asciiTrimmed(bytes) else { return nil }
      if range.isEmpty { return "" }
      if range.count == bytes.count { return text }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    if case .some(.some(let result)) = trimmed { return result }
    let scalars = text.unicodeScalars
    guard let first = scalars.first, let last = scalars.last else { return text }
    if !first.properties.isWhitespace && !last.properties.isWhitespace { return text }
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }

  /// The range of `bytes` left once ASCII white space is trimmed from both ends, when that is
  /// the whole trim: the range is empty, or both its ends are ASCII (so no Unicode white space
  /// can be left at them). Nil when an end is not ASCII and Unicode must decide.
  static func asciiTrimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    var start = 0
    var end = bytes.count
    while start < end && bytes[start].isASCIIWhitespace { start += 1 }
    while end > start && bytes[end - 1].isASCIIWhitespace { end -= 1 }
    if start == end { return start..<end }
    return bytes[start] < 0x80 && bytes[end - 1] < 0x80 ? start..<end : nil
  }

  /// The byte offset of the first `needle` in `text`, or nil. A plain byte search: the generic
  /// searchers of the standard library and Foundation cost more than parsing the file.
  static func offset(of needle: String, in text: String) -> Int? {
    var haystack = text
    var pattern = needle
    return haystack.withUTF8 { hay -> Int? in
      pattern.withUTF8 { bytes -> Int? in offset(of: bytes, in: hay) }
    }
  }

  /// The offset of the first `needle` in `bytes`, or nil.
  static func offset(of needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress, let start = needle.baseAddress, !needle.isEmpty, needle.count <= bytes.count
    else { return nil }
    let first = Int32(needle[0])
    let last = bytes.count - needle.count
    var index = 0
    while index <= last {
      // memchr finds the candidates, memcmp checks them.
      guard let found = memchr(base + index, first, last - index + 1) else { return nil }
      index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if memcmp(base + index, start, needle.count) == 0 { return index }
      index += 1
    }
    return nil
  }

  /// True when `bytes` contain `needle`, compared byte for byte.
  @inline(__always)
  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
    offset(of: UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: bytes) != nil
  }

  /// True when `text` contains `needle`, compared byte for byte.
  static func contains(_ text: String, _ needle: String) -> Bool {
    offset(of: needle, in: text) != nil
  }

  /// What `contains(String(decoding: bytes, as: UTF8.self).lowercased(), needle)` answers, for
  /// a lowercase ASCII `needle`, without making either String when the bytes are ASCII.
  static func lowercasedContains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
    withLowercasedASCII(bytes) { lower in
      guard let lower else { return contains(String(decoding: bytes, as: UTF8.self).lowercased(), needle.description) }
      return contains(lower, needle)
    }
  }

  /// Calls `body` with the bytes lowercased (A-Z to a-z, as `String.lowercased()` does for
  /// ASCII), in a temporary buffer; with nil when a byte is not ASCII (`lowercased()` may then
  /// change the text in other ways: the caller goes through Strings).
  static func withLowercasedASCII<Result>(
    _ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
  ) -> Result {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { buffer in
      for index in 0..<bytes.count {
        let byte = bytes[index]
        if byte >= 0x80 { return body(nil) }
        buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
      }
      return body(UnsafeBufferPointer(rebasing: buffer[0..<bytes.count]))
    }
  }

  /// The part of `text` after the first `marker`, or nil when the marker is absent.
  static func suffix(of text: String, after marker: String) -> String? {
    guard let offset = offset(of: marker, in: text) else { return nil }
    return String(decoding: text.utf8.dropFirst(offset + marker.utf8.count), as: UTF8.self)
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
    // Most fields hold one value: ASCII without a separator is the whole (trimmed) text.
    let single = text.utf8.withContiguousStorageIfAvailable { bytes in
      !bytes.contains { $0 >= 0x80 || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || ($0 >= 0x0A && $0 <= 0x0D) }
    }
    if single == true { return clean(text).map { [$0] } ?? [] }
    return text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }).compactMap {
      XMLImportSupport.clean(String($0))
    }
  }
}
