import Foundation
import Testing

@testable import POAMKit

/// The Nessus / ACAS importer on fixtures written after Tenable's `.nessus` (v2) format.
struct NessusImporterTests {
  static let scan = Paths.fixtures.appendingPathComponent("nessus/acas-scan.nessus")
  static let noTimes = Paths.fixtures.appendingPathComponent("nessus/no-host-times.nessus")

  static func read(_ url: URL, remediationDays: Int? = nil) throws -> ImportResult {
    try NessusImporter().read(
      InputFile(displayName: url.lastPathComponent, content: .file(url)),
      options: ImportOptions(remediationDays: remediationDays))
  }

  @Test func detectedByRoot() throws {
    let prefix = try InputFile(displayName: "", content: .file(Self.scan)).prefix(FormatDetector.prefixLength)
    #expect(FormatDetector.detect(prefix) == .format(.nessus))
    #expect(ImporterRegistry.standard.importer(for: .nessus) is NessusImporter)
    guard case .unknown(let reason) = FormatDetector.detect(Data("<NessusClientData><Report/></NessusClientData>".utf8))
    else {
      Issue.record("a v1 report must not be taken for v2")
      return
    }
    #expect(reason.contains("v1"))
  }

  @Test func readInBatchesHostByHostGivesWhatAWholeReadGives() throws {
    let whole = try Self.read(Self.scan)
    var batches: [[Observation]] = []
    let rest = try NessusImporter().read(
      InputFile(displayName: Self.scan.lastPathComponent, content: .file(Self.scan)), options: ImportOptions(),
      batchSize: 1
    ) { batches.append($0) }
    // Batches end where a host ends: each holds one host's observations, its asset filled in.
    #expect(batches.count >= 2)
    for batch in batches { #expect(Set(batch.map(\.asset)).count == 1 && batch.first?.asset != nil) }
    #expect(batches.joined() + rest.observations == whole.observations)
    #expect(rest.diagnostics == whole.diagnostics)
  }

  @Test func complianceItemsAreAutomatedResultsPerHost() throws {
    let result = try Self.read(Self.scan)
    let compliance = result.observations.filter { $0.location.hasPrefix("ReportHost[10.20.30.41]/ReportItem") }
    #expect(compliance.count == 6)
    #expect(compliance.map(\.rawStatus) == ["PASSED", "FAILED", "FAILED", "WARNING", "ERROR", "SKIPPED"])
    #expect(compliance.map(\.status) == [.met, .notMet, .notMet, .notAssessed, .notMet, .notAssessed])
    #expect(compliance.allSatisfy { $0.kind == .automated && ($0.line ?? 0) > 0 })
    let first = compliance[0]
    #expect(first.asset?.hostName == "WS2022-FS01")
    #expect(first.asset?.ip == "10.20.30.41")
    #expect(first.asset?.fqdn == "ws2022-fs01.corp.example.com")
    #expect(first.producer == Producer(tool: "Nessus", version: "10.7.3"))
    #expect(first.severity == "CAT II")
    #expect(first.title?.hasPrefix("WN22-00-000020") == true)
    #expect(first.details?.contains("Actual value: '42'") == true)
    #expect(first.details?.contains("Policy value: '60'") == true)
    #expect(
      first.refs == [
        Reference(.requirement, "3.5.8"), Reference(.sp80053, "IA-5(1)"), Reference(.cci, "CCI-000199"),
        Reference(.stigRule, "SV-254239r848557_rule"), Reference(.other, "WN22-00-000020"),
        Reference(.stigVuln, "V-254239"),
      ])
    // A Rev 3 token is used only when no Rev 2 token names the requirement.
    #expect(compliance[1].refs.filter { $0.kind == .requirement }.map(\.value) == ["3.5.7"])
    #expect(compliance[2].refs.filter { $0.kind == .requirement }.map(\.value) == ["03.03.01"])
    #expect(compliance[3].details?.contains("manual check") == true)
    #expect(compliance[4].details?.contains("could not run") == true)
    #expect(result.diagnostics.filter { $0.severity != .note }.isEmpty)
  }

  @Test func complianceReferencesResolveLikeEveryInput() throws {
    let result = try Self.read(Self.scan)
    let resolved = ObservationResolver(catalog: TestCatalog.shared).resolve(result.observations).observations
    let byTitle = Dictionary(
      resolved.compactMap { item in item.observation.title.map { ($0.prefix(14), item) } },
      uniquingKeysWith: { first, _ in first })
    #expect(byTitle["WN22-00-000020"]?.targets.map(\.requirement) == ["IA.L2-3.5.8"])
    // Rev 3 03.03.01 derives from two Rev 2 requirements, so the crosswalk leaves it to a person
    // (a warning) and the item's 800-53 token, AU-12 c (generate the defined audit records), places
    // it at 3.3.1 only: traceability to users (3.3.2) is AU-3's content, not AU-12 c's.
    #expect(byTitle["WN22-AU-000050"]?.targets.map(\.requirement) == ["AU.L2-3.3.1"])
  }

  @Test func vulnerabilitiesAreGroupedPerHost() throws {
    let result = try Self.read(Self.scan)
    let hostOne = result.observations.filter { $0.location == "ReportHost[10.20.30.41]" }
    #expect(
      hostOne.map { $0.refs.map(\.value) } == [
        ["RA.L2-3.11.2[b]"], ["RA.L2-3.11.3[a]"], ["SI.L2-3.14.1[f]", "RA.L2-3.11.3[b]"],
      ])
    #expect(hostOne.map(\.status) == [.notAssessed, .met, .notMet])
    #expect(hostOne[0].details?.contains("not that it happens at the defined frequency") == true)
    #expect(hostOne[0].details?.contains("on 2024-06-11") == true)
    // Only the Critical with a patch public 245 days: the June High is 0 days old, the other High has no patch date.
    let overdue = hostOne[2]
    #expect(overdue.title == "1 Critical/High finding with a patch public more than 30 days")
    #expect(overdue.severity == "critical")
    #expect(overdue.details?.contains("plugin 183890") == true)
    #expect(overdue.details?.contains("245 days before the scan") == true)
    #expect(overdue.details?.contains("200331") == false)

    // Twelve overdue kernel updates on the second host: one line of evidence naming ten.
    let hostTwo = result.observations.filter { $0.location == "ReportHost[10.20.30.52]" }
    #expect(hostTwo.count == 3)
    #expect(hostTwo[0].asset?.hostName == "rhel8-app02")
    #expect(hostTwo[2].title?.hasPrefix("12 Critical/High") == true)
    #expect(hostTwo[2].details?.contains("- and 2 more") == true)
    #expect(hostTwo[2].details?.split(separator: "\n").count == 12)
  }

  @Test func remediationDaysOption() throws {
    // With a year's time frame nothing on the first host is overdue.
    let result = try Self.read(Self.scan, remediationDays: 365)
    #expect(!result.observations.contains { $0.location == "ReportHost[10.20.30.41]" && $0.status == .notMet })
    let lenient = result.observations.filter { $0.rawStatus == "overdue" }
    #expect(lenient.isEmpty)
  }

  @Test func hostWithoutScanTimeIsNotJudgedForRemediation() throws {
    let result = try Self.read(Self.noTimes)
    #expect(result.observations.map(\.rawStatus) == ["scanned", "scanned"])
    #expect(result.observations[0].asset?.ip == "192.0.2.7")
    #expect(result.observations[0].asset?.hostName == nil)
    #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("HOST_END") })
  }

  @Test func loopbackIsNeverTheAssetAddress() throws {
    let xml = """
      <?xml version="1.0"?><NessusClientData_v2><Report name="r" xmlns:cm="http://www.nessus.org/cm">
      <ReportHost name="localhost"><HostProperties><tag name="host-ip">127.0.0.1</tag></HostProperties>
      <ReportItem port="0" pluginID="1" pluginName="x" pluginFamily="Policy Compliance" severity="0">
      <cm:compliance-check-name>c</cm:compliance-check-name><cm:compliance-result>PASSED</cm:compliance-result>
      <cm:compliance-reference>800-171|3.1.1</cm:compliance-reference></ReportItem></ReportHost></Report></NessusClientData_v2>
      """
    let result = try NessusImporter().read(InputFile(displayName: "x.nessus", content: .data(Data(xml.utf8))))
    #expect(result.observations.count == 1)
    #expect(result.observations[0].asset?.ip == nil)
    #expect(result.observations[0].asset?.hostName == "localhost")
  }

  @Test func wrongRootAndBrokenXMLAreErrors() throws {
    #expect(throws: ImportError.self) {
      try NessusImporter().read(InputFile(displayName: "x", content: .data(Data("<CHECKLIST/>".utf8))))
    }
    let broken = "<NessusClientData_v2><Report><ReportHost name=\"a\"><HostProperties></Report>"
    #expect(throws: ImportError.self) {
      try NessusImporter().read(InputFile(displayName: "x", content: .data(Data(broken.utf8))))
    }
  }
}

/// `cm:compliance-reference` token lists, read on their bytes.
struct NessusReferenceTests {
  static func byteReferences(_ text: String) -> NessusImporter.ParsedReferences {
    var text = text
    return text.withUTF8 { NessusImporter.references($0) }
  }

  static func same(_ left: NessusImporter.ParsedReferences, _ right: NessusImporter.ParsedReferences) -> Bool {
    left.refs == right.refs && left.severity == right.severity
  }

  @Test func edgeCasesOfTheTokenList() {
    let cases: [(String, [Reference], String?)] = [
      ("", [], nil),
      (",,,", [], nil),
      // A key without `|`, an empty value, an empty key: ignored.
      ("800-171, 800-171|, |3.1.1, CCI|  ", [], nil),
      // Spaces around keys and values, keys in any case, leading `|`s skipped.
      (
        " 800-171 | 3.1.1 ,cCi|CCI-000015,||Rule-ID|SV-1r2_rule, cat |II",
        [Reference(.requirement, "3.1.1"), Reference(.cci, "CCI-000015"), Reference(.stigRule, "SV-1r2_rule")], "CAT II"
      ),
      // Everything after the first `|` is the value; unknown frameworks are passed over.
      (
        "CSF|PR.AC-1,ISO/IEC-27001|A.9.2.1,800-53|AC-2|x,800-53A|AC-2,STIG-ID|WN22-00-1",
        [Reference(.sp80053, "AC-2|x"), Reference(.other, "WN22-00-1")], nil
      ),
      // Rev 3 only without a Rev 2 token; repeats kept once; the last CAT counts.
      ("800-171r3|03.01.01,800-171r3|03.01.01,CAT|I,CAT|III", [Reference(.requirement, "03.01.01")], "CAT III"),
      ("800-171r3|03.01.01,NIST800-171|3.1.1", [Reference(.requirement, "3.1.1")], nil),
      (
        "800-53r4|AC-2(1),800-53r5|AC-2(1),Vuln-ID|V-1", [Reference(.sp80053, "AC-2(1)"), Reference(.stigVuln, "V-1")],
        nil
      ),
    ]
    for (text, refs, severity) in cases {
      let parsed = Self.byteReferences(text)
      #expect(parsed.refs == refs, "\(text)")
      #expect(parsed.severity == severity, "\(text)")
      #expect(Self.same(parsed, NessusImporter.referencesFromCharacters(text)), "\(text)")
    }
    // Blank lists leave an earlier value standing; Unicode white space is blank too.
    var blank = "  \n\u{00A0}"
    #expect(blank.withUTF8 { NessusImporter.parsedReferences($0) } == nil)
  }

  /// The byte path gives what splitting Strings gives, on random lists of keys poam reads,
  /// keys it ignores, separators, white space and non-ASCII text.
  @Test func bytePathAgreesWithCharacters() {
    let keys = [
      "800-171", "800-171R2", "nist800-171", "800-171r3", "CCI", "cci", "800-53", "800-53r4", "800-53R5", "Rule-ID",
      "VULN-ID", "stig-id", "CAT", "CSF", "800-53A", "", "é", "C\u{0301}CI",
    ]
    let values = ["3.1.1", "CCI-000015", "AC-2(1)", "II", "", "x|y", "é", "\u{0301}3.1.2", "03.01.01"]
    let noise = ["", "", "", " ", "\t", "\n", "|", ",", "\u{00A0}", "\u{0301}"]
    var generator = SplitMix64(seed: 0x4E55)
    func pick(_ items: [String]) -> String { items.randomElement(using: &generator)! }
    var checked = 0
    for _ in 0..<3000 {
      let count = Int.random(in: 0...8, using: &generator)
      let text = (0..<count).map { _ in
        pick(noise) + pick(keys) + pick(noise) + (Bool.random(using: &generator) ? "|" : pick(noise)) + pick(noise)
          + pick(values) + pick(noise)
      }.joined(separator: Bool.random(using: &generator) ? "," : pick(noise))
      let bytes = Self.byteReferences(text)
      let characters = NessusImporter.referencesFromCharacters(text)
      #expect(Self.same(bytes, characters), "\(text.debugDescription)")
      if !bytes.refs.isEmpty { checked += 1 }
    }
    #expect(checked > 1000)
  }

  /// A token list the parser hands over in pieces (character references, a comment, CDATA)
  /// reads as one.
  @Test func tokenSplitOverParserCallbacks() throws {
    let references = [
      "800-171|3.1&#46;1,CCI|CCI-0000&#49;5,CAT|I&#73;", "800-171|3.1<!-- c -->.1,CCI|CCI-000015,CAT|II",
      "800-171|3.1<![CDATA[.1,CC]]>I|CCI-000015,CAT|&#x49;I", "800-171|3.1.1,&#67;CI|CCI-000015,CAT|II",
    ]
    for reference in references {
      let xml = """
        <?xml version="1.0"?><NessusClientData_v2><Report name="r" xmlns:cm="http://www.nessus.org/cm">
        <ReportHost name="h"><ReportItem pluginID="1" pluginName="x" severity="0">
        <cm:compliance-result>PASSED</cm:compliance-result>
        <cm:compliance-reference>\(reference)</cm:compliance-reference></ReportItem></ReportHost></Report></NessusClientData_v2>
        """
      let result = try NessusImporter().read(InputFile(displayName: "x.nessus", content: .data(Data(xml.utf8))))
      #expect(result.observations.count == 1)
      #expect(result.observations.first?.refs == [Reference(.requirement, "3.1.1"), Reference(.cci, "CCI-000015")])
      #expect(result.observations.first?.severity == "CAT II")
    }
  }

  /// A blank or repeated reference element: the last non-blank list counts, as for the other
  /// children; a `compliance-reference` outside the cm namespace is not read.
  @Test func repeatedAndForeignReferenceElements() throws {
    let xml = """
      <?xml version="1.0"?><NessusClientData_v2><Report name="r" xmlns:cm="http://www.nessus.org/cm">
      <ReportHost name="h"><ReportItem pluginID="1" pluginName="x" severity="0">
      <cm:compliance-result>PASSED</cm:compliance-result>
      <cm:compliance-reference>800-171|3.1.1</cm:compliance-reference>
      <cm:compliance-reference>800-171|3.1.2</cm:compliance-reference>
      <cm:compliance-reference>  </cm:compliance-reference>
      <compliance-reference>800-171|3.1.3</compliance-reference></ReportItem></ReportHost></Report></NessusClientData_v2>
      """
    let result = try NessusImporter().read(InputFile(displayName: "x.nessus", content: .data(Data(xml.utf8))))
    #expect(result.observations.map(\.refs) == [[Reference(.requirement, "3.1.2")]])
  }
}

/// `--remediation-days` on the command line.
struct NessusCommandTests {
  @Test func remediationDaysReachesTheImporter() throws {
    let scan = NessusImporterTests.scan.path
    let strict = try CLI.run(["import", scan, "--format", "json"])
    #expect(strict.status == 0)
    #expect(strict.stdout.contains("\"raw_status\" : \"overdue\""))
    let lenient = try CLI.run(["import", scan, "--format", "json", "--remediation-days", "3650"])
    #expect(lenient.status == 0)
    #expect(!lenient.stdout.contains("\"raw_status\" : \"overdue\""))
    let bad = try CLI.run(["import", scan, "--remediation-days", "-1"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--remediation-days"))
  }
}
