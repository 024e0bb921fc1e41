/// The verdict for a level as a whole: score, certification status and every reason it is not
/// final, in plain words with requirement IDs and the rule.
///
/// - **Level 1** (32 CFR 170.24(c)(1), 170.15, 170.21(a)(1)): no score; Final Level 1 (Self)
///   only when all 15 requirements are MET or N/A; otherwise not eligible (a POA&M is never
///   permitted, so there is no Conditional Level 1).
/// - **Level 2** (170.24(c)(2), 170.21(a)(2)): 110 minus the deductions. Final at 110 with
///   every requirement MET or N/A. Conditional when the score is at least 88 (0.8 × 110) and
///   every gap may be on a POA&M (1 point, or SC.L2-3.13.11 at 3, and none of the six named).
///   CA.L2-3.12.4 (the SSP) has no points, but without it the assessment cannot be completed
///   (170.24(c)(2)(i)(B)(5)): not eligible, whatever the score.
/// - **Level 3** (170.24(c)(3), 170.21(a)(3), 170.18(a)): the number of the 24 requirements
///   MET or N/A. It requires Final Level 2 (the maximum Level 2 score) for the same scope.
///   Final at 24 of 24; Conditional at 20 or more (0.8 × 24 = 19.2) with none of the seven
///   named requirements NOT MET.
enum LevelVerdict {
  /// Requirement counts.
  static func counts(_ results: [RequirementResult]) -> GapCounts {
    var counts = GapCounts()
    for result in results {
      switch result.status {
      case .met: counts.met += 1
      case .notMet: counts.notMet += 1
      case .notApplicable: counts.notApplicable += 1
      case .notAssessed: counts.notAssessed += 1
      }
    }
    return counts
  }

  static func levelOne(_ results: [RequirementResult]) -> LevelSummary {
    let gaps = results.filter { !$0.status.isSatisfied }
    guard !gaps.isEmpty else {
      return LevelSummary(
        level: .one, score: nil, maxScore: nil, minScore: nil, status: .final, reasons: [], counts: counts(results))
    }
    var reasons = [
      "Final Level 1 (Self) needs all \(results.count) requirements MET or N/A (32 CFR 170.24(c)(1), 170.15); a POA&M is not permitted at Level 1 (32 CFR 170.21(a)(1)), so there is no Conditional status. \(gapSummary(gaps))."
    ]
    reasons += gaps.map { "\($0.id) \($0.title) \(finding($0))." }
    return LevelSummary(
      level: .one, score: nil, maxScore: nil, minScore: nil, status: .notEligible, reasons: reasons,
      counts: counts(results))
  }

  static func levelTwo(_ results: [RequirementResult], scoring: LevelScoring, catalog: Catalog) -> LevelSummary {
    let score = scoring.maxScore - results.map(\.pointsDeducted).reduce(0, +)
    let gaps = results.filter { !$0.status.isSatisfied }
    func summary(_ status: CertificationStatus, _ reasons: [String]) -> LevelSummary {
      LevelSummary(
        level: .two, score: score, maxScore: scoring.maxScore, minScore: scoring.minScore, status: status,
        reasons: reasons, counts: counts(results))
    }
    guard !gaps.isEmpty else { return summary(.final, []) }

    let lost = scoring.maxScore - score
    var reasons = [
      "\(gapSummary(gaps)): \(Plural.count(lost, "point")) deducted from \(scoring.maxScore) (32 CFR 170.24(c)(2))."
    ]
    var blocked = false
    for ssp in gaps where ssp.points == nil {
      blocked = true
      reasons.append(
        "\(ssp.id) \(ssp.title) \(finding(ssp)): without a current System Security Plan the assessment cannot be completed (32 CFR 170.24(c)(2)(i)(B)(5)), and it may never be on a POA&M (32 CFR 170.21(a)(2)(iii))."
      )
    }
    if score < scoring.conditionalMinScore {
      blocked = true
      reasons.append(
        "The score \(score) is below \(scoring.conditionalMinScore) (0.8 × \(scoring.maxScore)), the minimum for Conditional Level 2 status (32 CFR 170.21(a)(2)(i))."
      )
    }
    let ineligible = gaps.filter { $0.points != nil && !$0.poamEligible }
    if !ineligible.isEmpty {
      blocked = true
      reasons += ineligibleReasons(ineligible, catalog: catalog, namedRule: "32 CFR 170.21(a)(2)(iii)")
    }
    reasons += notAssessedSummary(gaps)
    if !blocked {
      reasons.append(conditional(gaps, level: .two, minimum: scoring.conditionalMinScore))
    }
    return summary(blocked ? .notEligible : .conditional, reasons)
  }

  static func levelThree(
    _ results: [RequirementResult], prerequisite: LevelSummary, scoring: LevelScoring, catalog: Catalog
  ) -> LevelSummary {
    let score = scoring.maxScore - results.map(\.pointsDeducted).reduce(0, +)
    let gaps = results.filter { !$0.status.isSatisfied }
    func summary(_ status: CertificationStatus, _ reasons: [String]) -> LevelSummary {
      LevelSummary(
        level: .three, score: score, maxScore: scoring.maxScore, minScore: scoring.minScore, status: status,
        reasons: reasons, counts: counts(results))
    }
    var reasons: [String] = []
    var blocked = false
    if prerequisite.status != .final {
      blocked = true
      let levelTwoScore = prerequisite.score.map { "score \($0) of \(prerequisite.maxScore ?? 110)" } ?? "no score"
      reasons.append(
        "Level 2 is not Final (\(statusWords(prerequisite.status)), \(levelTwoScore)): a Level 3 assessment requires Final Level 2, the maximum Level 2 score, for the same scope, with any Level 2 POA&M closed (32 CFR 170.24(c)(3), 170.18(a)). See the Level 2 prerequisite's reasons."
      )
    }
    if gaps.isEmpty {
      return summary(blocked ? .notEligible : .final, reasons)
    }
    reasons.insert("\(gapSummary(gaps)): Level 3 score \(score) of \(scoring.maxScore) (32 CFR 170.24(c)(3)).", at: 0)
    if score < scoring.conditionalMinScore {
      blocked = true
      reasons.append(
        "The Level 3 score \(score) is below \(scoring.conditionalMinScore) (0.8 × \(scoring.maxScore) = \(tenths(scoring.maxScore * 8)), rounded up), the minimum for Conditional Level 3 status (32 CFR 170.21(a)(3)(i))."
      )
    }
    let ineligible = gaps.filter { !$0.poamEligible }
    if !ineligible.isEmpty {
      blocked = true
      reasons += ineligibleReasons(ineligible, catalog: catalog, namedRule: "32 CFR 170.21(a)(3)(ii)")
    }
    reasons += notAssessedSummary(gaps)
    if !blocked {
      reasons.append(conditional(gaps, level: .three, minimum: scoring.conditionalMinScore))
    }
    return summary(blocked ? .notEligible : .conditional, reasons)
  }

  // MARK: - Wording

  /// "3 requirements are NOT MET and 2 were not assessed"
  static func gapSummary(_ gaps: [RequirementResult]) -> String {
    let failed = gaps.filter { $0.status == .notMet }.count
    let missing = gaps.filter { $0.status == .notAssessed }.count
    var parts: [String] = []
    if failed > 0 { parts.append("\(failed) requirement\(failed == 1 ? " is" : "s are") NOT MET") }
    if missing > 0 {
      parts.append(
        "\(missing) requirement\(missing == 1 ? " was" : "s were") not assessed (no evidence; scored as NOT MET)")
    }
    return parts.joined(separator: " and ")
  }

  /// "is NOT MET (objectives b, d)", "is NOT MET, partly implemented", "was not assessed (no evidence)"
  static func finding(_ result: RequirementResult) -> String {
    switch result.status {
    case .notAssessed:
      return "was not assessed (no evidence; scored as NOT MET)"
    case .notMet:
      let failing = result.failingObjectives
      var text = result.partial ? "is NOT MET, partly implemented" : "is NOT MET"
      if !failing.isEmpty && failing.count < result.objectives.count {
        text += " (objective\(failing.count == 1 ? "" : "s") \(failing.joined(separator: ", ")))"
      }
      return text
    case .met, .notApplicable:
      return "is \(result.status.rawValue)"
    }
  }

  /// Why gaps keep the level from Conditional status, grouped by rule so that a report with
  /// many gaps stays readable: the named exclusions, the point-value limit, and one sentence
  /// for each gap under any other rule (SC.L2-3.13.11 at 5 points, a custom catalog's rule).
  /// Each gap is named with its finding and points.
  static func ineligibleReasons(_ gaps: [RequirementResult], catalog: Catalog, namedRule: String) -> [String] {
    func tag(_ gap: RequirementResult) -> String {
      var words: [String] = []
      if gap.status == .notAssessed { words.append("no evidence") } else if gap.partial { words.append("partial") }
      if gap.level != .one, gap.points != nil { words.append("\(gap.pointsDeducted) pt") }
      return words.isEmpty ? gap.id : "\(gap.id) (\(words.joined(separator: ", ")))"
    }
    var named: [RequirementResult] = []
    var overOne: [RequirementResult] = []
    var other: [RequirementResult] = []
    for gap in gaps {
      let requirement = catalog.requirement(id: gap.id)
      if requirement?.poam.excludedByName == true {
        named.append(gap)
      } else if gap.level == .two, gap.pointsDeducted > 1, requirement?.poam.condition == nil {
        overOne.append(gap)
      } else {
        other.append(gap)
      }
    }
    var reasons: [String] = []
    if !named.isEmpty {
      reasons.append(
        "Named in \(namedRule) as never allowed on a POA&M: \(named.map(tag).joined(separator: ", "))."
      )
    }
    if !overOne.isEmpty {
      reasons.append(
        "Worth more than 1 point, so not allowed on a POA&M (32 CFR 170.21(a)(2)(ii)): \(overOne.map(tag).joined(separator: ", "))."
      )
    }
    for gap in other {
      reasons.append("\(gap.id) \(gap.title) \(finding(gap)) and may not be on a POA&M: \(gap.poamReason)")
    }
    return reasons
  }

  static func notAssessedSummary(_ gaps: [RequirementResult]) -> [String] {
    let missing = gaps.filter { $0.status == .notAssessed }.map(\.id)
    guard !missing.isEmpty else { return [] }
    let shown =
      missing.prefix(12).joined(separator: ", ") + (missing.count > 12 ? " and \(missing.count - 12) more" : "")
    return [
      "No evidence for \(Plural.count(missing.count, "requirement")), each scored as NOT MET until assessed: \(shown)."
    ]
  }

  static func conditional(_ gaps: [RequirementResult], level: CMMCLevel, minimum: Int) -> String {
    let ids = gaps.map(\.id).joined(separator: ", ")
    let rule = level == .two ? "32 CFR 170.21(a)(2)" : "32 CFR 170.21(a)(3)"
    return
      "Conditional Level \(level.rawValue): the score is at least \(minimum) and every gap may be on a POA&M (\(ids)) (\(rule)). The status expires unless a POA&M closeout assessment confirms every item closed within 180 days (32 CFR 170.21(b))."
  }

  /// A number of tenths written exactly: 192 → "19.2", 880 → "88".
  static func tenths(_ value: Int) -> String {
    value % 10 == 0 ? "\(value / 10)" : "\(value / 10).\(abs(value % 10))"
  }

  static func statusWords(_ status: CertificationStatus) -> String {
    switch status {
    case .final: return "Final"
    case .conditional: return "Conditional"
    case .notEligible: return "not eligible"
    }
  }
}
