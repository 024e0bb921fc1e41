import Foundation

/// A level on the eMASS / NIST SP 800-30 five-step scale.
enum RiskLevel: Int, Sendable, Hashable, Comparable, CaseIterable {
  case veryLow = 0
  case low
  case moderate
  case high
  case veryHigh

  /// Very Low, Low, Moderate, High, Very High: eMASS's words.
  public var label: String {
    switch self {
    case .veryLow: return "Very Low"
    case .low: return "Low"
    case .moderate: return "Moderate"
    case .high: return "High"
    case .veryHigh: return "Very High"
    }
  }

  /// `low`, `moderate`, `high`... for OSCAL facets.
  public var oscal: String { label.lowercased().replacingOccurrences(of: " ", with: "-") }

  public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool { lhs.rawValue < rhs.rawValue }

  init(_ severity: POAMSeverity) {
    switch severity {
    case .low: self = .low
    case .moderate: self = .moderate
    case .high: self = .high
    }
  }

  /// Reads the eMASS words (and Medium).
  public static func parse(_ text: String) -> RiskLevel? {
    switch text.lowercased().filter({ $0.isLetter }) {
    case "verylow": return .veryLow
    case "low": return .low
    case "moderate", "medium": return .moderate
    case "high": return .high
    case "veryhigh": return .veryHigh
    default: return nil
    }
  }
}

/// poam's default risk columns for an item, from the requirement's point value and the STIG
/// category of the failing checks. They are defaults, not a risk assessment: a value a person
/// writes in the spreadsheet is kept (see ``POAMTable``).
///
/// - **Raw Severity**: the worst STIG category of the failing checks (CAT I High, CAT II
///   Moderate, CAT III Low); without one, the point value (5 High, 3 Moderate, 1 Low; Level 1
///   requirements and the SSP High).
/// - **Severity**: poam's severity, the point value raised to the STIG category.
/// - **Impact**: from the point value (DoD weights a requirement by the impact of its absence
///   on CUI): 5 High, 3 Moderate, 1 Low; Level 1 and Level 3 (no point value) High.
/// - **Likelihood**: from the STIG category when a scanner found it (CAT I High, CAT II
///   Moderate, CAT III Low); Moderate for an assessor's finding alone.
/// - **Relevance of Threat**: Moderate for every item: CUI is a target of adversarial threat
///   sources, and poam has no threat intelligence to say more.
/// - **Residual Risk Level**: likelihood and impact combined by NIST SP 800-30 Rev. 1 Table I-2,
///   before mitigations (poam does not weigh them).
struct RiskDefaults: Sendable, Hashable {
  /// eMASS Raw Severity.
  public var rawSeverity: RiskLevel
  /// eMASS Severity.
  public var severity: RiskLevel
  /// eMASS Relevance of Threat.
  public var relevanceOfThreat: RiskLevel
  /// eMASS Likelihood.
  public var likelihood: RiskLevel
  /// eMASS Impact.
  public var impact: RiskLevel
  /// eMASS Residual Risk Level.
  public var residualRisk: RiskLevel
  /// What the values come from, in words.
  public var basis: String

  /// The defaults for an item.
  public init(_ item: POAMItem) {
    let category = item.rawSeverity.flatMap(POAMSeverity.parse)
    let pointsLevel: RiskLevel
    switch item.points {
    case 5?: pointsLevel = .high
    case 3?: pointsLevel = .moderate
    case 1?: pointsLevel = .low
    case nil: pointsLevel = .high  // Level 1 and Level 3 carry no point value.
    default: pointsLevel = .moderate
    }
    impact = pointsLevel
    likelihood = category.map(RiskLevel.init) ?? .moderate
    rawSeverity = category.map(RiskLevel.init) ?? impact
    severity = RiskLevel(item.severity)
    relevanceOfThreat = .moderate
    residualRisk = RiskDefaults.combine(likelihood: likelihood, impact: impact)
    var basis = item.points.map { "\($0) point\($0 == 1 ? "" : "s")" } ?? "no point value"
    if let raw = item.rawSeverity { basis += " and STIG \(raw)" }
    self.basis = basis
  }

  /// NIST SP 800-30 Rev. 1 Table I-2 (level of risk from likelihood and impact).
  public static func combine(likelihood: RiskLevel, impact: RiskLevel) -> RiskLevel {
    let table: [[RiskLevel]] = [
      // impact: Very Low, Low, Moderate, High, Very High
      [.veryLow, .veryLow, .veryLow, .low, .low],  // likelihood Very Low
      [.veryLow, .low, .low, .low, .moderate],  // Low
      [.veryLow, .low, .moderate, .moderate, .high],  // Moderate
      [.veryLow, .low, .moderate, .high, .veryHigh],  // High
      [.veryLow, .low, .moderate, .high, .veryHigh],  // Very High
    ]
    return table[likelihood.rawValue][impact.rawValue]
  }
}
