/// Writes JSON strings: `"` and `\` escaped, control characters as `\n`-style or `\u00XX`
/// escapes, everything else (slashes, non-ASCII) as is; runs of plain bytes copied at once.
/// `poam import` and the evidence file write their strings through it.
enum JSONStringEscaping {
  /// Appends `value` as a quoted JSON string.
  static func append(_ value: String, to buffer: inout [UInt8]) {
    buffer.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { bytes in
      var start = 0
      for index in 0..<bytes.count {
        let byte = bytes[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        start = index + 1
        switch byte {
        case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
        case 0x0A: buffer.append(contentsOf: #"\n"#.utf8)
        case 0x0D: buffer.append(contentsOf: #"\r"#.utf8)
        case 0x09: buffer.append(contentsOf: #"\t"#.utf8)
        case 0x08: buffer.append(contentsOf: #"\b"#.utf8)
        case 0x0C: buffer.append(contentsOf: #"\f"#.utf8)
        default:
          let hex = Array("0123456789abcdef".utf8)
          buffer.append(contentsOf: #"\u00"#.utf8)
          buffer.append(hex[Int(byte >> 4)])
          buffer.append(hex[Int(byte & 0x0F)])
        }
      }
      buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }
    buffer.append(UInt8(ascii: "\""))
  }
}
