import Foundation

/// Reads a ZIP archive of inputs (a folder of checklists zipped up) in memory. Each file in it
/// becomes an input of its own, named `archive.zip:path/in/zip`; directories, macOS resource
/// forks (`__MACOSX/`, `._name`), `.DS_Store` and symbolic links are left out.
///
/// A ZIP bomb is refused: the member count and the total of uncompressed bytes are capped, and
/// the bytes are counted as they are inflated, so a member that lies about its size is caught.
enum ArchiveReader {
  /// Caps on what one archive may hold.
  public struct Limits: Sendable {
    /// The most files (and directories) an archive may list.
    public var maxMembers: Int
    /// The most bytes all members may inflate to, together.
    public var maxTotalBytes: Int64

    /// Creates limits.
    public init(maxMembers: Int, maxTotalBytes: Int64) {
      self.maxMembers = maxMembers
      self.maxTotalBytes = maxTotalBytes
    }

    /// 100,000 members and 2 GiB.
    public static let standard = Limits(maxMembers: 100_000, maxTotalBytes: 2 << 30)
  }

  /// The files in an archive, in the archive's order.
  ///
  /// Each member is inflated from its own bytes (``ZIPContainer``): one whose data ends early or
  /// inflates past its declared size is an error naming the archive and member. Inflation stops
  /// as soon as a limit that will refuse the member is passed: the archive's total, the run's
  /// `inflated-bytes`, or `table-bytes` for a member that is delimited text (CSV/TSV), so a small
  /// archive holding a huge CSV is refused without holding the CSV in memory.
  public static func members(of file: InputFile, limits: Limits = .standard) throws -> [InputFile] {
    let data = try file.readAll()
    let archive: ZIPContainer
    do {
      archive = try ZIPContainer(data: data)
    } catch {
      throw ImportError.malformed(
        file: file.displayName, line: nil, column: nil, expected: "a ZIP archive; \(error.message)")
    }
    guard archive.members.count <= limits.maxMembers else {
      throw ImportError.unsupported(
        file: file.displayName,
        reason:
          "the archive lists more than \(limits.maxMembers) members; refused as a possible ZIP bomb (unzip it and pass the folder)"
      )
    }
    var declared: UInt64 = 0
    for entry in archive.members where entry.isFile { declared &+= entry.uncompressedSize }
    if declared > UInt64(limits.maxTotalBytes) {
      throw bomb(file, limits)
    }
    var members: [InputFile] = []
    var total: Int64 = 0
    let run = ResourceLimits.current
    for entry in archive.members where entry.isFile && !skipped(entry.path) {
      let name = "\(file.displayName):\(entry.path)"
      var content = Data()
      // Known once the first bytes are in: whether the member is a table that table-bytes caps.
      // Only a member declaring more than the limit can pass it (none inflates past its declared
      // size), so only such a member is looked at.
      var isTable: Bool? = entry.uncompressedSize > UInt64(run[.tableBytes]) ? nil : false
      do {
        try archive.inflate(entry) { chunk in
          total += Int64(chunk.count)
          if total > limits.maxTotalBytes { throw ArchiveLimitExceeded() }
          try run.chargeInflated(chunk.count, soFar: Int(total), file: file.displayName)
          content.append(chunk)
          if isTable == nil,
            content.count >= FormatDetector.prefixLength || UInt64(content.count) == entry.uncompressedSize
          {
            isTable = FormatDetector.detect(content.prefix(FormatDetector.prefixLength)) == .format(.csv)
          }
          if isTable == true {
            throw run.exceeded(
              .tableBytes, file: name,
              what: "the table (\(entry.uncompressedSize) bytes declared; stopped after inflating \(content.count))")
          }
        }
      } catch is ArchiveLimitExceeded {
        throw bomb(file, limits)
      } catch let error as ImportError {
        throw error
      } catch let error as ZIPContainer.Problem {
        throw ImportError.malformed(
          file: name, line: nil, column: nil, expected: "a readable ZIP member; \(error.message)")
      }
      members.append(InputFile(displayName: name, content: .data(content)))
    }
    return members
  }

  /// Entries that are packaging, not inputs.
  static func skipped(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return path.hasPrefix("__MACOSX/") || path.contains("/__MACOSX/") || name.hasPrefix("._") || name == ".DS_Store"
  }

  private static func bomb(_ file: InputFile, _ limits: Limits) -> ImportError {
    let gib = Double(limits.maxTotalBytes) / Double(1 << 30)
    let size = gib >= 1 ? String(format: "%.0f GiB", gib) : "\(limits.maxTotalBytes) bytes"
    return ImportError.unsupported(
      file: file.displayName,
      reason: "the archive inflates to more than \(size); refused as a possible ZIP bomb (unzip it and pass the folder)"
    )
  }

  private struct ArchiveLimitExceeded: Error {}
}
