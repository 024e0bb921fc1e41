import Foundation

/// The CMMC catalog: every requirement of Levels 1–3 with objectives, points, POA&M rules and
/// mappings, plus indices to find a requirement by any of its numbers.
///
/// A catalog is an immutable value; load the bundled one with ``Catalog/bundled()`` or a user's
/// own with ``Catalog/load(from:)``.
public struct Catalog: Sendable {
  /// The manifest: version, sources, families, scoring.
  public let manifest: CatalogManifest
  /// Every requirement in catalog order (Level 1, Level 2 by family, Level 3).
  public let requirements: [Requirement]
  /// The CMMC 1.0 practice table, when the catalog has one.
  public let cmmcV1: CMMCv1Mapping?
  /// The NIST SP 800-171 Rev 3 table, when the catalog has one.
  public let rev3: Rev3Mapping?
  /// The NIST SP 800-53 → assessment objective table, when the catalog has one.
  public let objectiveMap: SP80053ObjectiveMap?

  private let indexByID: [String: Int]
  private let indexByNumber: [String: Int]
  private let familyNames: [String: String]

  /// The catalog version string.
  public var version: String { manifest.catalogVersion }

  /// Builds a catalog from its parts and checks it; `origin` names the source in errors.
  public init(
    manifest: CatalogManifest, requirements: [Requirement], cmmcV1: CMMCv1Mapping?,
    rev3: Rev3Mapping?, objectiveMap: SP80053ObjectiveMap? = nil, origin: String
  ) throws {
    try self.init(
      manifest: manifest, requirements: requirements, cmmcV1: cmmcV1, rev3: rev3, objectiveMap: objectiveMap,
      origin: origin, checkingRules: true)
  }

  /// Builds a catalog; with `checkingRules` false only the indices' own checks (duplicate IDs
  /// and numbers) run. That is for the bundled catalog alone: it is `controls/` byte for byte,
  /// which the tests load and check in full (`EmbeddedCatalogTests`), so every run need not
  /// check it again.
  init(
    manifest: CatalogManifest, requirements: [Requirement], cmmcV1: CMMCv1Mapping?,
    rev3: Rev3Mapping?, objectiveMap: SP80053ObjectiveMap?, origin: String, checkingRules: Bool
  ) throws {
    self.manifest = manifest
    self.requirements = requirements
    self.cmmcV1 = cmmcV1
    self.rev3 = rev3
    self.objectiveMap = objectiveMap
    var byID: [String: Int] = [:]
    var byNumber: [String: Int] = [:]
    let families = Dictionary(manifest.families.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    self.familyNames = families
    for (index, requirement) in requirements.enumerated() {
      if checkingRules { try CatalogValidator.check(requirement, families: families, origin: origin) }
      if byID[requirement.id.uppercased()] != nil {
        throw CatalogError.invalid(path: origin, requirement: requirement.id, problem: "duplicate requirement ID")
      }
      byID[requirement.id.uppercased()] = index
      let number = requirement.nistID.lowercased()
      if byNumber[number] != nil {
        throw CatalogError.invalid(
          path: origin, requirement: requirement.id, problem: "duplicate number \(requirement.nistID)")
      }
      byNumber[number] = index
    }
    self.indexByID = byID
    self.indexByNumber = byNumber
    guard checkingRules else { return }
    try CatalogValidator.checkCrossReferences(requirements, byID: byID, origin: origin)
    if let problem = objectiveMap?.problems(catalog: self).first {
      throw CatalogError.invalid(path: origin, requirement: nil, problem: "NIST SP 800-53 objective table: \(problem)")
    }
  }

  /// The requirement with that canonical ID (case-insensitive), such as `AC.L2-3.1.1`.
  public func requirement(id: String) -> Requirement? {
    index(ofID: id).map { requirements[$0] }
  }

  /// The position in ``requirements`` of the requirement with an ID (any case), without
  /// copying the requirement.
  func index(ofID id: String) -> Int? {
    indexByID[id.uppercased()]
  }

  /// The requirement with that FAR, SP 800-171 or SP 800-172 number (`b.1.i`, `3.1.1`, `3.1.2e`).
  public func requirement(number: String) -> Requirement? {
    indexByNumber[number.lowercased()].map { requirements[$0] }
  }

  /// The requirements of one level, in catalog order.
  public func requirements(level: CMMCLevel) -> [Requirement] {
    requirements.filter { $0.level == level }
  }

  /// The requirements a target level is assessed on: Level 3 includes Level 2's.
  public func scope(of level: CMMCLevel) -> [Requirement] {
    switch level {
    case .one: return requirements(level: .one)
    case .two: return requirements(level: .two)
    case .three: return requirements.filter { $0.level == .two || $0.level == .three }
    }
  }

  /// The family name for a code (`AC` → `Access Control`).
  public func familyName(_ code: String) -> String {
    familyNames[code] ?? code
  }

  /// Scoring parameters for a level (Level 1 has none).
  public func scoring(_ level: CMMCLevel) -> LevelScoring? {
    manifest.scoring[String(level.rawValue)]
  }

  /// The canonical IDs nearest to an unknown input, for "did you mean" messages.
  public func suggestions(for input: String, limit: Int = 3) -> [String] {
    let needle = input.lowercased()
    let scored = requirements.map { requirement -> (String, Int) in
      let byID = EditDistance.between(needle, requirement.id.lowercased())
      let byNumber = EditDistance.between(needle, requirement.nistID.lowercased())
      return (requirement.id, min(byID, byNumber))
    }
    return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
  }
}

/// Levenshtein distance, for suggestions.
enum EditDistance {
  static func between(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8)
    let b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
