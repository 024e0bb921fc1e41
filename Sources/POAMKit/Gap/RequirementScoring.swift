/// One requirement's deduction and POA&M eligibility.
struct ScoredRequirement: Sendable, Hashable {
  /// Points subtracted from the level's score.
  var deduction: Int
  /// True when the partial-credit deduction applied.
  var partial: Bool
  /// Whether the gap may be on a POA&M for a Conditional status.
  var poamEligible: Bool
  /// Why, with the rule.
  var poamReason: String
}

/// Deductions and POA&M eligibility per requirement (32 CFR 170.24(c), 170.21(a)).
///
/// - A requirement MET or N/A deducts nothing and needs no POA&M item.
/// - NOT MET and not assessed (no evidence: an assessor cannot credit it) deduct the catalog's
///   value: 5, 3 or 1 at Level 2 (170.24(c)(2)(i)(B)(1)–(3)), 1 at Level 3 (170.24(c)(3)),
///   nothing at Level 1, which has no points, and nothing for CA.L2-3.12.4, which has no
///   value (170.24(c)(2)(i)(B)(5)).
/// - IA.L2-3.5.3 and SC.L2-3.13.11 deduct their partial value (3) when the only failures are
///   partial (``PartialCredit``); a requirement without evidence always deducts its full value.
/// - Level 1: never on a POA&M (170.21(a)(1)). Level 2: only 1-point requirements, plus
///   SC.L2-3.13.11 in its 3-point case, and never the six named in 170.21(a)(2)(iii).
///   Level 3: any Level 3 requirement except the seven named in 170.21(a)(3)(ii).
enum RequirementScoring {
  static func score(_ requirement: Requirement, rollup: Rollup) -> ScoredRequirement {
    switch rollup.status {
    case .met:
      return ScoredRequirement(
        deduction: 0, partial: false, poamEligible: false, poamReason: "No POA&M item needed: the requirement is MET.")
    case .notApplicable:
      return ScoredRequirement(
        deduction: 0, partial: false, poamEligible: false,
        poamReason: "No POA&M item needed: N/A counts as MET (32 CFR 170.24(b)).")
    case .notMet, .notAssessed:
      break
    }
    switch requirement.level {
    case .one:
      return ScoredRequirement(
        deduction: 0, partial: false, poamEligible: false,
        poamReason: "32 CFR 170.21(a)(1): a POA&M is not permitted at Level 1; every requirement must be MET.")
    case .three:
      let eligible = requirement.poam.allowed && !requirement.poam.excludedByName
      return ScoredRequirement(
        deduction: requirement.points ?? 1, partial: false, poamEligible: eligible,
        poamReason: requirement.poam.reason)
    case .two:
      let partialValues = (requirement.partialPoints ?? []).map(\.points)
      let partial = rollup.status == .notMet && rollup.partial && !partialValues.isEmpty
      let deduction = partial ? partialValues.min()! : (requirement.points ?? 0)
      if requirement.poam.excludedByName || !requirement.poam.allowed {
        return ScoredRequirement(
          deduction: deduction, partial: partial, poamEligible: false, poamReason: requirement.poam.reason)
      }
      if deduction > 1 && !(partial && requirement.poam.condition != nil) {
        var reason =
          "32 CFR 170.21(a)(2)(ii): \(rollup.status == .notAssessed ? "not assessed, so scored" : "NOT MET") at \(Plural.count(deduction, "point")); only 1-point requirements may be on a POA&M"
        if let condition = requirement.poam.condition { reason += ". \(condition)" } else { reason += "." }
        return ScoredRequirement(deduction: deduction, partial: partial, poamEligible: false, poamReason: reason)
      }
      return ScoredRequirement(
        deduction: deduction, partial: partial, poamEligible: true, poamReason: requirement.poam.reason)
    }
  }
}
