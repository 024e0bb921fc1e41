import Foundation

/// What a CMMC self-assessment posts in SPRS, per level (32 CFR 170.15(a)(1)(i) for Level 1,
/// 170.16(a)(1)(i) for Level 2): the level, the status date, the assessment scope, the CAGE
/// codes, the compliance result, and at Level 2 the score ("106 out of 110") and POA&M use.
///
/// The status date is the assessment date of the run that produced the status: a rerun that
/// keeps a Conditional status keeps the date of the run that first reached it (recorded in
/// `poam.json`), so the 180-day closeout deadline (170.21(b)) does not move. For a C3PAO or
/// DIBCAC assessment the assessor posts the results through CMMC eMASS; the values are then
/// reference values only.
public struct SPRSEntry: Codable, Sendable, Hashable {
  /// The target level.
  public var level: CMMCLevel
  /// Final, Conditional or not eligible.
  public var status: CertificationStatus
  /// The CMMC Status Date, `YYYY-MM-DD` (nil when there is no status to post).
  public var statusDate: String?
  /// Status date + 180 days, for a Conditional status: the day it expires unless closed out.
  public var closeoutDeadline: String?
  /// The CMMC Assessment Scope (nil without a profile).
  public var scope: String?
  /// The CAGE codes of the in-scope systems.
  public var cageCodes: [String]
  /// The compliance result in words.
  public var complianceResult: String
  /// `106 out of 110` at Level 2 (nil at Level 1, which has no score, and Level 3).
  public var score: String?
  /// POA&M usage and compliance status at Level 2.
  public var poamUsage: String?
  /// Who assessed.
  public var assessmentType: AssessmentType
  /// True when the assessor, not the organization, posts the result (C3PAO, DIBCAC).
  public var referenceOnly: Bool { assessmentType != .selfAssessment }

  enum CodingKeys: String, CodingKey {
    case level, status
    case statusDate = "status_date"
    case closeoutDeadline = "closeout_deadline"
    case scope
    case cageCodes = "cage_codes"
    case complianceResult = "compliance_result"
    case score
    case poamUsage = "poam_usage"
    case assessmentType = "assessment_type"
  }

  /// The entry for a report, the POA&M it produced (its ``POAMDocument/statusDate``) and the
  /// profile.
  public init(report: GapReport, document: POAMDocument, profile: SystemProfile?) {
    level = report.level
    status = report.status
    assessmentType = profile?.assessmentType ?? .selfAssessment
    scope = profile?.scope
    cageCodes = profile?.cageCodes ?? []
    statusDate = report.status == .notEligible ? nil : (document.statusDate ?? report.assessmentDate.iso)
    if report.status == .conditional, let date = statusDate.flatMap(CalendarDate.init(iso:)) {
      closeoutDeadline = date.adding(days: SPRSEntry.closeoutDays).iso
    }
    switch report.status {
    case .final:
      complianceResult =
        "Final Level \(report.level.rawValue) (\(report.level == .one ? "all requirements MET" : "every requirement MET"))"
    case .conditional:
      complianceResult = "Conditional Level \(report.level.rawValue) (open POA&M items)"
    case .notEligible:
      complianceResult =
        report.level == .one
        ? "Not compliant: Level 1 requires every requirement MET; no CMMC status"
        : "No CMMC status: the requirements for a Conditional status are not met"
    }
    if report.level == .two, let value = report.score, let maximum = report.maxScore {
      score = "\(value) out of \(maximum)"
      let open = document.activeItems.count
      switch report.status {
      case .final: poamUsage = "No POA&M (all requirements MET)"
      case .conditional:
        poamUsage =
          "POA&M in use: \(open) open item\(open == 1 ? "" : "s"); close out by \(closeoutDeadline ?? "status date + 180 days") (32 CFR 170.21(b))"
      case .notEligible:
        poamUsage = "POA&M not sufficient for a Conditional status: \(open) open item\(open == 1 ? "" : "s")"
      }
    }
  }

  /// The days a Conditional status lasts before it must be closed out (32 CFR 170.21(b)).
  public static let closeoutDays = 180

  /// The status date a run records: the prior's when the prior POA&M had the same level and a
  /// Conditional status that this run keeps; else this run's assessment date.
  public static func statusDate(report: GapReport, prior: POAMDocument?) -> String? {
    guard report.status != .notEligible else { return nil }
    if report.status == .conditional, let prior, prior.level == report.level, prior.certificationStatus == .conditional,
      let kept = prior.statusDate ?? (prior.assessmentDate.isEmpty ? nil : prior.assessmentDate),
      let keptDate = CalendarDate(iso: kept), keptDate <= report.assessmentDate
    {
      return keptDate.iso
    }
    return report.assessmentDate.iso
  }

  /// The section's heading.
  public var title: String { referenceOnly ? "SPRS entry (reference values)" : "SPRS entry" }

  /// The sentence under the heading.
  public var note: String {
    if referenceOnly {
      return
        "A \(assessmentType == .c3pao ? "C3PAO" : "DIBCAC") assessment is posted by the assessor through CMMC eMASS and flows to SPRS; these are poam's values for reference, not an entry to make."
    }
    return
      "What the Level \(level.rawValue) self-assessment posts in SPRS (32 CFR \(level == .one ? "170.15(a)(1)(i)" : "170.16(a)(1)(i)")); an affirmation by the affirming official follows."
  }

  /// The fields in posting order, label and value.
  public var rows: [(String, String)] {
    var rows: [(String, String)] = [
      ("CMMC Level", "Level \(level.rawValue)"),
      ("CMMC Status Date", statusDate ?? "none (no CMMC status)"),
    ]
    if let closeoutDeadline { rows.append(("Closeout deadline", closeoutDeadline)) }
    rows.append(("CMMC Assessment Scope", scope ?? "not given (set scope in poam.yml)"))
    rows.append(
      ("CAGE codes", cageCodes.isEmpty ? "not given (set cage_codes in poam.yml)" : cageCodes.joined(separator: ", ")))
    if let score { rows.append(("Score", score)) }
    rows.append(("Compliance result", complianceResult))
    if let poamUsage { rows.append(("POA&M", poamUsage)) }
    return rows
  }
}
