import Foundation

/// The input formats poam reads. Detection is by content (``FormatDetector``), never by name.
public enum InputFormat: String, Codable, Sendable, CaseIterable {
  /// Delimited text: an assessor's spreadsheet export, STIG Viewer / STIG Manager CSV.
  case csv
  /// An Excel workbook.
  case xlsx
  /// DISA STIG Viewer 2.x checklist (XML).
  case ckl
  /// STIG Viewer 3 checklist (JSON).
  case cklb
  /// XCCDF 1.1 / 1.2 results (a Benchmark with TestResult, or TestResult alone).
  case xccdf
  /// SCAP 1.2 / 1.3 Asset Reporting Format.
  case arf
  /// OSCAL assessment-results, JSON.
  case oscalJSON = "oscal-json"
  /// OSCAL assessment-results, XML.
  case oscalXML = "oscal-xml"
  /// MITRE Heimdall Data Format (InSpec results) JSON.
  case hdf
  /// Tenable Nessus / ACAS scan results (`.nessus`, NessusClientData_v2 XML).
  case nessus
  /// poam's own simple results format (see `docs` in README).
  case native
  /// A ZIP archive of inputs (read recursively).
  case zip

  /// What `poam formats` prints about the format.
  public var summary: String {
    switch self {
    case .csv: return "CSV/TSV (any delimiter, header found by synonyms, UTF-8/UTF-16, BOM)"
    case .xlsx: return "Excel workbook: the sheet whose header looks like an assessment (CAAT workbooks too)"
    case .ckl: return "STIG Viewer 2.x checklist (.ckl, XML root CHECKLIST)"
    case .cklb: return "STIG Viewer 3 checklist (.cklb, JSON with stigs[].rules[])"
    case .xccdf: return "XCCDF 1.1/1.2 results (Benchmark with TestResult, or TestResult)"
    case .arf: return "SCAP 1.2/1.3 ARF (asset-report-collection)"
    case .oscalJSON: return "OSCAL assessment-results (JSON)"
    case .oscalXML: return "OSCAL assessment-results (XML)"
    case .hdf: return "MITRE HDF / InSpec JSON (profiles[].controls[].results[])"
    case .nessus: return "Nessus / ACAS scan (.nessus v2): compliance checks and vulnerabilities per host"
    case .native: return "poam results JSON ({\"format\": \"poam-results\", \"results\": [...]})"
    case .zip: return "ZIP archive of any of the above"
    }
  }
}

/// One input: a file on disk, standard input, or a member of an archive.
public struct InputFile: Sendable {
  /// Where the bytes are.
  public enum Content: Sendable {
    /// A file on disk (importers may stream it).
    case file(URL)
    /// Bytes in memory (standard input, archive members).
    case data(Data)
  }

  /// The name shown in reports and diagnostics: the path as given, `-`, or `archive.zip:member`.
  public var displayName: String
  /// The bytes.
  public var content: Content

  /// Creates an input.
  public init(displayName: String, content: Content) {
    // A file name reaches terminals and reports: control characters in it become U+FFFD.
    self.displayName = ControlCharacters.replace(displayName)
    self.content = content
  }

  /// The path on disk, when the input is a file.
  public var path: String? {
    if case .file(let url) = content { return url.path }
    return nil
  }

  /// Reads every byte.
  public func readAll() throws -> Data {
    switch content {
    case .data(let data):
      return data
    case .file(let url):
      do {
        return try Data(contentsOf: url, options: .mappedIfSafe)
      } catch {
        throw ImportError.unreadable(file: displayName, reason: FileProblem.reason(path: url.path, error: error))
      }
    }
  }

  /// Reads up to `count` bytes from the start, for format detection.
  public func prefix(_ count: Int) throws -> Data {
    switch content {
    case .data(let data):
      return data.prefix(count)
    case .file(let url):
      guard let handle = FileHandle(forReadingAtPath: url.path) else {
        throw ImportError.unreadable(file: displayName, reason: FileProblem.reason(path: url.path))
      }
      defer { try? handle.close() }
      return (try? handle.read(upToCount: count)) ?? Data()
    }
  }
}

/// What one importer read from one input: the observations and the recoverable problems.
public struct ImportResult: Sendable {
  /// Every result read, in file order.
  public var observations: [Observation]
  /// Rows or elements that could not be used, unknown statuses, and other remarks.
  public var diagnostics: [Diagnostic]

  /// Creates a result.
  public init(observations: [Observation] = [], diagnostics: [Diagnostic] = []) {
    self.observations = observations
    self.diagnostics = diagnostics
  }
}

/// A problem that makes a whole input unusable (exit 2, or skipped with `--keep-going`).
public enum ImportError: Error, LocalizedError, Equatable, Sendable {
  /// The file could not be read at all.
  case unreadable(file: String, reason: String)
  /// The content is broken: `line`/`column` are 1-based when known, `expected` says what should be there.
  case malformed(file: String, line: Int?, column: Int?, expected: String)
  /// The content is valid but not something poam can use (no stigs array, a CCI list given as input...).
  case unsupported(file: String, reason: String)

  public var errorDescription: String? {
    // Bounded (--limit diagnostic-length) and free of control characters: it reaches a terminal.
    ResourceLimits.current.clip(ControlCharacters.replace(unboundedDescription))
  }

  private var unboundedDescription: String {
    switch self {
    case .unreadable(let file, let reason):
      return "\(file): cannot read: \(reason)"
    case .malformed(let file, let line, let column, let expected):
      var place = file
      if let line { place += ":\(line)" }
      if let line, line > 0, let column { place += ":\(column)" }
      return "\(place): \(expected)"
    case .unsupported(let file, let reason):
      return "\(file): \(reason)"
    }
  }

  /// The file the error concerns.
  public var file: String {
    switch self {
    case .unreadable(let file, _), .malformed(let file, _, _, _), .unsupported(let file, _): return file
    }
  }
}

/// Reads one input format into observations. One importer per file in `Import/`.
public protocol Importer: Sendable {
  /// The format this importer reads.
  var format: InputFormat { get }
  /// Reads a whole input. Recoverable problems become diagnostics; a broken file throws ``ImportError``.
  func read(_ input: InputFile) throws -> ImportResult
  /// Reads a whole input with the run's options (such as the remediation time frame).
  func read(_ input: InputFile, options: ImportOptions) throws -> ImportResult
}

extension Importer {
  /// Importers that take no options read the input as ``read(_:)`` does.
  public func read(_ input: InputFile, options: ImportOptions) throws -> ImportResult {
    try read(input)
  }
}

/// An importer that can hand over its observations while it reads, a batch at a time, so that a
/// large input (a CSV of a million rows) is never held whole: ``ImportPipeline`` folds each batch
/// as it comes when it folds inputs (``ImportPipeline/fold(_:options:batchSize:reading:)``).
public protocol BatchingImporter: Importer {
  /// Reads an input as ``Importer/read(_:options:)`` does, but hands the observations to `batch`
  /// in file order, `batchSize` at a time, as they are read. Returns the observations read after
  /// the last batch and every diagnostic, in the order a whole read gives them. The error a whole
  /// read would throw is thrown (after some batches may have been handed over), and so is an
  /// error `batch` throws.
  func read(
    _ input: InputFile, options: ImportOptions, batchSize: Int, batch: ([Observation]) throws -> Void
  ) throws -> ImportResult

  /// Whether each batch is best folded on the other core while the next is read: true where
  /// making a batch costs about what folding it does (a Nessus scan); false where reading is
  /// cheap next to handing batches between threads (a CSV: measured slower and larger that way).
  var foldsWhileReading: Bool { get }
}

extension BatchingImporter {
  /// Batches are folded on the reading thread.
  public var foldsWhileReading: Bool { false }
}
