import Foundation
import Synchronization
import Testing

@testable import POAMKit

/// The resolver and the evidence collector split large inputs over two cores. Split or not,
/// they must give the same outcome, in the same order.
@Suite struct SplitWorkTests {
  /// Observations with every kind of reference, some unresolvable, from two sources.
  static func observations(count: Int, seed: UInt64) -> [Observation] {
    let requirements = [
      "3.1.1", "AC.L2-3.1.2", "3.1.1[a]", "3.13.11", "IA.L2-3.5.3", "3.99.1", "AC.L1-b.1.i", "b.1.iii", "3.1.1.z",
    ]
    let ccis = ["CCI-000015", "CCI-2", "CCI-000213", "CCI-999999", "CCI-001494", "not-a-cci"]
    let controls = ["AC-2", "AC-3(4)", "SI-4(12)", "XX-9", "SC-13", "AC-2 (1)"]
    let statuses: [Status?] = [.met, .notMet, .partial, .notApplicable, .notAssessed, nil]
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { index in
      var refs: [Reference] = []
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: refs.append(Reference(.requirement, requirements.randomElement(using: &generator)!))
        case 1: refs.append(Reference(.cci, ccis.randomElement(using: &generator)!))
        case 2: refs.append(Reference(.sp80053, controls.randomElement(using: &generator)!))
        default: refs.append(Reference(.xccdfRule, "rule_\(index % 7)"))
        }
      }
      let status = statuses.randomElement(using: &generator)!
      return Observation(
        source: index % 3 == 0 ? "b.xml" : "a.xml", location: "rule[\(index)]", line: index,
        kind: Bool.random(using: &generator) ? .assessor : .automated, refs: refs,
        rawStatus: status?.rawValue ?? "odd", status: status, title: "Title \(index % 11)",
        details: String(repeating: "detail \(index) ", count: index % 40), comments: index % 5 == 0 ? "note" : nil,
        partialPoints: index % 13 == 0 ? 3 : nil)
    }
  }

  static let cciList = CCIList(
    version: "test",
    rev4: ["CCI-000015": ["AC-2"], "CCI-000002": ["AC-3(4)", "XX-9"], "CCI-000213": ["AC-3"]],
    rev5: ["CCI-000015": ["AC-2(1)"], "CCI-001494": ["AU-9"], "CCI-999999": ["XX-1"]])

  @Test(arguments: [0, 1, 399, 400, 1_001])
  func resolvingInTwoRunsGivesWhatOneRunGives(count: Int) {
    let observations = Self.observations(count: count, seed: UInt64(count) + 7)
    let resolver = ObservationResolver(catalog: TestCatalog.shared, cciList: Self.cciList)
    let whole = resolver.resolve(observations, minimumPerPart: .max)
    let split = resolver.resolve(observations, minimumPerPart: 1)
    #expect(split.observations == whole.observations)
    #expect(split.diagnostics == whole.diagnostics)
    #expect(split.unresolvedByKind == whole.unresolvedByKind)
    #expect(resolver.resolve(observations).observations == whole.observations)
    if count > 100 {
      #expect(!whole.diagnostics.isEmpty)
      #expect(whole.observations.contains { $0.targets.contains { $0.via == .cci } })
    }
  }

  @Test(arguments: [CMMCLevel.one, .two, .three])
  func collectingInTwoRunsGivesWhatOneRunGives(level: CMMCLevel) throws {
    let observations = Self.observations(count: 900, seed: 11)
    let resolved = ObservationResolver(catalog: TestCatalog.shared, cciList: Self.cciList).resolve(observations)
    let collector = EvidenceCollector(
      catalog: TestCatalog.shared, crosswalk: ScopeCrosswalk(catalog: TestCatalog.shared, level: level))
    let whole = collector.collect(resolved.observations, minimumPerPart: .max)
    let split = collector.collect(resolved.observations, minimumPerPart: 1)
    #expect(split.diagnostics == whole.diagnostics)
    #expect(Set(split.tally.requirements.keys) == Set(whole.tally.requirements.keys))
    #expect(!whole.tally.requirements.isEmpty)
    for (requirement, found) in whole.tally.requirements {
      let other = try #require(split.tally.requirements[requirement])
      #expect(other.exemplarsInOrder == found.exemplarsInOrder, "\(requirement)")
      #expect(other.total == found.total && other.counts == found.counts, "\(requirement)")
      #expect(other.objectives == found.objectives, "\(requirement)")
    }
    let engine = GapEngine(catalog: TestCatalog.shared, options: GapOptions(level: level, assessmentDate: .today()))
    #expect(
      engine.evaluate(split, inputs: [], diagnostics: []) == engine.evaluate(whole, inputs: [], diagnostics: []))
  }

  @Test func rangesCoverTheWorkInOrder() {
    let split = Parallel.ranges(1_001, minimumPerPart: 10) { $0 }
    #expect(split.first?.lowerBound == 0 && split.last?.upperBound == 1_001)
    #expect(zip(split, split.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    if ProcessInfo.processInfo.activeProcessorCount > 1 { #expect(split.count == 2) }
    #expect(Parallel.ranges(19, minimumPerPart: 10) { $0 } == [0..<19])
    #expect(Parallel.ranges(0, minimumPerPart: 10) { $0 } == [0..<0])
  }

  final class Payload: Sendable {}

  @Test func takeLeavesTheValueToTheCaller() throws {
    weak var watched: Payload?
    let work = BackgroundWork { Payload() }
    do {
      let payload = try work.take()
      watched = payload
      #expect(watched != nil)
    }
    // The work holds the value no longer: with the caller's copy gone, it is freed.
    #expect(watched == nil)
  }
}
