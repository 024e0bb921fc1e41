import Foundation
import Testing

@testable import POAMKit

/// Builds resolved observations and runs the gap engine, for the gap tests.
enum GapFixture {
  static var catalog: Catalog { TestCatalog.shared }
  static let date = "2026-11-02"

  /// One observation on a requirement (canonical ID), as an importer and the resolver would give it.
  static func observation(
    _ requirement: String, _ status: Status?, objective: String? = nil, kind: ObservationKind = .assessor,
    asset: String? = nil, via: ResolutionPath = .direct, source: String = "assessment.csv", line: Int? = nil,
    partialPoints: Int? = nil, comments: String? = nil
  ) -> ResolvedObservation {
    let written = requirement + (objective.map { "[\($0)]" } ?? "")
    let observation = Observation(
      source: source, location: line.map { "\($0)" } ?? "", line: line, asset: asset.flatMap { Asset(hostName: $0) },
      kind: kind, refs: [Reference(.requirement, written)], rawStatus: status?.label ?? "banana", status: status,
      comments: comments, partialPoints: partialPoints)
    return ResolvedObservation(
      observation: observation, targets: [RequirementTarget(requirement: requirement, objective: objective, via: via)])
  }

  /// One whole-requirement observation with `status` for every requirement of a level.
  static func all(_ status: Status, level: CMMCLevel, except skipped: Set<String> = []) -> [ResolvedObservation] {
    catalog.requirements(level: level).filter { !skipped.contains($0.id) }.enumerated().map { index, requirement in
      observation(requirement.id, status, line: index + 2)
    }
  }

  /// Every Level 2 (or Level 1 / 3 scope) requirement MET, except those given NOT MET.
  static func scope(_ level: CMMCLevel, notMet: [String] = [], extra: [ResolvedObservation] = [])
    -> [ResolvedObservation]
  {
    let failing = Set(notMet)
    let levels: [CMMCLevel] = level == .three ? [.two, .three] : [level]
    var observations = levels.flatMap { all(.met, level: $0, except: failing) }
    observations += notMet.map { observation($0, .notMet) }
    return observations + extra
  }

  static func evaluate(
    _ observations: [ResolvedObservation], level: CMMCLevel = .two, policy: GapOptions.EvidencePolicy = .assessor,
    diagnostics: [Diagnostic] = []
  ) -> GapReport {
    GapEngine(
      catalog: catalog,
      options: GapOptions(level: level, evidencePolicy: policy, assessmentDate: CalendarDate(iso: date)!)
    )
    .evaluate(observations, inputs: ["assessment.csv"], diagnostics: diagnostics)
  }

  /// Reads a native JSON fixture through the real import and resolve stages and evaluates it.
  static func evaluateFile(
    _ relative: String, level: CMMCLevel, policy: GapOptions.EvidencePolicy = .assessor
  ) throws -> GapReport {
    let path = Paths.fixtures.appendingPathComponent(relative).path
    let imported = try ImportPipeline().run([path])
    let resolved = ObservationResolver(catalog: catalog).resolve(imported.observations)
    return GapEngine(
      catalog: catalog,
      options: GapOptions(level: level, evidencePolicy: policy, assessmentDate: CalendarDate(iso: date)!)
    )
    .evaluate(
      resolved.observations, inputs: imported.inputs.map(\.name),
      diagnostics: imported.diagnostics + resolved.diagnostics)
  }
}

extension GapReport {
  /// The result for one requirement (the test fails when it is missing).
  func result(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> RequirementResult {
    try #require(requirements.first { $0.id == id }, "no result for \(id)", sourceLocation: sourceLocation)
  }
}

/// A small deterministic random number generator (SplitMix64) so property tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
