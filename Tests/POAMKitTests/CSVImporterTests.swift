import Foundation
import Testing

@testable import POAMKit

/// CSV files as users save them: delimiters, encodings, line ends, and what goes wrong.
struct CSVImporterTests {
  static func fixture(_ name: String) -> InputFile {
    let url = Paths.fixtures.appendingPathComponent(name)
    return InputFile(displayName: "Fixtures/\(name)", content: .file(url))
  }

  /// Every one of these holds the same three rows, written by hand in the fixture: 3.1.1 Met,
  /// 3.1.2 Not Met, 3.5.3 Partial, on lines 2, 3 and 4.
  @Test(arguments: [
    "csv/semicolon.csv", "csv/tab.tsv", "csv/pipe.txt", "csv/utf8-bom-crlf.csv", "csv/utf16le.csv",
    "csv/utf16be.csv",
  ])
  func sameRowsWhateverTheDelimiterOrEncoding(name: String) throws {
    let file = Self.fixture(name)
    #expect(FormatDetector.detect(try file.prefix(FormatDetector.prefixLength)) == .format(.csv))
    let result = try CSVImporter().read(file)
    #expect(result.observations.map(\.status) == [.met, .notMet, .partial])
    #expect(result.observations.map(\.line) == [2, 3, 4])
    #expect(result.observations.map { $0.refs.first?.value } == ["AC.L2-3.1.1", "3.1.2", "3.5.3"])
    #expect(result.observations.allSatisfy { $0.kind == .assessor })
  }

  @Test func utf16AndBOMTextSurvivesIntact() throws {
    let le = try CSVImporter().read(Self.fixture("csv/utf16le.csv"))
    #expect(le.observations.first?.comments == "Accounts reviewed, approved by Zoë")
    #expect(le.observations[1].comments == "Kein Zugriff – §4")
    let bom = try CSVImporter().read(Self.fixture("csv/utf8-bom-crlf.csv"))
    #expect(bom.observations.first?.comments == "reviewed by Zoë")
  }

  @Test func delimiterInsideACellDoesNotSplitIt() throws {
    let semicolon = try CSVImporter().read(Self.fixture("csv/semicolon.csv"))
    #expect(semicolon.observations.first?.comments == "reviewed, approved")
    let pipe = try CSVImporter().read(Self.fixture("csv/pipe.txt"))
    #expect(pipe.observations.first?.comments == "reviewed, approved; signed")
  }

  @Test func assessorSheetWithBannersHeadingsAndMultiLineNotes() throws {
    let result = try CSVImporter().read(Self.fixture("csv/assessor-banner.csv"))
    // Counted by hand from the fixture: header on line 4; results on lines 6, 7 (spanning 7–8), 9,
    // 10, 11, 12, 15, 16; line 5 is a section heading, 13 blank, 14 has no requirement.
    #expect(result.observations.map(\.line) == [6, 7, 9, 10, 11, 12, 15, 16])
    #expect(result.observations[0].refs == [Reference(.requirement, "AC.L2-3.1.1[a]")])
    #expect(result.observations[0].asset?.hostName == "web01")
    #expect(result.observations[0].details == "ad-export.xlsx")
    #expect(result.observations[1].comments == "Service accounts are not\r\nidentified, see ticket 42")
    #expect(result.observations[2].refs == [Reference(.requirement, "AC.L2-3.1.1[c]")])
    #expect(result.observations[3].status == .partial)
    #expect(result.observations[3].partialPoints == 3)
    #expect(result.observations[4].refs == [Reference(.requirement, "SC.L2-3.13.11")])
    #expect(result.observations[4].partialPoints == 3)
    #expect(result.observations[5].status == .notApplicable)
    #expect(result.observations[6].status == nil)
    let places = Set(result.diagnostics.map(\.location))
    #expect(places.isSuperset(of: ["4", "5", "14", "15", "16"]))
  }

  @Test func stigViewerChecklistExportWithResults() throws {
    let result = try CSVImporter().read(Self.fixture("csv/stig-viewer-checklist.csv"))
    #expect(result.observations.map(\.status) == [.met, .notMet, .notApplicable, .notAssessed])
    #expect(result.observations.map(\.line) == [2, 3, 4, 6])
    #expect(result.observations[1].severity == "high")  // the override
    #expect(result.observations[2].refs.filter { $0.kind == .cci }.map(\.value) == ["CCI-000068", "CCI-002450"])
    #expect(result.observations.allSatisfy { $0.kind == .automated })
  }

  @Test func wrongEncodingNamesLineAndColumn() {
    // Fixtures/bad/latin1.csv: line 3 is `3.1.2,Not Met,café fermé` in Latin-1; é is character 18.
    #expect(
      throws: ImportError.malformed(
        file: "Fixtures/bad/latin1.csv", line: 3, column: 18,
        expected: "UTF-8 or UTF-16 text; byte 0xE9 is not UTF-8 (save the file as \"CSV UTF-8\" or UTF-16)")
    ) {
      try CSVImporter().read(Self.fixture("bad/latin1.csv"))
    }
  }

  @Test func unterminatedQuoteIsMalformedNotSwallowed() {
    #expect {
      try CSVImporter().read(Self.fixture("bad/unterminated-quote.csv"))
    } throws: { error in
      guard case .malformed(_, 3, 15, let expected) = error as? ImportError else { return false }
      return expected.contains("closing double quote")
    }
  }

  @Test func emptyAndWhiteSpaceFilesAreErrors() {
    #expect(throws: ImportError.self) { try CSVImporter().read(Self.fixture("bad/zero-byte.csv")) }
    #expect(throws: ImportError.self) { try CSVImporter().read(Self.fixture("bad/whitespace-only.csv")) }
  }

  @Test func hugeCellIsKeptWhole() throws {
    let big = String(repeating: "evidence ", count: 600_000)  // 5.4 MB
    let text = "Requirement,Status,Evidence\n3.1.1,Met,\"\(big)\"\n3.1.2,Not Met,short\n"
    let start = Date()
    let result = try CSVImporter().read(InputFile(displayName: "big.csv", content: .data(Data(text.utf8))))
    #expect(result.observations.count == 2)
    #expect(result.observations[0].details?.utf8.count == big.utf8.count - 1)  // trailing space trimmed
    #expect(result.observations[1].line == 3)
    #expect(Date().timeIntervalSince(start) < 20)
  }
}
