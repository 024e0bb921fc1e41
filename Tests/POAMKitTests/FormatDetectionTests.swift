import Foundation
import Testing
import ZIPFoundation

@testable import POAMKit

/// Files that were read wrongly: JSON told apart by words inside its values, workbooks whose
/// `xl/workbook.xml` comes late, CAAT workbooks, OSCAL results made only of observations.
struct FormatDetectionTests {
  static func fixture(_ path: String) -> URL { Paths.fixtures.appendingPathComponent(path) }

  @Test func topLevelKeysOnly() {
    let top = JSONTopLevel.scan(
      #"{"platform": {"stigs": [1, "}"]}, "format" : "poam-results", "n": -1.5e3, "ok": true, "profiles": []}"#)
    #expect(top.isObject && top.complete)
    #expect(top.keys == ["platform", "format", "n", "ok", "profiles"])
    #expect(top.strings == ["format": "poam-results"])
    let cut = JSONTopLevel.scan(#"{"title": "a \"quoted\" \\ title", "stigs": [{"rules": ["#)
    #expect(cut.keys == ["title", "stigs"])
    #expect(cut.strings["title"] == #"a "quoted" \ title"#)
    #expect(!cut.complete)
    #expect(!JSONTopLevel.scan("[1, 2]").isObject)
    // A value that merely mentions a format's key decides nothing.
    #expect(
      FormatDetector.detect(Data(#"{"note": "see \"assessment-results\" and \"stigs\""}"#.utf8))
        == .unknown("JSON that is not CKLB, OSCAL assessment-results, HDF or poam results"))
  }

  @Test func hdfCarryingACKLBInItsPassthroughIsHDF() throws {
    let url = Self.fixture("hdf/passthrough-with-cklb.json")
    let input = InputFile(displayName: "passthrough-with-cklb.json", content: .file(url))
    #expect(try FormatDetector.detect(input) == .format(.hdf))
    let outcome = try ImportPipeline().run([url.path])
    #expect(outcome.inputs.map(\.format) == [.hdf])
    #expect(outcome.observations.map(\.status) == [.met, .notMet])
  }

  @Test func jsonWhoseFirstLevelOutrunsThePrefixIsReadToItsEnd() throws {
    // An HDF document whose deciding keys come after 300 KB of profiles that carry a CKLB: the
    // prefix alone cannot tell (its words say CKLB), the whole first level can.
    let filler = String(repeating: "x", count: 300_000)
    let json =
      #"{"profiles": [{"name": "p", "controls": [], "passthrough": {"stigs": [], "pad": "\#(filler)"}}], "platform": {}, "statistics": {}}"#
    let input = InputFile(displayName: "late.json", content: .data(Data(json.utf8)))
    #expect(FormatDetector.detect(try input.prefix(FormatDetector.prefixLength)) == .format(.cklb))
    #expect(try FormatDetector.detect(input) == .format(.hdf))
  }

  /// A CAAT workbook whose `xl/workbook.xml` comes after a stored (uncompressed) padding sheet of
  /// `padding` bytes, as MITRE SAF's hdf2caat writes a workbook after megabytes of sheets.
  static func lateWorkbook(padding: Int) throws -> Data {
    let source = try Archive(url: fixture("xlsx/caat-hdf2caat.xlsx"), accessMode: .read)
    var parts: [(String, Data)] = []
    for entry in source {
      var bytes = Data()
      _ = try source.extract(entry) { bytes.append($0) }
      parts.append((entry.path, bytes))
    }
    let pad = Data(
      (#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!-- "#
        + String(repeating: "p", count: padding) + " --><sheetData/></worksheet>").utf8)
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, data) in [("xl/worksheets/sheet9.xml", pad)] + parts.sorted(by: { $0.0 > $1.0 }) {
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(data.count),
        compressionMethod: path.hasSuffix("sheet9.xml") ? .none : .deflate,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return try #require(archive.data)
  }

  @Test func workbookListedLateInTheCentralDirectoryIsAWorkbook() throws {
    let data = try Self.lateWorkbook(padding: 3_200_000)
    let input = InputFile(displayName: "caat.xlsx", content: .data(data))
    #expect(FormatDetector.detect(try input.prefix(FormatDetector.prefixLength)) == .format(.zip))
    #expect(try FormatDetector.detect(input) == .format(.xlsx))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("poam-late-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("caat.xlsx")
    try data.write(to: file)
    let outcome = try ImportPipeline().run([file.path])
    #expect(outcome.inputs.map(\.format) == [.xlsx])
    #expect(outcome.observations.count == 3)
  }

  @Test func caatWorkbook() throws {
    let url = Self.fixture("xlsx/caat-hdf2caat.xlsx")
    let result = try XLSXImporter().read(InputFile(displayName: "caat.xlsx", content: .file(url)))
    #expect(result.observations.map(\.status) == [.met, .notMet, .met])
    #expect(result.observations.map(\.rawStatus) == ["Satisfied", "Other Than Satisfied", "Satisfied"])
    // Automated (SAF writes CAAT from scans) unless the Test Method is a person's procedure.
    #expect(result.observations.map(\.kind) == [.automated, .automated, .assessor])
    let second = result.observations[1]
    #expect(second.refs.contains(Reference(.sp80053, "IA-05(01)")))
    #expect(second.refs.contains(Reference(.other, "SV-230231r877397_rule")))
    #expect(second.title == "Password-based authentication")
    #expect(second.details?.contains("ENCRYPT_METHOD is MD5") == true)
    #expect(result.diagnostics.contains { $0.message.contains("CAAT workbook") })
    // Zero-padded 800-53 IDs resolve as the catalog writes them.
    let resolved = ObservationResolver(catalog: TestCatalog.shared).resolve(result.observations).observations
    #expect(resolved[1].targets.map(\.requirement).contains("IA.L2-3.5.10"))
    // AC-3(4) (discretionary access control) is an enhancement NIST SP 800-171 Appendix D does
    // not name: it reaches no requirement, and the resolver says why.
    #expect(resolved[0].targets.isEmpty)
    let outcome = ObservationResolver(catalog: TestCatalog.shared).resolve(result.observations)
    #expect(outcome.diagnostics.contains { $0.code == .unmappedReference && $0.message.contains("AC-03(04)") })
  }

  @Test func oscalResultsMadeOfObservations() throws {
    let url = Self.fixture("oscal/observations-only-c2p.json")
    #expect(
      try FormatDetector.detect(InputFile(displayName: "", content: .file(url))) == .format(.oscalJSON))
    let result = try OSCALJSONImporter().read(InputFile(displayName: "c2p.json", content: .file(url)))
    #expect(result.observations.map(\.rawStatus) == ["pass", "fail", "pass", "fail"])
    #expect(result.observations.map(\.status) == [.met, .notMet, .met, .notMet])
    #expect(result.observations.allSatisfy { $0.kind == .automated })
    #expect(
      result.observations.map { $0.asset?.hostName } == [
        "Cluster cluster-a", "Cluster cluster-b", "AWS account 123456789012", "Cluster cluster-a",
      ])
    #expect(result.observations[1].details?.contains("runs privileged") == true)
    #expect(result.observations[0].refs.first?.kind == .sp80053)
    #expect(result.observations[2].refs.first == Reference(.requirement, "3.5.3"))
    #expect(result.observations[3].refs == [Reference(.other, "orphan-rule")])
    #expect(result.diagnostics.contains { $0.severity == .warning && $0.location == "results[0].observations[2]" })
  }
}

/// Inputs a user trips over: a folder with nothing poam reads, poam's own POA&M given as results.
struct InputTripTests {
  @Test func aDirectoryWithNoReadableInputsIsAnError() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("poam-none-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect {
      try ImportPipeline().run([directory.path])
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImportError else { return false }
      return reason.hasPrefix("no inputs found in \(directory.path)")
    }
    try Data("just notes\n".utf8).write(to: directory.appendingPathComponent("README.md"))
    #expect {
      try ImportPipeline().run([directory.path])
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImportError else { return false }
      return reason.contains("1 file looked at, 1 of no format poam reads")
    }
    // Every input skipped under --keep-going is no assessment either.
    let bad = Paths.fixtures.appendingPathComponent("bad/malformed.json").path
    #expect(throws: ImportError.self) { try ImportPipeline().run([bad], options: ImportOptions(keepGoing: true)) }
  }

  @Test func poamsOwnPOAMIsRefusedWithAPointerToPrior() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("poam-own-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try CLI.run([
      "analyze", Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json").path,
      "--assessment-date", "2025-01-15", "--out", directory.path,
    ])
    #expect(run.status == 0)
    for name in ["poam.csv", "poam.xlsx"] {
      let path = directory.appendingPathComponent(name).path
      #expect {
        try ImportPipeline().run([path])
      } throws: { error in
        guard case .unsupported(_, let reason) = error as? ImportError else { return false }
        return reason.contains("--prior")
      }
    }
  }
}
