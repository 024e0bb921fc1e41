import Foundation
import Testing

@testable import POAMKit

/// The `--owners` file: families and requirements to people, requirement beats family.
struct OwnersTests {
  let catalog = TestCatalog.shared

  @Test func fixtureMapsFamiliesAndRequirementsInAnySpelling() throws {
    let owners = try Owners.load(path: Paths.fixtures.appendingPathComponent("poam/owners.yml").path, catalog: catalog)
    #expect(owners.owner(requirement: "AC.L2-3.1.1", family: "AC") == "Jane Doe <jane@example.com>")
    #expect(owners.owner(requirement: "AC.L2-3.1.9", family: "AC") == "Facilities <facilities@example.com>")
    #expect(owners.owner(requirement: "IA.L2-3.5.3", family: "IA") == "Identity Team")
    #expect(owners.owner(requirement: "SC.L2-3.13.11", family: "SC") == "Crypto Team; Bob Smith <bob@example.com>")
    #expect(owners.owner(requirement: "AU.L2-3.3.4", family: "AU") == Owners.unassigned)
  }

  @Test func defaultEntryReplacesUnassigned() throws {
    let owners = try Owners.parse("default: Security Office\nAC: Jane\n", file: "o.yml", catalog: catalog)
    #expect(owners.owner(requirement: "AU.L2-3.3.4", family: "AU") == "Security Office")
    #expect(owners.owner(requirement: "AC.L2-3.1.1", family: "AC") == "Jane")
  }

  @Test func unknownRequirementNamesFileAndLine() throws {
    let path = Paths.fixtures.appendingPathComponent("poam/owners-bad.yml").path
    do {
      _ = try Owners.load(path: path, catalog: catalog)
      Issue.record("a bad owners file loaded")
    } catch let error as OwnersError {
      #expect(error.line == 3)
      let message = error.localizedDescription
      #expect(message.hasPrefix("\(path):3: '3.1.99' is neither a family code"), "\(message)")
    }
  }

  @Test(arguments: [
    ("AC: [unclosed\n", 2, "not valid YAML"),
    ("- AC\n- IA\n", 1, "expected a mapping"),
    ("AC: Jane\nIA:\n", 2, "'IA' has no owner"),
    ("AC: Jane\n3.1.1[a]: Bob\n", 2, "names objective [a]"),
    ("3.1.1: Jane\nAC.L2-3.1.1: Bob\n", 2, "first given on line 1"),
    ("AC:\n  lead: Jane\n", 2, "not a nested mapping"),
  ])
  func badFilesFailWithLineAndExpectation(text: String, line: Int, expected: String) {
    do {
      _ = try Owners.parse(text, file: "owners.yml", catalog: catalog)
      Issue.record("parsed: \(text)")
    } catch let error as OwnersError {
      #expect(error.file == "owners.yml")
      #expect(error.line == line, "\(error.localizedDescription)")
      #expect(error.localizedDescription.contains(expected), "\(error.localizedDescription)")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func emptyFileAssignsNobody() throws {
    let owners = try Owners.parse("# nothing yet\n", file: "o.yml", catalog: catalog)
    #expect(owners.owner(requirement: "AC.L2-3.1.1", family: "AC") == Owners.unassigned)
  }
}
