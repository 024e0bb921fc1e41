import CZlibInflate
import Foundation

/// A ZIP archive in memory (or mapped from disk), read by poam itself: the central directory is
/// checked against the bytes when the archive opens, and each member is inflated with the system
/// zlib from its own byte range only, its output bounded by the size the directory declares.
///
/// ZIPFoundation 0.9.20 looped forever on Linux on a deflated member whose stream never ends (it
/// ignored the member's compressed size, read on to the end of the archive and spun on empty
/// reads; `Fixtures/bad/zip-deflate-never-ends.xlsx`, found by FuzzXLSX). A truncated download
/// looks the same. Here such a member is an error naming the member, and every loop ends: each
/// call to zlib consumes input, produces output (capped) or reports that it cannot go on.
struct ZIPContainer {
  /// One entry of the central directory.
  struct Member {
    /// The path inside the archive, as written (UTF-8, or Latin-1 when not valid UTF-8).
    let path: String
    /// 0 stored, 8 deflated; other methods are refused when read.
    let method: Int
    /// The general-purpose flags (bit 0: encrypted).
    let flags: Int
    /// The CRC-32 of the uncompressed bytes.
    let crc32: UInt32
    /// Bytes of the member's data in the archive.
    let compressedSize: UInt64
    /// Bytes the member declares it inflates to.
    let uncompressedSize: UInt64
    /// Where the member's data starts in the archive.
    let dataStart: Int
    /// A directory entry (the name ends in `/`).
    let isDirectory: Bool
    /// A symbolic link (Unix mode in the external attributes).
    let isSymbolicLink: Bool

    /// A regular file.
    var isFile: Bool { !isDirectory && !isSymbolicLink }
  }

  /// What is wrong with an archive or one of its members.
  struct Problem: Error {
    let message: String
  }

  /// The archive's bytes.
  let data: Data
  /// The members, in the central directory's order.
  let members: [Member]
  private let index: [String: Int]

  /// Opens an archive held in `data`.
  /// - Throws: ``Problem`` when the bytes are not a ZIP archive whose directory stays inside them.
  init(data: Data) throws(Problem) {
    self.data = data
    self.members = try Self.directory(of: data)
    var index: [String: Int] = [:]
    for (position, member) in members.enumerated() where index[member.path] == nil {
      index[member.path] = position
    }
    self.index = index
  }

  /// The first member with this path, if any.
  subscript(path: String) -> Member? {
    index[path].map { members[$0] }
  }

  // MARK: - Reading members

  /// Inflates `member`, handing its bytes to `body` in chunks of at most 256 KiB as they come.
  /// The input is the member's own bytes and the output stops at its declared size, so a stream
  /// that never ends or inflates past what the directory says is an error, never a hang.
  /// - Throws: ``Problem`` for a corrupt, truncated, oversized, encrypted or unsupported member
  ///   or a CRC mismatch; whatever `body` throws, as it is (to stop early at a limit).
  func inflate(_ member: Member, _ body: (Data) throws -> Void) throws {
    guard member.flags & 1 == 0 else { throw Problem(message: "the member is encrypted, which poam does not read") }
    switch member.method {
    case 0: try copyStored(member, body)
    case 8: try inflateDeflated(member, body)
    default:
      throw Problem(
        message: "the member uses compression method \(member.method); poam reads stored (0) and deflated (8)")
    }
  }

  /// Inflates the whole member into memory (callers check its declared size against a limit first).
  func contents(of member: Member) throws -> Data {
    var result = Data()
    result.reserveCapacity(Int(clamping: min(member.uncompressedSize, 1 << 24)))
    try inflate(member) { result.append($0) }
    return result
  }

  private static let chunkSize = 256 * 1024

  private func copyStored(_ member: Member, _ body: (Data) throws -> Void) throws {
    guard member.compressedSize == member.uncompressedSize else {
      throw Problem(
        message:
          "the stored member holds \(member.compressedSize) bytes but declares \(member.uncompressedSize) (truncated or corrupt)"
      )
    }
    var crc = CZlibInflate.crc32(0, nil, 0)
    var offset = member.dataStart
    let end = member.dataStart + Int(member.compressedSize)
    while offset < end {
      let next = min(end, offset + Self.chunkSize)
      let chunk = data.subdata(in: data.startIndex + offset..<data.startIndex + next)
      crc = chunk.withUnsafeBytes {
        CZlibInflate.crc32(crc, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))
      }
      try body(chunk)
      offset = next
    }
    try checkCRC(crc, member)
  }

  private func inflateDeflated(_ member: Member, _ body: (Data) throws -> Void) throws {
    var stream = z_stream()
    guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw Problem(message: "zlib could not start inflating (out of memory)")
    }
    defer { inflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Self.chunkSize)
    var produced: UInt64 = 0
    var crc = CZlibInflate.crc32(0, nil, 0)
    try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws in
      guard let base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else {
        throw Problem(message: "the archive is empty")
      }
      var next = member.dataStart
      let end = member.dataStart + Int(member.compressedSize)
      while true {
        if stream.avail_in == 0, next < end {
          // zlib counts input in 32 bits: feed a large member in pieces.
          let piece = min(end - next, 1 << 30)
          stream.next_in = UnsafeMutablePointer(mutating: base + next)
          stream.avail_in = uInt(piece)
          next += piece
        }
        let (status, count) = output.withUnsafeMutableBufferPointer { buffer in
          stream.next_out = buffer.baseAddress
          stream.avail_out = uInt(buffer.count)
          let status = CZlibInflate.inflate(&stream, Z_NO_FLUSH)
          return (status, buffer.count - Int(stream.avail_out))
        }
        if count > 0 {
          produced += UInt64(count)
          guard produced <= member.uncompressedSize else {
            throw Problem(
              message:
                "the member inflates past its declared \(member.uncompressedSize) bytes (corrupt, or a ZIP bomb)")
          }
          crc = output.withUnsafeBufferPointer { CZlibInflate.crc32(crc, $0.baseAddress, uInt(count)) }
          try body(Data(output[0..<count]))
        }
        switch status {
        case Z_STREAM_END:
          return
        case Z_OK:
          continue
        case Z_BUF_ERROR where stream.avail_in == 0 && next == end:
          throw Problem(
            message:
              "its deflate data ends before the stream does, after \(member.compressedSize) bytes (truncated or corrupt)"
          )
        default:
          let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
          throw Problem(message: "its deflate data is corrupt (\(detail))")
        }
      }
    }
    guard produced == member.uncompressedSize else {
      throw Problem(
        message:
          "the member inflates to \(produced) bytes but declares \(member.uncompressedSize) (truncated or corrupt)")
    }
    try checkCRC(crc, member)
  }

  private func checkCRC(_ crc: uLong, _ member: Member) throws {
    guard UInt32(truncatingIfNeeded: crc) == member.crc32 else {
      throw Problem(message: "the member's CRC-32 does not match its data (corrupt)")
    }
  }

  // MARK: - The central directory

  /// The members the central directory lists, every offset and size checked to lie inside the
  /// bytes (no arithmetic on a value from the file can overflow or trap).
  static func directory(of data: Data) throws(Problem) -> [Member] {
    var result: Result<[Member], Problem> = .success([])
    data.withUnsafeBytes { bytes in
      result = Result { () throws(Problem) in try directory(bytes) }
    }
    return try result.get()
  }

  private static func directory(_ bytes: UnsafeRawBufferPointer) throws(Problem) -> [Member] {
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
    guard count >= 22 else { throw Problem(message: "it is too short to be a ZIP archive") }
    var end = count - 22
    let lowest = max(0, count - 22 - 65_535)
    while end >= lowest, !signature(end, 0x0605_4B50) { end -= 1 }
    guard end >= lowest else { throw Problem(message: "it has no end-of-central-directory record") }
    var directorySize = UInt64(u32(end + 12))
    var directoryOffset = UInt64(u32(end + 16))
    var entries = u16(end + 10)
    // ZIP64: the locator sits 20 bytes before the record and points at the ZIP64 record.
    if signature(end - 20, 0x0706_4B50) {
      let record = u64(end - 20 + 8)
      guard fits(record, 56), signature(Int(record), 0x0606_4B50) else {
        throw Problem(message: "its ZIP64 end-of-central-directory record lies outside the file")
      }
      let at = Int(record)
      entries = Int(clamping: u64(at + 32))
      directorySize = u64(at + 40)
      directoryOffset = u64(at + 48)
    }
    guard fits(directoryOffset, directorySize) else {
      throw Problem(message: "its central directory lies outside the file")
    }
    var position = Int(directoryOffset)
    let directoryEnd = position + Int(directorySize)
    var members: [Member] = []
    while members.count < entries, position + 46 <= directoryEnd, signature(position, 0x0201_4B50) {
      let seen = members.count
      let nameLength = u16(position + 28)
      let extraLength = u16(position + 30)
      let commentLength = u16(position + 32)
      var compressed = UInt64(u32(position + 20))
      var uncompressed = UInt64(u32(position + 24))
      var localOffset = UInt64(u32(position + 42))
      let nameStart = position + 46
      let extraStart = nameStart + nameLength
      guard extraStart + extraLength <= directoryEnd else {
        throw Problem(message: "a central directory entry runs past its end")
      }
      // ZIP64 extended information (tag 1): the 64-bit sizes and offset that read 0xFFFFFFFF.
      var extra = extraStart
      while extra + 4 <= extraStart + extraLength {
        let tag = u16(extra)
        let size = u16(extra + 2)
        if tag == 1 {
          let fieldEnd = min(extra + 4 + size, extraStart + extraLength)
          var field = extra + 4
          if u32(position + 24) == 0xFFFF_FFFF, field + 8 <= fieldEnd {
            uncompressed = u64(field)
            field += 8
          }
          if u32(position + 20) == 0xFFFF_FFFF, field + 8 <= fieldEnd {
            compressed = u64(field)
            field += 8
          }
          if u32(position + 42) == 0xFFFF_FFFF, field + 8 <= fieldEnd { localOffset = u64(field) }
        }
        extra += 4 + size
      }
      guard fits(localOffset, 30), signature(Int(localOffset), 0x0403_4B50) else {
        throw Problem(message: "entry \(seen + 1) points at a local header outside the file")
      }
      let local = Int(localOffset)
      let dataStart = UInt64(local + 30 + u16(local + 26) + u16(local + 28))
      guard fits(dataStart, compressed) else {
        throw Problem(message: "entry \(seen + 1)'s data runs past the end of the file")
      }
      let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<extraStart])
      let path =
        String(validating: nameBytes, as: UTF8.self)
        ?? String(nameBytes.map { Character(Unicode.Scalar($0)) })
      // Unix hosts (3) keep the file mode in the high half of the external attributes.
      let unixMode = u16(position + 4) >> 8 == 3 ? u32(position + 38) >> 16 : 0
      members.append(
        Member(
          path: path, method: u16(position + 10), flags: u16(position + 8), crc32: UInt32(u32(position + 16)),
          compressedSize: compressed, uncompressedSize: uncompressed, dataStart: Int(dataStart),
          isDirectory: path.hasSuffix("/"), isSymbolicLink: unixMode & 0o170000 == 0o120000))
      position = extraStart + extraLength + commentLength
    }
    guard members.count == entries else {
      throw Problem(message: "its central directory lists \(entries) entries but holds \(members.count)")
    }
    return members
  }
}
