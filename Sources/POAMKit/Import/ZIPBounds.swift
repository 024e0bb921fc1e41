import Foundation

/// Checks that every offset a ZIP's central directory gives lies inside the bytes, before
/// ZIPFoundation opens them in memory. ZIPFoundation 0.9.20's in-memory archive lets a read
/// seek past the end and then traps ("Range requires lowerBound <= upperBound") instead of
/// failing: a crafted archive or XLSX of a few hundred bytes crashed poam (found by FuzzXLSX,
/// `Fixtures/bad/zip-offset-past-end.xlsx`). On disk the C library's reads fail cleanly.
enum ZIPBounds {
  /// Nil when the archive's structure stays inside `data`, else what is wrong.
  static func problem(in data: Data) -> String? {
    data.withUnsafeBytes { problem(in: $0) }
  }

  private static func problem(in bytes: UnsafeRawBufferPointer) -> String? {
    let count = bytes.count
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
    func signature(_ at: Int, _ value: Int) -> Bool { at >= 0 && at + 4 <= count && u32(at) == value }
    /// True when `length` bytes at `offset` lie inside the data (no arithmetic can overflow).
    func fits(_ offset: UInt64, _ length: UInt64) -> Bool {
      offset <= UInt64(count) && length <= UInt64(count) - offset
    }
    // The end-of-central-directory record: 22 bytes, then a comment of up to 65,535 bytes.
    guard count >= 22 else { return "it is too short to be a ZIP archive" }
    var end = count - 22
    let lowest = max(0, count - 22 - 65_535)
    while end >= lowest, !signature(end, 0x0605_4B50) { end -= 1 }
    guard end >= lowest else { return "it has no end-of-central-directory record" }
    var directorySize = UInt64(u32(end + 12))
    var directoryOffset = UInt64(u32(end + 16))
    var entries = u16(end + 10)
    // ZIP64: the locator sits 20 bytes before the record and points at the ZIP64 record.
    if signature(end - 20, 0x0706_4B50) {
      let record = u64(end - 20 + 8)
      guard fits(record, 56), signature(Int(record), 0x0606_4B50) else {
        return "its ZIP64 end-of-central-directory record lies outside the file"
      }
      let at = Int(record)
      entries = Int(clamping: u64(at + 32))
      directorySize = u64(at + 40)
      directoryOffset = u64(at + 48)
    }
    guard fits(directoryOffset, directorySize) else {
      return "its central directory lies outside the file"
    }
    var position = Int(directoryOffset)
    let directoryEnd = position + Int(directorySize)
    var seen = 0
    while seen < entries, position + 46 <= directoryEnd, signature(position, 0x0201_4B50) {
      let nameLength = u16(position + 28)
      let extraLength = u16(position + 30)
      let commentLength = u16(position + 32)
      var compressed = UInt64(u32(position + 20))
      var localOffset = UInt64(u32(position + 42))
      let extraStart = position + 46 + nameLength
      guard extraStart + extraLength <= directoryEnd else { return "a central directory entry runs past its end" }
      // ZIP64 extended information (tag 1): the 64-bit sizes and offset that read 0xFFFFFFFF.
      var extra = extraStart
      while extra + 4 <= extraStart + extraLength {
        let tag = u16(extra)
        let size = u16(extra + 2)
        if tag == 1 {
          let fieldEnd = min(extra + 4 + size, extraStart + extraLength)
          var field = extra + 4
          if u32(position + 24) == 0xFFFF_FFFF, field + 8 <= fieldEnd { field += 8 }
          if u32(position + 20) == 0xFFFF_FFFF, field + 8 <= fieldEnd {
            compressed = u64(field)
            field += 8
          }
          if u32(position + 42) == 0xFFFF_FFFF, field + 8 <= fieldEnd { localOffset = u64(field) }
        }
        extra += 4 + size
      }
      guard fits(localOffset, 30), signature(Int(localOffset), 0x0403_4B50) else {
        return "entry \(seen + 1) points at a local header outside the file"
      }
      let local = Int(localOffset)
      let dataStart = UInt64(local + 30 + u16(local + 26) + u16(local + 28))
      guard fits(dataStart, compressed) else {
        return "entry \(seen + 1)'s data runs past the end of the file"
      }
      position = extraStart + extraLength + commentLength
      seen += 1
    }
    guard seen == entries else { return "its central directory lists \(entries) entries but holds \(seen)" }
    return nil
  }
}
