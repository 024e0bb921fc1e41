import CZlibInflate
import Foundation
import Synchronization

/// The evidence file (`evidence.jsonl.gz`): every result a run read, one JSON object per line
/// for each requirement or objective it reaches (one line for a result that reaches none),
/// gzipped. Reports list only the worst few pieces of evidence per requirement; this file holds
/// them all. The format is in docs/evidence-file.md.
///
/// Rows are written while the inputs are read: each input into a gzip part of its own in a
/// temporary folder, by the thread that read it. ``assemble(to:)`` and
/// ``stage(beside:)`` put the parts together in input order (inputs sorted by name), so the
/// file is the same whatever order the inputs were named in or read. A gzip file may hold
/// several members one after the other; `zcat`, `gzip -d` and every gzip library read them as
/// one stream.
public final class EvidenceFile: Sendable {
  /// The file's name in an output folder.
  public static let fileName = "evidence.jsonl.gz"

  /// The temporary folder holding the parts.
  public let partsDirectory: URL
  /// The parts by input and, within an input, by run of results.
  private let parts = Mutex<[[Int]: URL]>([:])

  /// Creates an empty evidence file whose parts go in a new temporary folder.
  public init() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "poam-evidence-\(UUID().uuidString)", isDirectory: true)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw OutputError(path: directory.path, reason: "cannot create a temporary folder: \(error.localizedDescription)")
    }
    partsDirectory = directory
  }

  deinit { try? FileManager.default.removeItem(at: partsDirectory) }

  /// Writes the rows of input number `input` (named `name`) through `body`, into a part of its
  /// own; `run` numbers the parts of one input when it is written in consecutive runs.
  public func writePart(input: Int, run: Int = 0, name: String, _ body: (EvidenceRowWriter) throws -> Void) throws {
    let url = partsDirectory.appendingPathComponent(String(format: "%09d-%03d.gz", input, run))
    let writer = try EvidenceRowWriter(url: url, input: name)
    do {
      try body(writer)
      try writer.finish()
    } catch {
      writer.abandon()
      throw error
    }
    parts.withLock { $0[[input, run]] = url }
  }

  /// The parts in input order.
  public var orderedParts: [URL] {
    parts.withLock { $0.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value) }
  }

  /// Writes the whole file at `url` atomically (a temporary beside it, then a rename).
  public func assemble(to url: URL) throws {
    let staged = try stage(beside: url)
    guard rename(staged.temporary.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(staged.temporary.path)
      throw OutputError(path: url.path, reason: reason)
    }
  }

  /// Writes the whole file to a new temporary beside `url` (named as ``AtomicFile`` names its
  /// temporaries), flushed to disk, and returns it with its SHA-256 and size. The parts are
  /// removed once it is written (the process may end without freeing this object): call it once.
  public func stage(beside url: URL) throws -> (temporary: URL, sha256: String, bytes: Int) {
    let staged = try AtomicFile.stage(concatenating: orderedParts, for: url, empty: Self.emptyMember)
    try? FileManager.default.removeItem(at: partsDirectory)
    parts.withLock { $0 = [:] }
    return staged
  }

  /// The JSON Lines text of an evidence file's bytes: every gzip member inflated, in order.
  /// Nil when the bytes are not gzip.
  static func text(of data: Data) -> String? {
    var input = [UInt8](data)
    var output = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var offset = 0
    while offset < input.count {
      var stream = z_stream()
      guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        return nil
      }
      defer { inflateEnd(&stream) }
      var status: Int32 = Z_OK
      input.withUnsafeMutableBufferPointer { source in
        stream.next_in = source.baseAddress! + offset
        stream.avail_in = UInt32(source.count - offset)
        repeat {
          let produced = buffer.withUnsafeMutableBufferPointer { target -> Int in
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            status = inflate(&stream, Z_NO_FLUSH)
            return target.count - Int(stream.avail_out)
          }
          output += buffer[0..<produced]
        } while status == Z_OK
        offset = source.count - Int(stream.avail_in)
      }
      guard status == Z_STREAM_END else { return nil }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// A gzip member holding nothing: the file of a run with no results.
  static let emptyMember: Data = {
    var data = Data()
    EvidenceRowWriter.deflate(Data(), finish: true, into: &data)
    return data
  }()
}

/// Writes the rows of one input as a gzip member (JSON Lines inside).
public final class EvidenceRowWriter {
  private let url: URL
  private let handle: FileHandle
  private let input: String
  private var pending: [UInt8] = []
  private var compressed = Data()
  private let stream: UnsafeMutablePointer<z_stream>
  private var finished = false

  init(url: URL, input: String) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw OutputError(path: url.path, reason: "cannot create the evidence file's part")
    }
    self.url = url
    handle = try FileHandle(forWritingTo: url)
    self.input = input
    stream = Self.makeStream()
    pending.reserveCapacity(1 << 16)
  }

  deinit {
    deflateEnd(stream)
    stream.deallocate()
  }

  private static func makeStream() -> UnsafeMutablePointer<z_stream> {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 16: a gzip header and trailer around the deflate stream; level 1: the rows repeat
    // themselves so much that more effort gains little and costs time.
    let status = deflateInit2_(
      stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
      Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "zlib deflateInit2 failed (\(status))")
    return stream
  }

  /// Gzips `data` in one go (a whole member when `finish`).
  static func deflate(_ data: Data, finish: Bool, into output: inout Data) {
    let writer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    writer.initialize(to: z_stream())
    defer { writer.deallocate() }
    let status = deflateInit2_(
      writer, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
      Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "zlib deflateInit2 failed (\(status))")
    run(writer, Array(data), flush: finish ? Z_FINISH : Z_NO_FLUSH, into: &output)
    deflateEnd(writer)
  }

  private static func run(
    _ stream: UnsafeMutablePointer<z_stream>, _ input: [UInt8], flush: Int32, into output: inout Data
  ) {
    var input = input
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    input.withUnsafeMutableBufferPointer { source in
      stream.pointee.next_in = source.baseAddress
      stream.pointee.avail_in = UInt32(source.count)
      repeat {
        let produced = buffer.withUnsafeMutableBufferPointer { target -> Int in
          stream.pointee.next_out = target.baseAddress
          stream.pointee.avail_out = UInt32(target.count)
          let status = CZlibInflate.deflate(stream, flush)
          precondition(status != Z_STREAM_ERROR, "zlib deflate failed")
          return target.count - Int(stream.pointee.avail_out)
        }
        output.append(contentsOf: buffer[0..<produced])
      } while stream.pointee.avail_out == 0 || (flush == Z_FINISH && stream.pointee.avail_in > 0)
      stream.pointee.next_in = nil
    }
  }

  /// Writes one row.
  public func write(_ record: EvidenceRecord) throws {
    EvidenceRow.append(record, input: input, to: &pending)
    if pending.count >= 1 << 16 { try flush(finish: false) }
  }

  private func flush(finish: Bool) throws {
    Self.run(stream, pending, flush: finish ? Z_FINISH : Z_NO_FLUSH, into: &compressed)
    pending.removeAll(keepingCapacity: true)
    if compressed.count >= 1 << 16 || finish {
      do {
        try handle.write(contentsOf: compressed)
      } catch {
        throw OutputError(path: url.path, reason: "cannot write the evidence file: \(error.localizedDescription)")
      }
      compressed.removeAll(keepingCapacity: true)
    }
  }

  func finish() throws {
    guard !finished else { return }
    finished = true
    try flush(finish: true)
    try? handle.close()
  }

  func abandon() {
    finished = true
    try? handle.close()
    unlink(url.path)
  }
}

/// One row of the evidence file as JSON, keys in a fixed order, every key present (`null` when
/// there is no value).
enum EvidenceRow {
  /// The keys, in the order they are written.
  static let keys = [
    "input", "result", "source", "location", "line", "asset", "rule", "title", "status", "raw_status", "kind",
    "severity", "requirement", "objective", "via", "mapping", "credited_from", "partial_points", "detail",
    "not_scored",
  ]

  static func append(_ record: EvidenceRecord, input: String, to out: inout [UInt8]) {
    let evidence = record.evidence
    let scored = record.requirement != nil
    out.append(UInt8(ascii: "{"))
    string("input", input, &out, first: true)
    number("result", record.result + 1, &out)
    string("source", evidence.source, &out)
    string("location", evidence.location, &out)
    number("line", evidence.line, &out)
    string("asset", evidence.asset, &out)
    string("rule", record.rule, &out)
    string("title", record.title.map { EvidenceCollector.shorten($0, to: 500) }, &out)
    string("status", evidence.status?.rawValue, &out)
    string("raw_status", evidence.rawStatus, &out)
    string("kind", evidence.kind.rawValue, &out)
    string("severity", evidence.severity, &out)
    string("requirement", record.requirement, &out)
    string("objective", evidence.objective, &out)
    string("via", scored ? evidence.via.rawValue : nil, &out)
    string("mapping", evidence.mapping, &out)
    string("credited_from", evidence.creditedFrom, &out)
    number("partial_points", evidence.partialPoints, &out)
    string("detail", evidence.detail, &out)
    string("not_scored", record.notScored, &out)
    out.append(contentsOf: "}\n".utf8)
  }

  private static func key(_ name: String, _ out: inout [UInt8], first: Bool) {
    if !first { out.append(UInt8(ascii: ",")) }
    out.append(UInt8(ascii: "\""))
    out.append(contentsOf: name.utf8)
    out.append(contentsOf: "\":".utf8)
  }

  private static func number(_ name: String, _ value: Int?, _ out: inout [UInt8]) {
    key(name, &out, first: false)
    if let value { out.append(contentsOf: String(value).utf8) } else { out.append(contentsOf: "null".utf8) }
  }

  private static func string(_ name: String, _ value: String?, _ out: inout [UInt8], first: Bool = false) {
    key(name, &out, first: first)
    guard let value else {
      out.append(contentsOf: "null".utf8)
      return
    }
    escape(value, into: &out)
  }

  /// A JSON string (``JSONStringEscaping``).
  static func escape(_ value: String, into out: inout [UInt8]) {
    JSONStringEscaping.append(value, to: &out)
  }
}
