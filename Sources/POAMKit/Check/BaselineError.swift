import Foundation

/// Why a baseline (or a file given to `poam diff`) cannot be used. Every case names the file and
/// says what poam expected to find.
public enum BaselineError: Error, LocalizedError, Sendable, Hashable {
  /// The file cannot be read.
  case unreadable(path: String, reason: String)
  /// The file is empty.
  case empty(path: String)
  /// The bytes are not JSON.
  case notJSON(path: String, detail: String)
  /// JSON, but neither a gap report nor an OSCAL POA&M.
  case foreign(path: String, found: String)
  /// A gap report with a missing or wrong value.
  case malformedGapReport(path: String, field: String, problem: String)
  /// An OSCAL POA&M poam cannot read a drift baseline from.
  case malformedPOAM(path: String, location: String, problem: String)
  /// The baseline is for another level than the current run.
  case levelMismatch(path: String, baseline: CMMCLevel, current: CMMCLevel)
  /// A requested action does not fit this kind of file.
  case unsupported(path: String, reason: String)

  public var errorDescription: String? {
    switch self {
    case .unreadable(let path, let reason):
      return FileProblem.message(path: path, reason: reason)
    case .empty(let path):
      return
        "\(path): the file is empty: expected a gap report (gap-report.json) or a POA&M (OSCAL JSON) that poam wrote"
    case .notJSON(let path, let detail):
      return
        "\(path): not valid JSON (\(detail)): expected a gap report (gap-report.json) or a POA&M (OSCAL JSON) that poam wrote"
    case .foreign(let path, let found):
      return
        "\(path): not a gap report or POA&M that poam wrote: expected a gap report (top-level keys tool_version, level, requirements) or an OSCAL POA&M (top-level key plan-of-action-and-milestones); found \(found)"
    case .malformedGapReport(let path, let field, let problem):
      return "\(path): gap report: \(field.isEmpty ? "" : "\(field): ")\(problem)"
    case .malformedPOAM(let path, let location, let problem):
      return "\(path): OSCAL POA&M: \(location.isEmpty ? "" : "\(location): ")\(problem)"
    case .levelMismatch(let path, let baseline, let current):
      return
        "\(path): the baseline is for \(baseline) but this run checks \(current): pass --level \(baseline.rawValue) or use a \(current) baseline"
    case .unsupported(let path, let reason):
      return "\(path): \(reason)"
    }
  }
}
