import Foundation
import Testing

@testable import POAMKit

/// Every third-party sample in ../shared/samples/{csv,cklb,hdf} and samples/oscal/*.json, read
/// through the pipeline as a user would, against counts established independently with Python's
/// csv and json modules (not from poam's output):
///
/// ```
/// # CKLB: statuses of every stigs[].rules[]
/// Counter(m[r['status']] for s in d['stigs'] for r in s['rules'])
/// # HDF: per control, Heimdall's rule (impact 0 → N/A; error/failed → NOT MET; passed → MET; else not assessed)
/// # OSCAL: Counter((f['target']['status']['state'], f['target'].get('implementation-status', {}).get('state')) ...)
/// # CSV: rows after the header whose ID column starts with V-, and Counter of the status column
/// ```
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct SampleImportTests {
  struct Expected: Sendable, CustomStringConvertible {
    var file: String
    var format: InputFormat
    var counts: [Status: Int]
    var description: String { file }
    var total: Int { counts.values.reduce(0, +) }
  }

  static let expected: [Expected] = [
    // No status column (a STIG listing): 194 rules, all not reviewed; banner rows above and below.
    Expected(file: "csv/mitre-saf_Ubuntu_stigviewer2_csv-export.csv", format: .csv, counts: [.notAssessed: 194]),
    Expected(file: "csv/mitre-saf_stig_srg_with-BOM.csv", format: .csv, counts: [.notAssessed: 25]),
    // result: Informational 173, Not a Finding 91, Not Applicable 22 (each with a trailing space).
    Expected(
      file: "csv/stig-manager_ASD-STIG_self-assessment_of_STIG-Manager.csv", format: .csv,
      counts: [.notAssessed: 173, .met: 91, .notApplicable: 22]),
    Expected(
      file: "cklb/heimdall2-cklb-branch_converted-rhel8_oneOfEachControlStatus.cklb", format: .cklb,
      counts: [.met: 1, .notMet: 1, .notApplicable: 1, .notAssessed: 1]),
    Expected(
      file: "cklb/smcm_Asset_a-multi-stig.cklb", format: .cklb,
      counts: [.met: 3, .notMet: 2, .notApplicable: 1, .notAssessed: 24]),
    Expected(
      file: "cklb/smcm_GoodStatistics.cklb", format: .cklb,
      counts: [.met: 2, .notMet: 2, .notApplicable: 2, .notAssessed: 2]),
    Expected(file: "cklb/smcm_Single-Vuln-fail-With-Detail.cklb", format: .cklb, counts: [.notMet: 1]),
    Expected(
      file: "cklb/smcm_all-possible-results.cklb", format: .cklb,
      counts: [.met: 1, .notMet: 1, .notApplicable: 1, .notAssessed: 1]),
    Expected(
      file: "hdf/heimdall2-samples_good_nginxresults.json", format: .hdf,
      counts: [.met: 37, .notApplicable: 1, .notAssessed: 3]),
    Expected(
      file: "hdf/mitre-saf_red_hat_good.json", format: .hdf, counts: [.met: 214, .notApplicable: 24, .notAssessed: 9]),
    Expected(
      file: "hdf/mitre-saf_rhel8_sample_oneOfEachControlStatus.json", format: .hdf,
      counts: [.met: 1, .notMet: 1, .notApplicable: 1, .notAssessed: 1]),
    // satisfied 3; not-satisfied 3, plus one with implementation-status partial and one alternative.
    Expected(
      file: "oscal/fedramp_rev5_SAR-OSCAL-Template_assessment-results.json", format: .oscalJSON,
      counts: [.met: 3, .notMet: 4, .partial: 1]),
    Expected(file: "oscal/nist_ifa_assessment-results-example.json", format: .oscalJSON, counts: [.notMet: 1]),
  ]

  /// Samples that are not assessment results poam reads with these importers, and why.
  static let notRead: [String: String] = [
    "cklb/smcm_NoStigsArray.cklb": "a CKLB with no stigs array: an error",
    "oscal/nist_ifa_plan-of-action-and-milestones.json": "an OSCAL POA&M: not assessment results",
    "csv/stig-manager_eMASS-POAM-template.xlsx": "an Excel workbook: read by the XLSX importer",
  ]

  @Test(arguments: expected)
  func observationsAndStatusCounts(_ sample: Expected) throws {
    let path = Paths.sharedFile("samples/\(sample.file)").path
    let outcome = try ImportPipeline().run([path])
    #expect(outcome.inputs.map(\.format) == [sample.format])
    #expect(outcome.observations.count == sample.total)
    var counts: [Status: Int] = [:]
    for observation in outcome.observations {
      if let status = observation.status { counts[status, default: 0] += 1 }
    }
    #expect(counts == sample.counts)
    // Locations point into the file: lines for CSV, JSON paths otherwise.
    // The samples lie outside the working directory: each is named by its file name alone.
    let shown = URL(fileURLWithPath: path).lastPathComponent
    #expect(outcome.observations.allSatisfy { !$0.location.isEmpty && $0.source == shown })
  }

  @Test func everySampleFileIsCovered() throws {
    var files: [String] = []
    for directory in ["csv", "cklb", "hdf", "oscal"] {
      let names = try FileManager.default.contentsOfDirectory(atPath: Paths.sharedFile("samples/\(directory)").path)
      files += names.filter { directory != "oscal" || $0.hasSuffix(".json") }.map { "\(directory)/\($0)" }
    }
    let known = Set(Self.expected.map(\.file)).union(Self.notRead.keys)
    #expect(Set(files) == known, "a sample was added or removed: establish its counts independently")
  }

  @Test func samplesThatAreNotReadSaySo() throws {
    let noStigs = Paths.sharedFile("samples/cklb/smcm_NoStigsArray.cklb").path
    #expect {
      try ImportPipeline().run([noStigs])
    } throws: { error in
      (error as? ImportError)?.localizedDescription.contains("'stigs' array") == true
    }
    let poam = Paths.sharedFile("samples/oscal/nist_ifa_plan-of-action-and-milestones.json").path
    #expect {
      try ImportPipeline().run([poam])
    } throws: { error in
      (error as? ImportError)?.localizedDescription.contains("not assessment results") == true
    }
    let workbook = InputFile(
      displayName: "x", content: .file(Paths.sharedFile("samples/csv/stig-manager_eMASS-POAM-template.xlsx")))
    #expect(FormatDetector.detect(try workbook.prefix(FormatDetector.prefixLength)) == .format(.xlsx))
  }

  @Test func ubuntuExportLinesAndReferences() throws {
    let path = Paths.sharedFile("samples/csv/mitre-saf_Ubuntu_stigviewer2_csv-export.csv").path
    let outcome = try ImportPipeline().run([path])
    // `grep -n '^"V-219148"'` gives line 37: the first rule's quoted cells span lines 3–36.
    #expect(outcome.observations.prefix(2).map(\.line) == [3, 37])
    let first = try #require(outcome.observations.first)
    #expect(first.refs.contains(Reference(.cci, "CCI-000213")))
    #expect(first.refs.contains(Reference(.sp80053, "AC-3")))
    #expect(first.kind == .automated)
    // The UNCLASSIFIED banner on the last line (5865) is a note, not a result.
    #expect(outcome.diagnostics.contains { $0.location == "5865" && $0.severity == .note })
  }
}
