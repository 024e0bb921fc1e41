import Testing

@testable import POAMKit

struct RequirementIDResolverTests {
  let resolver = RequirementIDResolver(catalog: TestCatalog.shared)

  @Test(
    arguments: [
      ("AC.L2-3.1.1", "AC.L2-3.1.1", nil),
      ("ac.l2-3.1.1", "AC.L2-3.1.1", nil),
      ("3.1.1", "AC.L2-3.1.1", nil),
      ("3.01.01", "AC.L2-3.1.1", nil),
      (" 3.1.1 ", "AC.L2-3.1.1", nil),
      ("NIST SP 800-171 3.1.1", "AC.L2-3.1.1", nil),
      ("NIST SP 800-171 Rev 2 3.1.1", "AC.L2-3.1.1", nil),
      ("SP 800-171r2: 3.13.11", "SC.L2-3.13.11", nil),
      ("800-171 3.5.3", "IA.L2-3.5.3", nil),
      ("3.1.1[a]", "AC.L2-3.1.1", "a"),
      ("3.1.1.a", "AC.L2-3.1.1", "a"),
      ("3.1.1a", "AC.L2-3.1.1", "a"),
      ("3.1.1(b)", "AC.L2-3.1.1", "b"),
      ("3.1.1[A]", "AC.L2-3.1.1", "a"),
      ("AC.L2-3.1.1[b]", "AC.L2-3.1.1", "b"),
      ("AC.L2-3.1.1 [b]", "AC.L2-3.1.1", "b"),
      ("AC.L1-b.1.i", "AC.L1-b.1.i", nil),
      ("AC.L1-B.1.I", "AC.L1-b.1.i", nil),
      ("b.1.i", "AC.L1-b.1.i", nil),
      ("B.1.XV", "SI.L1-b.1.xv", nil),
      ("b.1.ix[c]", "PE.L1-b.1.ix", "c"),
      ("FAR 52.204-21(b)(1)(iii)", "AC.L1-b.1.iii", nil),
      ("AC.L3-3.1.2e", "AC.L3-3.1.2e", nil),
      ("AC.L3-3.1.2E", "AC.L3-3.1.2e", nil),
      ("3.1.2e", "AC.L3-3.1.2e", nil),
      ("NIST SP 800-172 3.14.6e", "SI.L3-3.14.6e", nil),
      ("3.4.1e", "CM.L3-3.4.1e", nil),
      ("3.4.1[e]", "CM.L2-3.4.1", "e"),
      ("AC.L3-3.1.3e[ODP1]", "AC.L3-3.1.3e", "ODP1"),
      ("AC.L3-3.1.3e[b]", "AC.L3-3.1.3e", "b"),
      ("AC.L1-3.1.1", "AC.L1-b.1.i", nil),
      ("AC.L1-3.1.1[c]", "AC.L1-b.1.i", "c"),
      ("PE.L1-3.10.3", "PE.L1-b.1.ix", nil),
    ] as [(String, String, String?)])
  func resolvesEverySpelling(input: String, requirement: String, objective: String?) throws {
    let resolved = try resolver.resolve(input).get()
    #expect(resolved.requirement == requirement)
    #expect(resolved.objective == objective)
  }

  @Test(arguments: [
    ("", "empty"),
    ("hello", "not a CMMC"),
    ("3.1.99", "no requirement number 3.1.99"),
    ("3.1.1[z]", "has no objective [z]"),
    ("IA.L2-3.1.1", "family IA does not match"),
    ("AC.L3-3.1.1", "Level 2 requirement"),
    ("AC.L2-3.1.2e", "Level 3 requirement"),
    ("b.1.xvi", "no FAR 52.204-21(b)(1) paragraph"),
    ("AC.L1-3.1.5", "not one of the NIST numbers behind the 15 Level 1"),
  ])
  func unresolvableIDsAreErrorValuesNamingTheInput(input: String, reason: String) {
    switch resolver.resolve(input) {
    case .success(let resolved):
      Issue.record("\(input) resolved to \(resolved.display)")
    case .failure(let error):
      #expect(error.input == input)
      #expect(error.localizedDescription.contains(reason), "\(error.localizedDescription)")
    }
  }

  /// Digits of other scripts match the patterns' `\d` but are not numbers poam reads: a
  /// clear failure, never a crash.
  @Test(arguments: ["\u{FF13}.1.1", "3.\u{0661}.1", "3.1.\u{0967}[a]", "AC.L2-\u{FF13}.1.1"])
  func digitsOfOtherScriptsFailCleanly(input: String) {
    guard case .failure(let error) = resolver.resolve(input) else {
      Issue.record("\(input) resolved")
      return
    }
    #expect(error.input == input)
    #expect(!error.localizedDescription.isEmpty)
  }

  @Test func suggestionsPointAtNearbyIDs() throws {
    guard case .failure(let error) = resolver.resolve("AC.L2-3.1.23") else {
      Issue.record("resolved")
      return
    }
    #expect(error.suggestions.contains("AC.L2-3.1.2") || error.suggestions.contains("AC.L2-3.1.22"))
  }

  @Test func everyCatalogIDResolvesToItself() throws {
    for requirement in TestCatalog.shared.requirements {
      #expect(try resolver.resolve(requirement.id).get().requirement == requirement.id)
      #expect(try resolver.resolve(requirement.id.uppercased()).get().requirement == requirement.id)
      #expect(try resolver.resolve(requirement.nistID).get().requirement == requirement.id)
      for objective in requirement.objectives {
        let resolved = try resolver.resolve("\(requirement.id)[\(objective.id)]").get()
        #expect(resolved.objective == objective.id)
      }
    }
  }
}

struct StatusNormalizerTests {
  @Test(arguments: [
    ("MET", Status.met), ("Met", .met), ("Implemented", .met), ("Fully Implemented", .met), ("Yes", .met),
    ("Pass", .met), ("Passed", .met), ("Satisfied", .met), ("NotAFinding", .met), ("Not_A_Finding", .met),
    ("Compliant", .met), ("Inherited", .met), ("pass", .met), ("fixed", .met),
    ("NOT MET", .notMet), ("Not Met", .notMet), ("Not Implemented", .notMet), ("Planned", .notMet),
    ("In Progress", .notMet), ("No", .notMet), ("Fail", .notMet), ("Failed", .notMet), ("Open", .notMet),
    ("Not Satisfied", .notMet), ("not-satisfied", .notMet), ("Non-Compliant", .notMet), ("Error", .notMet),
    ("Partially Implemented", .partial), ("Partially", .partial), ("Partial", .partial),
    ("N/A", .notApplicable), ("Not Applicable", .notApplicable), ("Not_Applicable", .notApplicable),
    ("NA", .notApplicable), ("notapplicable", .notApplicable),
    ("Not Reviewed", .notAssessed), ("Not_Reviewed", .notAssessed), ("Not Tested", .notAssessed),
    ("Unknown", .notAssessed), ("", .notAssessed), ("  ", .notAssessed), ("notchecked", .notAssessed),
    ("notselected", .notAssessed), ("informational", .notAssessed),
  ])
  func normalizesEverySpelling(raw: String, expected: Status) throws {
    #expect(try StatusNormalizer.normalize(raw).get() == expected)
  }

  @Test(arguments: ["Maybe", "done-ish", "42", "Approved by Bob"])
  func unknownWordsAreReportedNotGuessed(raw: String) {
    guard case .failure(let error) = StatusNormalizer.normalize(raw) else {
      Issue.record("\(raw) was guessed")
      return
    }
    #expect(error.raw == raw)
    #expect(error.localizedDescription.contains(raw))
  }

  @Test func worstWinsOrdering() {
    #expect(Status.notMet > .partial)
    #expect(Status.partial > .notAssessed)
    #expect(Status.notAssessed > .met)
    #expect(Status.met > .notApplicable)
    #expect([Status.met, .notApplicable, .notMet].max() == .notMet)
  }
}

/// Legacy identifiers: CMMC 1.0 practices and NIST SP 800-171 Rev 3.
struct LegacyIdentifierTests {
  let resolver = RequirementIDResolver(catalog: TestCatalog.shared)

  @Test(arguments: [
    ("AC.1.001", "AC.L2-3.1.1"), ("AC.2.005", "AC.L2-3.1.9"), ("SC.3.177", "SC.L2-3.13.11"),
    ("ac.1.001", "AC.L2-3.1.1"),
  ])
  func cmmcV1PracticesFromNISTResolve(input: String, requirement: String) throws {
    let resolved = try resolver.resolve(input).get()
    #expect(resolved.requirement == requirement)
    #expect(resolved.scheme == .cmmcV1)
    #expect(resolved.note?.contains("CMMC 1.0 practice") == true)
  }

  @Test func cmmcV1PracticesWithoutNISTSourceSayWhy() {
    guard case .failure(let error) = resolver.resolve("AM.3.036") else {
      Issue.record("AM.3.036 resolved")
      return
    }
    #expect(error.localizedDescription.contains("no one-to-one CMMC 2.0 requirement"))
    #expect(error.localizedDescription.contains("no NIST SP 800-171 Rev 2 source"))
  }

  @Test func cmmcV1TableCoversEveryLevelTwoRequirementOnce() throws {
    let table = try #require(TestCatalog.shared.cmmcV1)
    #expect(table.practices.count == 171)
    let targets = table.practices.filter { $0.mapping == "one-to-one" }.compactMap(\.nist800171)
    #expect(targets.count == 110)
    #expect(Set(targets) == Set(TestCatalog.shared.requirements(level: .two).map(\.nistID)))
  }

  @Test func rev3IdentifiersReportTheirRev2Source() throws {
    let resolved = try resolver.resolve("03.13.11").get()
    #expect(resolved.requirement == "SC.L2-3.13.11")
    #expect(resolved.scheme == .nist800171r3)
    #expect(resolved.note?.contains("Rev 3 03.13.11") == true)
    let prefixed = try resolver.resolve("NIST SP 800-171 Rev 3 03.01.02").get()
    #expect(prefixed.requirement == "AC.L2-3.1.2")
  }

  @Test(arguments: [
    ("03.01.13", "withdrawn in Rev 3"),
    ("03.15.01", "new in Rev 3"),
    ("03.99.01", "not a NIST SP 800-171 Rev 3 identifier"),
  ])
  func rev3IdentifiersWithoutOneRev2SourceSayWhy(input: String, reason: String) {
    guard case .failure(let error) = resolver.resolve(input) else {
      Issue.record("\(input) resolved")
      return
    }
    #expect(error.localizedDescription.contains(reason), "\(error.localizedDescription)")
  }
}
