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
  /// The assessment date (written `YYYY-MM-DD` in reports).
  public var assessmentDate: CalendarDate

  /// Creates options.
  public init(level: CMMCLevel = .two, evidencePolicy: EvidencePolicy = .assessor, assessmentDate: CalendarDate) {
    self.level = level
    self.evidencePolicy = evidencePolicy
    self.assessmentDate = assessmentDate
  }
}

/// Decides, for one target level, what is MET and what is a gap, scores it and says what the
/// result means for certification: the rules of 32 CFR 170.24 (findings, roll-up, scoring) and
/// 170.21 (POA&M and Conditional status).
///
/// The engine is pure: the same observations, inputs, diagnostics, catalog and options always
/// give the same ``GapReport`` (requirements in catalog order, evidence in input order), so its
/// JSON is byte-identical run after run. It does no I/O and reads no clock.
///
/// How the evidence is weighed:
/// - Each observation's targets are mapped into the target level's scope (``ScopeCrosswalk``):
///   Level 1 credits Level 2 evidence through the catalog's one-to-one equivalents (and
///   PE.L1-b.1.ix objective by objective from PE.L2-3.10.3/3.10.4/3.10.5), Levels 2 and 3 credit
///   Level 1 evidence the same way. Targets outside the scope are ignored and counted in one
///   note diagnostic.
/// - Objectives are rolled up into requirement findings (``ObjectiveRollup``): worst wins
///   across assets and files, the assessor stands against automated evidence unless the policy
///   is `strict`, N/A counts as MET; a checklist's or tool's result decides only the objectives
///   it names, and only an assessor makes anything N/A. Each objective and requirement records
///   who decided it (``EvidenceBasis``), and the report's ``GapCoverage`` says how many
///   objectives any evidence decided.
/// - Deductions and POA&M eligibility per requirement (``RequirementScoring``), then the level's
///   score, status and reasons (``LevelVerdict``).
public struct GapEngine: Sendable {
  /// The catalog scored against.
  public let catalog: Catalog
  /// Level, evidence policy and date.
  public let options: GapOptions

  /// Creates an engine.
  public init(catalog: Catalog, options: GapOptions) {
    self.catalog = catalog
    self.options = options
  }

  /// Evaluates resolved observations for the target level.
  /// - Parameters:
  ///   - observations: what the importers read, resolved to CMMC requirements.
  ///   - inputs: the inputs read, in order (recorded in the report).
  ///   - diagnostics: import and resolve diagnostics; they lead the report's own.
  public func evaluate(_ observations: [ResolvedObservation], inputs: [String], diagnostics: [Diagnostic]) -> GapReport
  {
    evaluate(collector.collect(observations), inputs: inputs, diagnostics: diagnostics)
  }

  /// The collector for this engine's level.
  var collector: EvidenceCollector {
    EvidenceCollector(catalog: catalog, crosswalk: ScopeCrosswalk(catalog: catalog, level: options.level))
  }

  /// Evaluates evidence already folded (``EvidenceCollector/fold(_:_:input:into:detailWindow:record:)``).
  func evaluate(_ collected: EvidenceCollector.Outcome, inputs: [String], diagnostics: [Diagnostic]) -> GapReport {
    var engineDiagnostics = collected.diagnostics
    let tally = collected.tally

    var results: [RequirementResult] = []
    for requirement in catalog.scope(of: options.level) {
      let found = tally.requirements[requirement.id] ?? RequirementTally()
      let rollup = ObjectiveRollup.rollUp(requirement, tally: found, policy: options.evidencePolicy)
      engineDiagnostics += rollup.diagnostics
      let scored = RequirementScoring.score(requirement, rollup: rollup)
      let evidence = found.exemplarsInOrder.map(\.evidence)
      var result = RequirementResult(
        id: requirement.id, level: requirement.level, family: requirement.family, title: requirement.title,
        status: rollup.status, partial: scored.partial, pointsDeducted: scored.deduction,
        points: requirement.points, poamEligible: scored.poamEligible, poamReason: scored.poamReason,
        objectives: rollup.objectives, evidence: evidence, conflicts: rollup.conflicts,
        indirect: found.total > 0 && found.direct == 0, basis: rollup.basis,
        objectiveBasis: rollup.objectiveBasis)
      if found.total > 0 { result.evidenceSummary = Self.summary(found, tally: tally) }
      results.append(result)
    }
    let verdict: LevelSummary
    var prerequisite: LevelSummary?
    switch options.level {
    case .one:
      verdict = LevelVerdict.levelOne(results)
    case .two:
      verdict = LevelVerdict.levelTwo(results, scoring: scoring(.two), catalog: catalog)
    case .three:
      let levelTwo = LevelVerdict.levelTwo(
        results.filter { $0.level == .two }, scoring: scoring(.two), catalog: catalog)
      prerequisite = levelTwo
      verdict = LevelVerdict.levelThree(
        results.filter { $0.level == .three }, prerequisite: levelTwo, scoring: scoring(.three), catalog: catalog)
    }

    return GapReport(
      toolVersion: ToolInfo.version, catalogVersion: catalog.version, level: options.level,
      assessmentDate: options.assessmentDate, evidencePolicy: options.evidencePolicy.rawValue, inputs: inputs,
      score: verdict.score, maxScore: verdict.maxScore, minScore: verdict.minScore, status: verdict.status,
      reasons: verdict.reasons, counts: verdict.counts, prerequisite: prerequisite, requirements: results,
      diagnostics: diagnostics + engineDiagnostics)
  }

  /// The counts behind a requirement's finding, for the report.
  static func summary(_ found: RequirementTally, tally: EvidenceTally) -> EvidenceSummary {
    var byStatus: [String: [String: Int]] = [:]
    for (key, count) in found.counts where count > 0 {
      byStatus[key.status?.rawValue ?? EvidenceSummary.unrecognised, default: [:]][key.kind.rawValue, default: 0] +=
        count
    }
    var assetsByStatus: [String: Int] = [:]
    var all = Set<Int32>()
    for (status, assets) in found.assets where !assets.isEmpty {
      assetsByStatus[status?.rawValue ?? EvidenceSummary.unrecognised] = assets.count
      all.formUnion(assets)
    }
    // Affected: the assets of the evidence against the requirement (NOT MET or partial); when
    // none speaks against it, of the evidence that does not satisfy it (the POA&M's rule).
    let failing = found.counts.contains { $0.value > 0 && ($0.key.status == .notMet || $0.key.status == .partial) }
    let affected =
      failing
      ? (found.assets[.notMet] ?? []).union(found.assets[.partial] ?? [])
      : (found.assets[.notAssessed] ?? []).union(found.assets[nil] ?? [])
    let names = tally.names(affected)
    return EvidenceSummary(
      results: found.total, listed: found.exemplars.count, byStatus: byStatus, assets: all.count,
      assetsByStatus: assetsByStatus, affectedAssets: Array(names.prefix(EvidenceSummary.affectedAssetLimit)),
      affectedAssetCount: names.count)
  }

  /// The level's scoring parameters from the catalog, or ones derived from its requirements
  /// when a user's catalog has none: maximum = number of requirements (170.24(c)(2)–(3)),
  /// minimum = maximum − every worst-case deduction, conditional = ⌈0.8 × maximum⌉ (170.21(a)).
  func scoring(_ level: CMMCLevel) -> LevelScoring {
    if let scoring = catalog.scoring(level) { return scoring }
    let requirements = catalog.requirements(level: level)
    let maximum = requirements.count
    let worst = requirements.map(\.maxDeduction).reduce(0, +)
    return LevelScoring(
      maxScore: maximum, minScore: maximum - worst, conditionalMinScore: (maximum * 8 + 9) / 10,
      basis: "derived from the catalog's requirements (32 CFR 170.24(c), 170.21(a))")
  }
}
