import Foundation

/// A normalized determination for a requirement or objective.
///
/// `partial` is a NOT MET that says "partly implemented": it scores as NOT MET everywhere
/// except IA.L2-3.5.3 and SC.L2-3.13.11, where the catalog gives a reduced deduction.
public enum Status: String, Codable, Sendable, CaseIterable, Comparable {
  case met
  case notMet = "not-met"
  case partial
  case notApplicable = "not-applicable"
  case notAssessed = "not-assessed"

  /// True for MET and N/A, which count alike (32 CFR 170.24(b)).
  public var isSatisfied: Bool { self == .met || self == .notApplicable }

  /// "Worst wins" order: NOT MET over partial over not assessed over MET over N/A.
  var severity: Int {
    switch self {
    case .notMet: return 4
    case .partial: return 3
    case .notAssessed: return 2
    case .met: return 1
    case .notApplicable: return 0
    }
  }

  public static func < (lhs: Status, rhs: Status) -> Bool { lhs.severity < rhs.severity }

  /// The word assessors use: MET, NOT MET, PARTIAL, N/A, NOT ASSESSED.
  public var label: String {
    switch self {
    case .met: return "MET"
    case .notMet: return "NOT MET"
    case .partial: return "PARTIAL"
    case .notApplicable: return "N/A"
    case .notAssessed: return "NOT ASSESSED"
    }
  }
}

/// A status word that poam does not recognise. It is reported, never guessed.
public struct UnknownStatus: Error, LocalizedError, Hashable, Sendable {
  /// The word as it was written.
  public var raw: String

  public var errorDescription: String? {
    "unknown status '\(raw)': expected a word such as MET, NOT MET, Partially Implemented, N/A, Not Reviewed, Pass, Fail, NotAFinding or Open"
  }
}

/// Maps the status words of assessors, spreadsheets, STIG checklists, SCAP scanners, OSCAL and
/// HDF to ``Status``. Matching ignores case, spaces, `_`, `-`, `/` and `.`.
public enum StatusNormalizer {
  private static let table: [String: Status] = {
    var table: [String: Status] = [:]
    func add(_ status: Status, _ words: [String]) {
      for word in words { table[key(word)] = status }
    }
    add(
      .met,
      [
        "met", "implemented", "fully implemented", "yes", "y", "true", "pass", "passed", "satisfied",
        "notafinding", "not a finding", "compliant", "inherited", "fixed", "in place", "complete", "completed",
        "effective", "ok",
      ])
    add(
      .notMet,
      [
        "not met", "notmet", "not implemented", "planned", "in progress", "no", "n", "false", "fail", "failed",
        "open", "not satisfied", "notsatisfied", "non-compliant", "noncompliant", "not compliant", "error",
        "finding", "other than satisfied", "ineffective", "not in place", "missing",
      ])
    add(.partial, ["partial", "partially", "partially implemented", "partially met", "partly implemented"])
    add(
      .notApplicable,
      ["n/a", "na", "not applicable", "not_applicable", "notapplicable", "does not apply", "inapplicable"])
    add(
      .notAssessed,
      [
        "not reviewed", "not_reviewed", "notreviewed", "not tested", "nottested", "unknown", "", "notchecked",
        "not checked", "notselected", "not selected", "informational", "skipped", "not assessed", "pending",
        "tbd", "no data", "unassessed",
      ])
    return table
  }()

  private static func key(_ word: String) -> String {
    String(
      word.lowercased().unicodeScalars.filter { !" _-/.\t\r\n".unicodeScalars.contains($0) }
        .map(Character.init))
  }

  /// The normalized status, or ``UnknownStatus`` naming the word.
  public static func normalize(_ raw: String) -> Result<Status, UnknownStatus> {
    if let status = table[key(raw)] { return .success(status) }
    return .failure(UnknownStatus(raw: raw))
  }

  /// The normalized status; an unknown word gives nil and a warning naming `source` and
  /// `location`. Every importer reports unknown words through this one place.
  static func normalize(
    _ raw: String, source: String, location: String, diagnostics: inout [Diagnostic]
  ) -> Status? {
    switch normalize(raw) {
    case .success(let status):
      return status
    case .failure(let error):
      diagnostics.append(
        Diagnostic(.warning, .unknownStatus, source: source, location: location, message: error.localizedDescription))
      return nil
    }
  }
}
