import Foundation
import Testing

@testable import POAMKit

/// The NIST SP 800-53 → objective table (`controls/mappings/sp800-53-objectives.json`) checked
/// against the catalog, and the references it reads.
struct ObjectiveMapTests {
  static var table: SP80053ObjectiveMap? { TestCatalog.shared.objectiveMap }

  @Test func everyEntryNamesACatalogObjectiveAndHasABasis() throws {
    let table = try #require(Self.table, "the bundled catalog has no objective table")
    #expect(table.entries.count > 600)
    #expect(table.problems(catalog: TestCatalog.shared) == [])
  }

  @Test func aBrokenEntryIsReported() throws {
    let table = SP80053ObjectiveMap(
      source: "test",
      entries: [
        .init(revision: 4, reference: "IA-5(1)(a)", objectives: ["IA.L2-3.5.7[z]"], basis: "x"),
        .init(revision: 4, reference: "IA-5 (1) (b)", objectives: [], basis: "x"),
        .init(revision: 6, reference: "AC-3", objectives: ["AC.L2-3.1.99[a]"], basis: ""),
        .init(revision: 4, reference: "IA-5(1)(a)", objectives: [], basis: "duplicate"),
      ])
    let problems = table.problems(catalog: TestCatalog.shared)
    #expect(problems.contains { $0.contains("has no objective [z]") })
    #expect(problems.contains { $0.contains("write the reference as IA-5(1)(b)") })
    #expect(problems.contains { $0.contains("revision must be 3, 4 or 5") })
    #expect(problems.contains { $0.contains("AC.L2-3.1.99[a] is not a catalog requirement") })
    #expect(problems.contains { $0.contains("no basis") })
    #expect(problems.contains { $0.contains("duplicate entry") })
  }

  /// What maps to nothing, listed (and each with its reason). The named cases of issue 12 are
  /// among them: Appendix D left these enhancements out on purpose.
  @Test func listsWhatMapsToNothing() throws {
    let table = try #require(Self.table)
    let empty = table.entries.filter(\.objectives.isEmpty)
    for entry in empty {
      print(
        "maps to nothing: Rev \(entry.revision) \(entry.reference)\(entry.cci.map { " " + $0 } ?? ""): \(entry.basis)")
    }
    let names = Set(empty.filter { $0.cci == nil }.map { "\($0.revision) \($0.reference)" })
    for expected in ["4 AC-2(4)", "4 IA-2(12)", "4 CA-2(1)", "4 SI-2(6)", "4 MA-4(6)", "4 IA-5(1)(d)"] {
      #expect(names.contains(expected), "\(expected) should map to nothing")
    }
    #expect(empty.allSatisfy { $0.basis.count > 20 })
  }

  @Test(arguments: [
    ("IA-5 (1) (a)", "IA-5(1)(a)"), ("CM-6 b", "CM-6 b"), ("AC-8 c 2", "AC-8 c 2"), ("AC-03(04)", "AC-3(4)"),
    ("ia-2 ( 11 )", "IA-2(11)"), ("SC-13", "SC-13"), ("AU-8 (1) (a)", "AU-8(1)(a)"),
  ])
  func canonicalReferences(_ written: String, _ canonical: String) {
    #expect(SP80053Part.canonical(written) == canonical)
  }

  @Test func anEnhancementNeverFallsBackToItsBaseControl() {
    #expect(SP80053Part.levels("IA-5 (1) (a)").map(\.reference) == ["IA-5(1)(a)", "IA-5(1)"])
    #expect(SP80053Part.levels("IA-2 (11)").map(\.level) == ["enhancement"])
    #expect(SP80053Part.levels("AC-8 c 2").map(\.reference) == ["AC-8 c 2", "AC-8 c", "AC-8"])
    #expect(SP80053Part.levels("AC-8 c 2").map(\.level) == ["part", "part", "control"])
    #expect(SP80053Part.canonical("not a control") == nil)
    #expect(SP80053Part.canonical(String(repeating: "(", count: 10_000)) == nil)
    #expect(SP80053Part.canonical("AC-1" + String(repeating: " (a)", count: 5_000)) != nil)
  }

  /// Every part referenced by a CCI in the STIG and SCAP samples has a reviewed entry (at the
  /// part, its enhancement or its control) in the revision the precedence picks.
  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func everySamplePartHasAReviewedEntry() throws {
    let list = try CCIList.load(from: Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml").path)
    let resolver = ObservationResolver(catalog: TestCatalog.shared, cciList: list)
    var ccis = Set<String>()
    let samples = Paths.sharedFile("samples")
    let folders = try FileManager.default.contentsOfDirectory(atPath: samples.path)
      .filter { !["mapping", "schemas"].contains($0) }.sorted()
    for folder in folders {
      let directory = samples.appendingPathComponent(folder)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
      else { continue }
      for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
          continue
        }
        for match in text.matches(of: /CCI-[0-9]{6}/) { ccis.insert(String(match.output)) }
      }
    }
    #expect(ccis.count > 150)
    var missing: [String] = []
    for cci in ccis.sorted() {
      guard let parts = list.parts[cci] else { continue }
      let (revision, indices) =
        !parts.rev4.isEmpty ? (4, parts.rev4) : (!parts.rev5.isEmpty ? (5, parts.rev5) : (3, parts.rev3))
      for index in indices {
        if case .table = resolver.mapping(index, revision: revision, cci: cci) { continue }
        missing.append("\(cci) Rev \(revision) \(index)")
      }
    }
    #expect(missing == [], "parts without a reviewed entry: \(missing)")
  }

  /// The parts, enhancements and controls the table says test no CMMC objective, as reviewed:
  /// a change to the table that adds or removes one must change this list too (and say why in
  /// the entry's basis). CCI refinements that map to nothing (definitions with no defining
  /// objective, privacy CCIs) are counted, not listed.
  static let reviewedMapsToNothing: [Int: Set<String>] = [
    3: [
      "AU-4", "SC-9(2)",
    ],
    4: [
      "AC-10", "AC-12(1)", "AC-17(9)", "AC-2 b", "AC-2 g", "AC-2 k", "AC-2(2)", "AC-2(4)", "AC-24(1)", "AC-3(4)",
      "AC-4(15)", "AC-6(8)", "AC-9(1)", "AC-9(4)", "AU-10", "AU-12 b", "AU-12(2)", "AU-12(3)", "AU-14(1)", "AU-2 b",
      "AU-3(2)", "AU-4", "AU-4(1)", "AU-5 b", "AU-5(1)", "AU-5(2)", "AU-5(4)", "AU-6 b", "AU-6(4)", "AU-7 b",
      "AU-7(1)", "AU-9(3)", "CA-2 d", "CA-2(1)", "CA-7 a", "CA-7 g", "CM-3 a", "CM-3(5)", "CM-5(3)", "CM-8(3)(b)",
      "CP-9 a", "CP-9 b", "CP-9 c", "IA-11", "IA-2(12)", "IA-2(4)", "IA-2(5)", "IA-2(7)", "IA-3(1)", "IA-4 a",
      "IA-4 c", "IA-5 a", "IA-5 b", "IA-5 c", "IA-5 d", "IA-5 f", "IA-5 g", "IA-5 h", "IA-5 i", "IA-5 j",
      "IA-5(1)(d)", "IA-5(13)", "IA-5(2)(b)", "IA-5(2)(d)", "IA-7", "IA-8", "IR-4 b", "IR-4 c", "MA-2 c", "MA-2 e",
      "MA-2 f", "MA-4 a", "MA-4 b", "MA-4 d", "MA-4(1)", "MA-4(6)", "MA-5 a", "MP-3 b", "PE-17 b", "PE-17 c",
      "PE-3 c", "PE-6 c", "PL-2 a 1", "PL-2 a 3", "PL-2 a 4", "PL-2 a 6", "PL-2 a 7", "PL-2 a 9", "PL-2 b", "PL-2 e",
      "PS-3 b", "PS-4 c", "PS-4 d", "PS-4 e", "PS-4 f", "PS-5 d", "RA-3 c", "RA-3 d", "RA-5 b", "RA-5 e", "SC-11",
      "SC-23(5)", "SC-24", "SC-3", "SC-5", "SC-5(2)", "SC-8(2)", "SC-8(3)", "SI-11 a", "SI-11 b", "SI-16", "SI-2 b",
      "SI-2 d", "SI-2(6)", "SI-3 c 2", "SI-3 d", "SI-4 d", "SI-4 e", "SI-4 f", "SI-4 g", "SI-5 b", "SI-5 c",
      "SI-6 a", "SI-6 b", "SI-6 d",
    ],
    5: [
      "AC-2 i 3", "AC-6(1)(b)", "AT-2 c", "AT-2 d", "AT-3 b", "AT-3 c", "AU-6 c", "AU-7 b", "AU-9 b", "CA-2 a",
      "CA-2 c", "CA-7 a", "CA-7 g", "CP-9(a)", "CP-9(c)", "IA-5 d", "IA-5 f", "IA-5(1)(a)", "IA-5(1)(b)",
      "IA-5(1)(f)", "IA-5(1)(g)", "IR-2 b", "IR-4 c", "IR-4 d", "PE-17 a", "PE-17 d", "PL-2 a 13", "PL-2 a 14",
      "PL-2 a 4", "PL-2 a 5", "PL-2 a 7", "PL-2 a 8", "RA-3 a 3", "RA-3 b", "RA-5 b 2", "RA-5 b 3", "SC-13 a",
      "SI-3 c 2", "SI-4(4)(a)",
    ],
  ]

  @Test func whatMapsToNothingIsTheReviewedList() throws {
    let table = try #require(Self.table)
    var found: [Int: Set<String>] = [:]
    for entry in table.entries where entry.objectives.isEmpty && entry.cci == nil {
      found[entry.revision, default: []].insert(entry.reference)
    }
    for revision in [3, 4, 5] {
      let expected = Self.reviewedMapsToNothing[revision] ?? []
      let actual = found[revision] ?? []
      #expect(
        actual.subtracting(expected).sorted() == [], "Rev \(revision): maps to nothing but not in the reviewed list")
      #expect(
        expected.subtracting(actual).sorted() == [], "Rev \(revision): in the reviewed list but maps to something")
    }
    #expect(table.entries.filter { $0.objectives.isEmpty && $0.cci != nil }.count == 66)
  }

  /// The NIST SP 800-53 Rev 4 catalog (OSCAL, `../shared/samples/mapping`): each control and
  /// enhancement by canonical label, with its statement's first-level parts.
  static func rev4Catalog() throws -> [String: (parts: [String], enhancements: [String], withdrawn: Bool)] {
    let url = Paths.sharedFile("samples/mapping/nist_sp800-53_rev4_catalog-min.json")
    let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let catalog = try #require(root["catalog"] as? [String: Any])
    var controls: [String: (parts: [String], enhancements: [String], withdrawn: Bool)] = [:]
    func property(_ name: String, of object: [String: Any]) -> String? {
      (object["props"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["value"] as? String
    }
    func walk(_ list: [[String: Any]]) {
      for control in list {
        guard let written = property("label", of: control), let label = SP80053Part.canonical(written) else { continue }
        let statement = (control["parts"] as? [[String: Any]])?.first { $0["name"] as? String == "statement" }
        let items = (statement?["parts"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "item" }
        let parts = items.compactMap { property("label", of: $0) }.compactMap { item -> String? in
          let trimmed = item.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
          return SP80053Part.canonical("\(label) \(trimmed)")
        }
        let children = control["controls"] as? [[String: Any]] ?? []
        let enhancements = children.compactMap { property("label", of: $0) }.compactMap(SP80053Part.canonical)
        controls[label] = (parts, enhancements, property("status", of: control) == "Withdrawn")
        walk(children)
      }
    }
    for group in catalog["groups"] as? [[String: Any]] ?? [] { walk(group["controls"] as? [[String: Any]] ?? []) }
    return controls
  }

  /// Issue 12's second tier of coverage: every Rev 4 part of every control and enhancement an
  /// Appendix D row names (the control itself when it has no parts) has a reviewed entry, at
  /// the part or at the enhancement or control the table maps as a whole; and every enhancement
  /// of those controls that Appendix D does not name either has an entry with its reason or
  /// maps to nothing (never back to its base control's rows).
  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func everyAppendixDRev4PartHasAReviewedEntry() throws {
    let rev4 = try Self.rev4Catalog()
    #expect(rev4.count > 800)
    let resolver = ObservationResolver(catalog: TestCatalog.shared)
    let named = Set(TestCatalog.shared.requirements(level: .two).flatMap { $0.nist80053?.rev4 ?? [] })
    var missing: [String] = []
    var parts = 0
    var unnamed: (entered: Int, nothing: Int) = (0, 0)
    for control in named.sorted() {
      guard let found = rev4[control] else {
        missing.append("\(control): not in the Rev 4 catalog")
        continue
      }
      for part in found.parts.isEmpty ? [control] : found.parts {
        parts += 1
        guard case .table = resolver.mapping(part, revision: 4, cci: nil) else {
          missing.append(part)
          continue
        }
      }
      for enhancement in found.enhancements where !named.contains(enhancement) {
        switch resolver.mapping(enhancement, revision: 4, cci: nil) {
        case .table: unnamed.entered += 1
        case .none: unnamed.nothing += 1
        case .appendixD: missing.append("\(enhancement): an enhancement Appendix D does not name reached its rows")
        }
      }
    }
    print(
      "Appendix D Rev 4 coverage: \(parts) parts of \(named.count) controls and enhancements, \(missing.count) without an entry; "
        + "enhancements Appendix D does not name: \(unnamed.entered) with an entry, \(unnamed.nothing) mapping to nothing"
    )
    #expect(parts > 280)
    #expect(missing == [], "Appendix D Rev 4 parts without a reviewed entry: \(missing)")
  }

  /// Issue 12's third tier: every Rev 5 part of a CCI that has no Rev 4 reference, inside a
  /// control NIST's Rev 5 mapping of 800-171 Rev 2 names (the catalog's `rev5` column), has a
  /// reviewed Rev 5 entry. A Rev 5 control outside that mapping maps to nothing by rule.
  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func everyRev5OnlyPartInTheMappingHasAReviewedEntry() throws {
    let list = try CCIList.load(from: Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml").path)
    let resolver = ObservationResolver(catalog: TestCatalog.shared, cciList: list)
    let named = Set(TestCatalog.shared.requirements(level: .two).flatMap { $0.nist80053?.rev5 ?? [] })
    var missing: [String] = []
    var checked = 0
    var outside = 0
    for (cci, parts) in list.parts.sorted(by: { $0.key < $1.key }) where parts.rev4.isEmpty {
      for index in parts.rev5 {
        guard let control = SP80053Part.control(index), named.contains(control) else {
          outside += 1
          continue
        }
        checked += 1
        if case .table(let entry, _, _) = resolver.mapping(index, revision: 5, cci: cci), entry.revision == 5 {
          continue
        }
        missing.append("\(cci) Rev 5 \(index)")
      }
    }
    print("Rev 5-only CCI parts: \(checked) inside NIST's Rev 5 mapping, \(outside) outside it (map to nothing)")
    #expect(checked > 150)
    #expect(missing == [], "Rev 5 parts without a reviewed entry: \(missing)")
  }
}

/// Issue 12's cases, each one checklist VULN with one CCI, through the real importer, resolver
/// and engine (`Fixtures/evidence/cases.ckl` with `Fixtures/evidence/cci-list-excerpt.xml`).
struct EvidenceCaseTests {
  static func report(policy: GapOptions.EvidencePolicy = .assessor) throws -> GapReport {
    let list = try CCIList.load(from: Paths.fixtures.appendingPathComponent("evidence/cci-list-excerpt.xml").path)
    let imported = try ImportPipeline().run([Paths.fixtures.appendingPathComponent("evidence/cases.ckl").path])
    let resolved = ObservationResolver(catalog: TestCatalog.shared, cciList: list).resolve(imported.observations)
    return GapEngine(
      catalog: TestCatalog.shared,
      options: GapOptions(level: .two, evidencePolicy: policy, assessmentDate: CalendarDate(iso: GapFixture.date)!)
    ).evaluate(
      resolved.observations, inputs: imported.inputs.map(\.name),
      diagnostics: imported.diagnostics + resolved.diagnostics)
  }

  /// The objectives with a determination, by requirement.
  static func decided(_ report: GapReport) -> [String: [String: Status]] {
    var decided: [String: [String: Status]] = [:]
    for result in report.requirements {
      let some = result.objectives.filter { $0.value != .notAssessed }
      if !some.isEmpty { decided[result.id] = some }
    }
    return decided
  }

  @Test func eachResultDecidesOnlyTheObjectivesItTests() throws {
    let report = try Self.report()
    let decided = Self.decided(report)
    #expect(
      decided == [
        // CCI-000205 (IA-5(1)(a), minimum length): complexity enforced, nothing else.
        "IA.L2-3.5.7": ["c": .notMet],
        // CCI-000196 (IA-5(1)(c), stored protected): 3.5.10[a] only.
        "IA.L2-3.5.10": ["a": .notMet],
        // CCI-000366 (CM-6 b): settings enforced; never 3.4.1.
        "CM.L2-3.4.2": ["b": .met],
        // CCI-000795 (IA-4 e): identifiers disabled after inactivity; never 3.5.5.
        "IA.L2-3.5.6": ["b": .notMet],
        // CCI-001948 (IA-2(11)): network MFA, never 3.5.1/3.5.2.
        "IA.L2-3.5.3": ["c": .notMet, "d": .notMet],
        // CCI-001668 (Rev 3 SI-3 a only): protection in place; not 3.14.1, 3.14.3-3.14.5.
        "SI.L2-3.14.2": ["b": .met],
        // CCI-002450 (SC-13): FIPS cryptography, one requirement.
        "SC.L2-3.13.11": ["a": .notMet],
      ])
    // CA-2(1), AC-2(4) and SI-2(6) reach nothing.
    for id in ["CA.L2-3.12.1", "CA.L2-3.12.4", "AC.L2-3.1.1", "AC.L2-3.1.2", "SI.L2-3.14.1", "SI.L2-3.14.3"] {
      #expect(try report.result(id).evidence.isEmpty, "\(id) should have no evidence")
    }
  }

  @Test func onePassDoesNotMakeAMultiObjectiveRequirementMet() throws {
    let report = try Self.report()
    let settings = try report.result("CM.L2-3.4.2")
    #expect(settings.status == .notAssessed)
    #expect(settings.objectiveBasis == ["a": EvidenceBasis.none, "b": .automated])
    #expect(try report.result("SI.L2-3.14.2").status == .notAssessed)
  }

  @Test func aChecklistNotApplicableIsNotEvidence() throws {
    let report = try Self.report()
    let notices = try report.result("AC.L2-3.1.9")
    #expect(notices.status == .notAssessed)
    #expect(notices.evidence.count == 1)
    #expect(notices.basis == EvidenceBasis.none)
    #expect(
      report.diagnostics.contains { $0.message.contains("1 checklist or scanner result marked not applicable") })
  }

  @Test func automatedFailuresCarryTheirBasisAndAConfirmMarker() throws {
    let report = try Self.report()
    let complexity = try report.result("IA.L2-3.5.7")
    #expect(complexity.status == .notMet)
    #expect(complexity.basis == .automated)
    #expect(complexity.needsConfirmation)
    #expect(complexity.evidence.first?.mapping == "CCI-000205 → NIST SP 800-53 Rev 4 IA-5(1)(a) (part)")
    let coverage = try #require(report.coverage)
    #expect(coverage.objectivesTotal == 320)
    #expect(coverage.objectivesWithEvidence == 8)
    #expect(coverage.requirementsByBasis["automated"] == 5)
    let text = GapTextRenderer(report: report, familyNames: [:], color: false).render()
    #expect(text.contains("evidence for 8 of 320 objectives"))
    #expect(text.contains("[confirm: automated evidence only]"))
    let markdown = GapMarkdownRenderer(report: report, familyNames: [:]).render()
    #expect(markdown.contains("IA.L2-3.5.7 **confirm**"))
  }

  @Test func diagnosticsSayWhyAReferenceMapsToNothing() throws {
    let list = try CCIList.load(from: Paths.fixtures.appendingPathComponent("evidence/cci-list-excerpt.xml").path)
    let resolver = ObservationResolver(catalog: TestCatalog.shared, cciList: list)
    func observation(_ cci: String) -> Observation {
      Observation(
        source: "x.ckl", location: "VULN 1", kind: .automated, refs: [Reference(.cci, cci)], rawStatus: "Open",
        status: .notMet)
    }
    let outcome = resolver.resolve(["CCI-000255", "CCI-009999", "CCI-123456", "CCI-000001"].map(observation))
    let messages = outcome.diagnostics.map(\.message).joined(separator: "\n")
    #expect(messages.contains("outside the CMMC mapping"))
    #expect(messages.contains("CCI-000255 (Rev 4 CA-2(1)) is outside the CMMC mapping"))
    #expect(messages.contains("CCI-009999 has only a Rev 3 reference (PL-6)"))
    #expect(messages.contains("CCI-123456 is not in the CCI list"))
    #expect(messages.contains("CCI-000001 is not in the CCI list"))
    // Rev 3 only, but the Rev 4 entry of the same index maps it.
    let rev3 = resolver.resolve([observation("CCI-001263")]).observations[0].targets
    #expect(rev3.map { "\($0.requirement)[\($0.objective ?? "")]" } == ["SI.L2-3.14.6[a]"])
  }

  /// Organizational parts and Rev 5-only CCIs reach the objectives their entries name, not
  /// every requirement of their Appendix D row (which is what they reached before the table
  /// covered them): defining CCIs the defining objective, the rest the implementing one, and a
  /// Rev 5 index read as Rev 5 (Rev 5 CA-2 d is Rev 4 CA-2 b; Rev 4 CA-2 d maps to nothing).
  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func organizationalAndRev5OnlyCCIsReachTheirObjectives() throws {
    let list = try CCIList.load(from: Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml").path)
    let resolver = ObservationResolver(catalog: TestCatalog.shared, cciList: list)
    func reached(_ cci: String) -> [String] {
      let observation = Observation(
        source: "x.ckl", location: "VULN 1", kind: .automated, refs: [Reference(.cci, cci)], rawStatus: "Open",
        status: .notMet)
      return resolver.resolve([observation]).observations[0].targets.map { "\($0.requirement)[\($0.objective ?? "")]" }
    }
    let expected: [(String, [String])] = [
      ("CCI-000832", ["IR.L2-3.6.2[a]", "IR.L2-3.6.2[b]"]),  // Rev 4 IR-5: track and document incidents
      ("CCI-000251", ["CA.L2-3.12.1[b]"]),  // Rev 4 CA-2 b: assess the controls at the frequency
      ("CCI-000252", ["CA.L2-3.12.1[a]"]),  // Rev 4 CA-2 b: defines the frequency
      ("CCI-000254", []),  // Rev 4 CA-2 d: provide the results to defined roles
      ("CCI-000573", ["CA.L2-3.12.4[h]"]),  // Rev 4 PL-2 c: review the plan at the frequency
      ("CCI-000572", ["CA.L2-3.12.4[g]"]),  // Rev 4 PL-2 c: defines that frequency
      ("CCI-002921", ["PE.L2-3.10.3[a]"]),  // Rev 4 PE-3 d: escort visitors
      ("CCI-001028", ["MP.L2-3.8.3[a]", "MP.L2-3.8.3[b]"]),  // Rev 4 MP-6 a: sanitize before disposal or reuse
      ("CCI-001516", ["PS.L2-3.9.1[a]"]),  // Rev 4 PS-3 a: screen before authorizing access
      ("CCI-003861", ["CA.L2-3.12.1[b]"]),  // Rev 5 only, CA-2 d: assess the controls
      ("CCI-004067", ["IA.L2-3.5.7[a]"]),  // Rev 5 only, IA-5(1)(h): defines the complexity rules
      ("CCI-004063", ["IA.L2-3.5.9[a]"]),  // Rev 5 only, IA-5(1)(e): new password on account recovery
      ("CCI-005147", []),  // Rev 5 only, AT-2 a 1: privacy literacy training
    ]
    for (cci, objectives) in expected {
      #expect(reached(cci) == objectives, "\(cci)")
    }
  }

  @Test func aRequirementNamedDirectlyIsNarrowedByItsCCI() throws {
    let list = try CCIList.load(from: Paths.fixtures.appendingPathComponent("evidence/cci-list-excerpt.xml").path)
    let resolver = ObservationResolver(catalog: TestCatalog.shared, cciList: list)
    let observation = Observation(
      source: "scan.xml", location: "rule 1", kind: .automated,
      refs: [Reference(.requirement, "3.5.7"), Reference(.cci, "CCI-000205")], rawStatus: "fail", status: .notMet)
    let targets = resolver.resolve([observation]).observations[0].targets
    #expect(
      targets == [
        RequirementTarget(requirement: "IA.L2-3.5.7", objective: "c", via: .direct, mapping: targets.first?.mapping)
      ])
  }

  @Test func aBareControlReachesItsAppendixDRowAtRequirementLevel() {
    let resolver = ObservationResolver(catalog: TestCatalog.shared)
    let observation = Observation(
      source: "hdf.json", location: "control 1", kind: .automated, refs: [Reference(.sp80053, "CM-6")],
      rawStatus: "passed", status: .met)
    let targets = resolver.resolve([observation]).observations[0].targets
    #expect(targets.map(\.requirement) == ["CM.L2-3.4.1", "CM.L2-3.4.2"])
    #expect(targets.allSatisfy { $0.objective == nil && $0.mapping?.contains("Appendix D row") == true })
    // An enhancement Appendix D does not name does not borrow its base control's rows.
    let enhancement = Observation(
      source: "hdf.json", location: "control 2", kind: .automated, refs: [Reference(.sp80053, "AC-2 (12)")],
      rawStatus: "failed", status: .notMet)
    #expect(resolver.resolve([enhancement]).observations[0].targets == [])
  }
}

/// The roll-up's weighing of assessor, manual and automated evidence.
struct EvidenceWeighingTests {
  typealias F = GapFixture

  @Test func anSSPMarkedNotApplicableIsNotFinal() throws {
    let observations =
      F.scope(.two).filter { $0.targets[0].requirement != "CA.L2-3.12.4" }
      + [F.observation("CA.L2-3.12.4", .notApplicable)]
    let report = F.evaluate(observations)
    let ssp = try report.result("CA.L2-3.12.4")
    #expect(ssp.status == .notMet)
    #expect(report.status != .final)
    #expect(report.diagnostics.contains { $0.severity == .error && $0.message.contains("System Security Plan") })
  }

  @Test func automatedRequirementLevelEvidence() throws {
    // A pass on a multi-objective requirement decides nothing; on a single-objective one it does.
    var report = F.evaluate([F.observation("AC.L2-3.1.1", .met, kind: .automated)])
    #expect(try report.result("AC.L2-3.1.1").status == .notAssessed)
    report = F.evaluate([F.observation("SC.L2-3.13.11", .met, kind: .automated)])
    #expect(try report.result("SC.L2-3.13.11").status == .met)
    #expect(try report.result("SC.L2-3.13.11").basis == .automated)
    // A failure fails the requirement.
    report = F.evaluate([F.observation("AC.L2-3.1.1", .notMet, kind: .automated)])
    #expect(try report.result("AC.L2-3.1.1").status == .notMet)
    // A tool's N/A is not evidence; an assessor's is.
    report = F.evaluate([F.observation("AC.L2-3.1.9", .notApplicable, kind: .automated)])
    #expect(try report.result("AC.L2-3.1.9").status == .notAssessed)
    report = F.evaluate([F.observation("AC.L2-3.1.9", .notApplicable)])
    #expect(try report.result("AC.L2-3.1.9").status == .notApplicable)
    #expect(try report.result("AC.L2-3.1.9").basis == .assessor)
  }

  @Test func manualReviewsWeighBetweenAssessorAndAutomated() throws {
    var report = F.evaluate([
      F.observation("SC.L2-3.13.11", .notMet, kind: .manual), F.observation("SC.L2-3.13.11", .notMet, kind: .automated),
    ])
    #expect(try report.result("SC.L2-3.13.11").basis == .manual)
    report = F.evaluate([
      F.observation("SC.L2-3.13.11", .met, kind: .manual), F.observation("SC.L2-3.13.11", .notMet, kind: .automated),
    ])
    #expect(try report.result("SC.L2-3.13.11").status == .notMet)
    #expect(try report.result("SC.L2-3.13.11").basis == .automated)
    report = F.evaluate([
      F.observation("SC.L2-3.13.11", .met), F.observation("SC.L2-3.13.11", .notMet, kind: .manual),
    ])
    #expect(try report.result("SC.L2-3.13.11").status == .met)
    #expect(try report.result("SC.L2-3.13.11").basis == .assessor)
    #expect(try report.result("SC.L2-3.13.11").conflicts.count == 1)
    report = F.evaluate(
      [F.observation("SC.L2-3.13.11", .met), F.observation("SC.L2-3.13.11", .notMet, kind: .manual)], policy: .strict)
    #expect(try report.result("SC.L2-3.13.11").basis == .manual)
  }

  @Test func aMetRequirementIsOnlyAsStrongAsItsWeakestObjective() throws {
    let report = F.evaluate([
      F.observation("AC.L2-3.1.2", .met, objective: "a"),
      F.observation("AC.L2-3.1.2", .met, objective: "b", kind: .automated),
    ])
    let result = try report.result("AC.L2-3.1.2")
    #expect(result.status == .met)
    #expect(result.basis == .automated)
    #expect(result.objectiveBasis == ["a": .assessor, "b": .automated])
  }

  @Test func partialWithoutPartialCreditGetsANote() {
    let report = F.evaluate([F.observation("AC.L2-3.1.1", .partial)])
    #expect(
      report.diagnostics.contains { $0.message.contains("has no partial credit: scored NOT MET at its full value") })
  }

  @Test func coverageOfAFullAssessorAssessment() throws {
    let report = F.evaluate(F.scope(.two))
    let coverage = try #require(report.coverage)
    #expect(coverage.objectivesTotal == 320)
    #expect(coverage.objectivesWithEvidence == 320)
    #expect(coverage.requirementsByBasis == ["assessor": 110, "manual": 0, "automated": 0, "none": 0])
    #expect(coverage.requirementsMappedOnly == 0)
  }

  @Test func aResultThatReachesManyRequirementsIsNamed() {
    let observation = Observation(
      source: "scan.xml", location: "rule 7", kind: .automated, refs: [Reference(.xccdfRule, "rule_wide")],
      rawStatus: "fail", status: .notMet)
    let targets = ["AC.L2-3.1.1", "AC.L2-3.1.2", "AC.L2-3.1.3", "AC.L2-3.1.4"].map {
      RequirementTarget(requirement: $0, via: .sp80053)
    }
    let report = F.evaluate([ResolvedObservation(observation: observation, targets: targets)])
    #expect(
      report.diagnostics.contains {
        $0.severity == .warning && $0.location == "rule 7" && $0.message.contains("(rule_wide) reaches 4 requirements")
      })
  }

  @Test func theReportKeepsObjectiveValuesAsStrings() throws {
    let report = F.evaluate([F.observation("SC.L2-3.13.11", .met, kind: .automated)])
    let json = try #require(
      JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
    let requirements = try #require(json["requirements"] as? [[String: Any]])
    let crypto = try #require(requirements.first { $0["id"] as? String == "SC.L2-3.13.11" })
    #expect(crypto["objectives"] as? [String: String] == ["a": "met"])
    #expect(crypto["objective_basis"] as? [String: String] == ["a": "automated"])
    #expect(crypto["basis"] as? String == "automated")
    let coverage = try #require(json["coverage"] as? [String: Any])
    #expect(coverage["objectives_with_evidence"] as? Int == 1)
    // An older report without the new keys still decodes.
    var old = json
    old["coverage"] = nil
    old["requirements"] = requirements.map {
      var r = $0
      r["basis"] = nil
      r["objective_basis"] = nil
      return r
    }
    let decoded = try JSONDecoder().decode(GapReport.self, from: JSONSerialization.data(withJSONObject: old))
    #expect(decoded.requirements.first { $0.id == "SC.L2-3.13.11" }?.basis == nil)
  }
}
