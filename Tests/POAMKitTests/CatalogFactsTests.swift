import Foundation
import Testing

@testable import POAMKit

/// The bundled catalog compared, fact by fact, with `../shared/reference/cmmc-facts.json`.
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct CatalogFactsTests {
  struct Fact: Decodable {
    struct Partial: Decodable { var points: Int }
    var id: String
    var level: Int
    var family: String
    var familyName: String
    var nistId: String
    var title: String
    var points: Int?
    var partialPoints: [Partial]?
    var poamAllowed: Bool
    var poamExcludedByName: Bool?
    var objectives: [String]
    var objectiveCount: Int
    var odpObjectives: [String]?
    var l1Equivalent: String?
    var l2Equivalents: [String]?
    var mapping: String?
    var nistRequirementType: String?
  }

  let facts: [Fact]
  let catalog = TestCatalog.shared

  init() throws {
    let data = try Data(contentsOf: Paths.sharedFile("reference/cmmc-facts.json"))
    facts = try snakeCaseDecoder().decode([Fact].self, from: data)
  }

  @Test func sameRequirementIDsInTheSameLevels() {
    #expect(Set(facts.map(\.id)) == Set(catalog.requirements.map(\.id)))
    #expect(facts.count == 149)
    for level in CMMCLevel.allCases {
      #expect(
        Set(facts.filter { $0.level == level.rawValue }.map(\.id))
          == Set(catalog.requirements(level: level).map(\.id)), "level \(level.rawValue)")
    }
  }

  @Test func everyFactAgrees() throws {
    for fact in facts {
      let requirement = try #require(catalog.requirement(id: fact.id), "\(fact.id) missing")
      #expect(requirement.level.rawValue == fact.level, "\(fact.id) level")
      #expect(requirement.family == fact.family, "\(fact.id) family")
      #expect(catalog.familyName(requirement.family) == fact.familyName, "\(fact.id) family name")
      #expect(requirement.nistID == fact.nistId, "\(fact.id) number")
      #expect(requirement.title == fact.title, "\(fact.id) title")
      #expect(requirement.points == fact.points, "\(fact.id) points")
      #expect(
        requirement.partialPoints?.map(\.points).sorted() == fact.partialPoints?.map(\.points).sorted(),
        "\(fact.id) partial points")
      #expect(requirement.poam.allowed == fact.poamAllowed, "\(fact.id) POA&M allowed")
      #expect(requirement.poam.excludedByName == (fact.poamExcludedByName ?? false), "\(fact.id) named exclusion")
      #expect(requirement.objectives.map(\.id) == fact.objectives, "\(fact.id) objective letters")
      #expect(requirement.objectives.count == fact.objectiveCount, "\(fact.id) objective count")
      #expect((requirement.odpStatements?.map(\.id) ?? []) == (fact.odpObjectives ?? []), "\(fact.id) ODPs")
      #expect(requirement.requirementType == fact.nistRequirementType, "\(fact.id) basic/derived")
      if fact.level == 2 {
        #expect(requirement.l1Equivalent == fact.l1Equivalent, "\(fact.id) L1 equivalent")
      }
      if fact.level == 1 {
        #expect(requirement.l2Equivalents == fact.l2Equivalents, "\(fact.id) L2 equivalents")
        #expect((requirement.l2Mapping == "one-to-one") == (fact.mapping == "one-to-one"), "\(fact.id) mapping kind")
      }
    }
  }

  @Test func countsMatchTheRule() {
    let objectives = { (level: CMMCLevel) in catalog.requirements(level: level).reduce(0) { $0 + $1.objectives.count } }
    #expect(catalog.requirements(level: .one).count == 15)
    #expect(catalog.requirements(level: .two).count == 110)
    #expect(catalog.requirements(level: .three).count == 24)
    #expect(objectives(.one) == 59)
    #expect(objectives(.two) == 320)
    #expect(objectives(.three) == 80)
    #expect(catalog.requirements(level: .three).reduce(0) { $0 + ($1.odpStatements?.count ?? 0) } == 9)
  }

  @Test func scoringArithmeticMatchesTheRule() throws {
    let level2 = catalog.requirements(level: .two)
    let worst = level2.reduce(0) { $0 + $1.maxDeduction }
    let scoring = try #require(catalog.scoring(.two))
    #expect(worst == 313)
    #expect(scoring.maxScore == 110)
    #expect(scoring.maxScore - worst == scoring.minScore)
    #expect(scoring.minScore == -203)
    #expect(scoring.conditionalMinScore == 88)
    #expect(level2.filter { $0.poam.allowed }.count == 47)
    #expect(
      level2.filter { $0.poam.excludedByName }.map(\.nistID).sorted() == [
        "3.1.20", "3.1.22", "3.10.3", "3.10.4", "3.10.5", "3.12.4",
      ])
    #expect(catalog.requirements(level: .three).filter { !$0.poam.allowed }.count == 7)
    #expect(try #require(catalog.scoring(.three)).conditionalMinScore == 20)
  }
}

/// Text quality rules the catalog keeps whether or not ../shared is present.
struct CatalogContentTests {
  let catalog = TestCatalog.shared

  @Test func everyRequirementAndObjectiveIsDescribed() {
    for requirement in catalog.requirements {
      #expect(requirement.description.count >= 80, "\(requirement.id) description too short")
      for objective in requirement.objectives + (requirement.odpStatements ?? []) {
        #expect(objective.description.count >= 10, "\(requirement.id)[\(objective.id)] has no description")
        #expect(objective.description.hasSuffix("."), "\(requirement.id)[\(objective.id)] should end with a period")
      }
    }
  }

  @Test func versionAndSourcesArePartOfTheCatalog() {
    #expect(!catalog.version.isEmpty)
    #expect(catalog.manifest.sources.count >= 5)
    #expect(catalog.manifest.sources.contains { $0.title.contains("32 CFR Part 170") })
  }

  @Test func levelThreeNamesItsPrerequisites() {
    for requirement in catalog.requirements(level: .three) {
      let prerequisites = requirement.prerequisites ?? []
      #expect(!prerequisites.isEmpty, "\(requirement.id) has no prerequisites")
      #expect(prerequisites.allSatisfy { catalog.requirement(id: $0)?.level == .two })
    }
  }

  @Test func everyLevelTwoRequirementMapsToSP80053() {
    for requirement in catalog.requirements(level: .two) {
      let mapping = requirement.nist80053
      #expect(mapping?.rev4.isEmpty == false, "\(requirement.id) has no Rev 4 controls")
      // SC.L2-3.13.14 (VoIP) maps only to SC-19, withdrawn in Rev 5 with no successor.
      if requirement.id != "SC.L2-3.13.14" {
        #expect(mapping?.rev5.isEmpty == false, "\(requirement.id) has no Rev 5 controls")
      }
      for control in (mapping?.rev4 ?? []) + (mapping?.rev5 ?? []) {
        #expect(control.wholeMatch(of: #/[A-Z]{2}-\d{1,2}(\(\d{1,2}\))?/#) != nil, "\(requirement.id): \(control)")
      }
    }
  }
}
