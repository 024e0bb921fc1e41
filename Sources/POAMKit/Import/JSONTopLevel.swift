/// The first level of a JSON document, read without parsing the values: the top-level object's
/// keys and its short string values (`"format": "poam-results"`). Nested objects and arrays are
/// skipped byte by byte (strings and escapes respected), so a key that appears only inside a
/// value, such as the `stigs` of a CKLB carried in an HDF file's `passthrough`, is never taken
/// for a top-level key.
struct JSONTopLevel: Equatable {
  /// The top-level keys in document order.
  var keys: [String] = []
  /// Top-level string values of at most ``maximumValueLength`` bytes, by key.
  var strings: [String: String] = [:]
  /// True when the document is an object.
  var isObject = false
  /// True when the scan reached the object's closing brace (the bytes held all of the first level).
  var complete = false

  /// Longest string value kept.
  static let maximumValueLength = 200

  /// True when the object has this key at the top level.
  func has(_ key: String) -> Bool { keys.contains(key) }

  /// Scans bytes (UTF-8, with or without a BOM). Stops at the end of the bytes, at the object's
  /// end, or at the first byte that is not JSON (what was read so far is kept).
  static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONTopLevel {
    var scanner = Scanner(bytes: bytes)
    return scanner.run()
  }

  /// ``scan(_:)`` over a string's UTF-8.
  static func scan(_ text: String) -> JSONTopLevel {
    var copy = text
    return copy.withUTF8 { scan($0) }
  }

  private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var found = JSONTopLevel()

    init(bytes: UnsafeBufferPointer<UInt8>) {
      self.bytes = bytes
      if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
      while index < bytes.count {
        switch bytes[index] {
        case 0x20, 0x09, 0x0A, 0x0D: index += 1
        default: return
        }
      }
    }

    /// Reads a string starting at its opening quote; nil when the bytes end first. An escaped
    /// character is kept without its backslash (keys poam looks for have none); at most
    /// ``JSONTopLevel/maximumValueLength`` + 1 bytes are kept.
    mutating func string(keep: Bool) -> String? {
      index += 1
      var escaped = false
      var kept: [UInt8] = []
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if escaped {
          escaped = false
          if keep && kept.count <= JSONTopLevel.maximumValueLength { kept.append(byte) }
        } else if byte == 0x5C {
          escaped = true
        } else if byte == 0x22 {
          return keep ? String(decoding: kept, as: UTF8.self) : ""
        } else if keep && kept.count <= JSONTopLevel.maximumValueLength {
          kept.append(byte)
        }
      }
      return nil
    }

    /// Skips one value; false when the bytes end first or the value is not JSON.
    mutating func skipValue() -> Bool {
      guard !atEnd else { return false }
      let first = bytes[index]
      if first == 0x22 { return string(keep: false) != nil }
      if first == 0x7B || first == 0x5B {
        var depth = 0
        while index < bytes.count {
          let byte = bytes[index]
          switch byte {
          case 0x22:
            guard string(keep: false) != nil else { return false }
            continue
          case 0x7B, 0x5B: depth += 1
          case 0x7D, 0x5D:
            depth -= 1
            if depth == 0 {
              index += 1
              return true
            }
          default: break
          }
          index += 1
        }
        return false
      }
      // A number, true, false or null: up to the next separator.
      while index < bytes.count {
        switch bytes[index] {
        case 0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D: return true
        default: index += 1
        }
      }
      return false
    }

    mutating func run() -> JSONTopLevel {
      skipWhitespace()
      guard !atEnd, bytes[index] == 0x7B else { return found }
      found.isObject = true
      index += 1
      while true {
        skipWhitespace()
        guard !atEnd else { return found }
        if bytes[index] == 0x7D {
          found.complete = true
          return found
        }
        guard bytes[index] == 0x22, let key = string(keep: true) else { return found }
        skipWhitespace()
        guard !atEnd, bytes[index] == 0x3A else { return found }
        index += 1
        skipWhitespace()
        guard !atEnd else { return found }
        found.keys.append(key)
        if bytes[index] == 0x22 {
          guard let value = string(keep: true) else { return found }
          if value.utf8.count <= JSONTopLevel.maximumValueLength { found.strings[key] = value }
        } else if !skipValue() {
          return found
        }
        skipWhitespace()
        guard !atEnd else { return found }
        if bytes[index] == 0x2C {
          index += 1
          continue
        }
        if bytes[index] == 0x7D { found.complete = true }
        return found
      }
    }
  }
}
