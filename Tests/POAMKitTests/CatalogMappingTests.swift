import Foundation
import Testing

@testable import POAMKit

/// The catalog's NIST SP 800-53 Rev 4 mapping compared with the independent mapping in
/// `../shared/samples/mapping/`. Where the catalog follows NIST SP 800-171 Rev 2 Appendix D
/// and that file does not, the difference is listed here with the reason, and the test
/// checks that the difference is exactly that.
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct CatalogMappingTests {
  struct Row: Decodable {
    var controlId: String
    var mappedControls: String?
    var dodAmWeight: String
  }

  struct File: Decodable { var controls: [Row] }

  /// requirement number → (controls the catalog adds, controls the catalog leaves out).
  static let deliberateDifferences: [String: (added: Set<String>, removed: Set<String>, why: String)] = [
    "3.3.1": (
      ["AU-11"], [], "Appendix D Table D-3 lists AU-11 Audit Record Retention for 3.3.1/3.3.2 (\"create and retain\")"
    ),
    "3.3.2": (["AU-11"], [], "same basic-requirement row as 3.3.1"),
    "3.5.1": (["IA-3"], [], "Appendix D Table D-5 lists IA-3 Device Identification and Authentication for 3.5.1/3.5.2"),
    "3.5.2": (["IA-3"], [], "same basic-requirement row as 3.5.1"),
    "3.7.3": (
      [], ["MA-3", "MA-3(1)", "MA-3(2)"], "3.7.3 is derived from MA-2 alone; the MA-3 controls belong to 3.7.1/3.7.2"
    ),
    "3.12.4": (
      ["CA-2", "CA-5", "CA-7", "PL-2"], [],
      "the file has no controls for 3.12.4; Appendix D lists the CA basic row CA-2, CA-5, CA-7, PL-2"
    ),
  ]

  @Test func rev4MappingAgreesWithTheIndependentFile() throws {
    let data = try Data(
      contentsOf: Paths.sharedFile("samples/mapping/tbusillo_nist800-171r2_to_800-53_mappings_with_dod_weights.json"))
    let rows = try snakeCaseDecoder().decode(File.self, from: data).controls
    #expect(rows.count == 110)
    let catalog = TestCatalog.shared
    for row in rows {
      let requirement = try #require(catalog.requirement(number: row.controlId), "\(row.controlId) missing")
      let theirs = Set(
        (row.mappedControls ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
          .filter { !$0.isEmpty })
      let ours = Set(requirement.nist80053?.rev4 ?? [])
      let difference = Self.deliberateDifferences[row.controlId]
      #expect(
        ours.subtracting(theirs) == (difference?.added ?? []), "\(requirement.id) extra: \(ours.subtracting(theirs))")
      #expect(
        theirs.subtracting(ours) == (difference?.removed ?? []),
        "\(requirement.id) missing: \(theirs.subtracting(ours))")
      // The DoD Assessment Methodology weight agrees with the catalog's points (the SSP has none).
      if let weight = Int(row.dodAmWeight) {
        #expect(requirement.maxDeduction == weight, "\(requirement.id) weight \(weight)")
      }
    }
  }
}
