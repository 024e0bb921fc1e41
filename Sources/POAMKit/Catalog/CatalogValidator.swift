/// The rules every catalog must satisfy, checked when it is loaded so that a user's own
/// catalog fails early with a precise message rather than giving wrong scores later.
enum CatalogValidator {
  static func check(_ requirement: Requirement, families: [String: String], origin: String) throws {
    func fail(_ problem: String) -> CatalogError {
      .invalid(path: origin, requirement: requirement.id, problem: problem)
    }
    let expectedID = "\(requirement.family).L\(requirement.level.rawValue)-\(requirement.nistID)"
    guard requirement.id == expectedID else {
      throw fail("ID does not match family, level and number: expected \(expectedID)")
    }
    guard families[requirement.family] != nil else {
      throw fail(
        "unknown family \(requirement.family); the manifest lists \(families.keys.sorted().joined(separator: ", "))")
    }
    guard !requirement.title.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw fail("title is empty")
    }
    guard !requirement.objectives.isEmpty else { throw fail("has no objectives") }
    var seen = Set<String>()
    for objective in requirement.objectives + (requirement.odpStatements ?? []) {
      guard !objective.id.isEmpty, objective.id.allSatisfy({ $0.isLetter || $0.isNumber }) else {
        throw fail("objective ID '\(objective.id)' is not a letter or ODPn")
      }
      guard seen.insert(objective.id.lowercased()).inserted else {
        throw fail("objective \(objective.id) appears twice")
      }
    }
    switch requirement.level {
    case .one:
      guard requirement.points == nil else { throw fail("Level 1 requirements have no points") }
      guard requirement.poam.allowed == false else {
        throw fail("a POA&M is never allowed at Level 1 (32 CFR 170.21(a)(1))")
      }
    case .two:
      if let points = requirement.points, ![1, 3, 5].contains(points) {
        throw fail("Level 2 points must be 5, 3 or 1, not \(points)")
      }
    case .three:
      guard requirement.points == 1 else { throw fail("every Level 3 requirement is worth 1 point") }
    }
    for partial in requirement.partialPoints ?? [] {
      guard partial.points > 0, partial.points <= (requirement.points ?? 0) else {
        throw fail("partial value \(partial.points) must be between 1 and the full value")
      }
    }
  }

  static func checkCrossReferences(_ requirements: [Requirement], byID: [String: Int], origin: String) throws {
    for requirement in requirements {
      let references =
        [requirement.l1Equivalent].compactMap { $0 } + (requirement.l2Equivalents ?? [])
        + (requirement.prerequisites ?? [])
      for reference in references where byID[reference.uppercased()] == nil {
        throw CatalogError.invalid(
          path: origin, requirement: requirement.id, problem: "refers to unknown requirement \(reference)")
      }
    }
  }
}
