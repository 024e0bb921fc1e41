import Foundation

/// Options for ``GapEngine``.
public struct GapOptions: Sendable {
  /// Who wins when an assessor's determination and automated evidence disagree.
  public enum EvidencePolicy: String, Sendable, CaseIterable, Codable {
    /// The assessor's determination stands; the disagreement is reported as a conflict.
    case assessor
    /// Failing automated evidence overrides a MET determination.
    case strict
  }

  /// The target level.
  public var level: CMMCLevel
  /// The evidence policy.
  public var evidencePolicy: EvidencePolicy
  /// The assessment date, `YYYY-MM-DD`.
  public var assessmentDate: String

  /// Creates options.
  public init(level: CMMCLevel = .two, evidencePolicy: EvidencePolicy = .assessor, assessmentDate: String) {
    self.level = level
    self.evidencePolicy = evidencePolicy
    self.assessmentDate = assessmentDate
  }
}
