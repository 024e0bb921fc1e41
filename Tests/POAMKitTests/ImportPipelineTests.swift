import Foundation
import Testing

@testable import POAMKit

/// Inputs as users pass them: directories, standard input, odd files.
struct ImportPipelineTests {
  @Test func tenThousandSmallFilesAreListedAsNotesQuickly() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Plain POSIX writes: Data.write(to:) and URL building take over a millisecond a file on Linux.
    let base = directory.path + "/n"
    for index in 0..<10_000 {
      let descriptor = open(base + String(index) + ".txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      try #require(descriptor >= 0)
      let line = Array("note \(index)\n".utf8)
      _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      close(descriptor)
    }
    try FileManager.default.copyItem(
      at: Paths.fixtures.appendingPathComponent("csv/semicolon.csv"), to: directory.appendingPathComponent("a.csv"))
    let start = Date()
    let outcome = try ImportPipeline().run([directory.path])
    let elapsed = Date().timeIntervalSince(start)
    #expect(outcome.observations.count == 3)
    #expect(outcome.inputs.count == 1)
    let notes = outcome.diagnostics.filter { $0.severity == .note && $0.message.hasPrefix("skipped:") }
    #expect(notes.count == 10_000)
    #expect(elapsed < 30, "reading took \(elapsed) s")
  }

  @Test func directoryMixingKnownAndUnknownFiles() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fixtures = Paths.fixtures
    for (from, to) in [
      ("cklb/web01-overrides.cklb", "web01.cklb"), ("csv/tab.tsv", "sub/sheet.tsv"), ("bad/garbage.bin", "image.png"),
      ("bad/zero-byte.csv", "empty.csv"), ("bad/no-header.txt", "README.md"),
    ] {
      let target = directory.appendingPathComponent(to)
      try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: fixtures.appendingPathComponent(from), to: target)
    }
    let outcome = try ImportPipeline().run([directory.path + "/"])
    #expect(outcome.observations.count == 5 + 3)
    // A directory outside the working directory is named from its last component: no absolute path.
    let shown = directory.lastPathComponent
    #expect(outcome.inputs.map(\.name) == [shown + "/sub/sheet.tsv", shown + "/web01.cklb"])
    #expect(outcome.observations.allSatisfy { $0.source.hasPrefix(shown + "/") })
    let skipped = outcome.diagnostics.filter { $0.message.hasPrefix("skipped:") }.map(\.source).sorted()
    #expect(skipped == ["README.md", "empty.csv", "image.png"].map { shown + "/" + $0 })
  }

  @Test func inputsAreNamedWithoutAbsoluteLocalPaths() {
    let cwd = "/home/alice/project"
    func shown(_ argument: String) -> String { ImportPipeline.shownName(argument, workingDirectory: cwd) }
    // Under the working directory: relative to it.
    #expect(shown("/home/alice/project/scans/host1.ckl") == "scans/host1.ckl")
    #expect(shown("/home/alice/project/scans/") == "scans")
    #expect(shown("/home/alice/project") == ".")
    // Elsewhere: the last component of the argument.
    #expect(shown("/home/alice/scans") == "scans")
    #expect(shown("/home/alice/scans/") == "scans")
    #expect(shown("/tmp/host1.ckl") == "host1.ckl")
    #expect(shown("../scans/host1.ckl") == "host1.ckl")
    #expect(shown("../project/scans") == "scans")
    // A relative argument without `..` is kept as the user wrote it.
    #expect(shown("scans/host1.ckl") == "scans/host1.ckl")
    #expect(shown("./scans") == "./scans")
  }

  @Test func noAbsolutePathReachesTheDiagnosticsOfARun() throws {
    let evidence = try EvidenceLoader.load(
      [Paths.fixtures.appendingPathComponent("ckl/evaluate-stig-answerfile.ckl").path], options: ImportOptions(),
      catalog: TestCatalog.shared, cciList: Paths.fixtures.appendingPathComponent("cci/U_CCI_List-excerpt.xml").path)
    #expect(evidence.inputNames == ["Fixtures/ckl/evaluate-stig-answerfile.ckl"])
    #expect(
      evidence.diagnostics.contains { $0.code == .cciListUsed && $0.source == "Fixtures/cci/U_CCI_List-excerpt.xml" })
    #expect(!evidence.diagnostics.contains { $0.source.hasPrefix("/") })
    #expect(!evidence.imported.observations.contains { $0.source.hasPrefix("/") })
  }

  @Test func standardInputIsReadWhenTheInputIsADash() throws {
    let bytes = try Data(contentsOf: Paths.fixtures.appendingPathComponent("csv/utf16le.csv"))
    let outcome = try ImportPipeline(readStandardInput: { bytes }).run(["-"])
    #expect(outcome.observations.count == 3)
    #expect(outcome.observations.allSatisfy { $0.source == "-" })
  }

  @Test(arguments: [
    ("bad/garbage.bin", "binary content"), ("bad/zero-byte.csv", "empty"), ("bad/whitespace-only.csv", "white space"),
    ("bad/no-header.txt", "no header row"),
  ])
  func unreadableFilesNamedDirectlyAreErrors(name: String, reason: String) {
    let path = Paths.fixtures.appendingPathComponent(name).path
    #expect {
      try ImportPipeline().run([path])
    } throws: { error in
      guard case .unsupported("Fixtures/" + name, let message) = error as? ImportError else { return false }
      return message.contains(reason)
    }
  }

  @Test func latin1CSVIsDetectedAsCSVSoTheErrorCanNameTheByte() throws {
    let file = CSVImporterTests.fixture("bad/latin1.csv")
    #expect(FormatDetector.detect(try file.prefix(FormatDetector.prefixLength)) == .format(.csv))
  }

  @Test func keepGoingSkipsBadFilesAndReportsEach() throws {
    let good = Paths.fixtures.appendingPathComponent("csv/pipe.txt").path
    let bad = Paths.fixtures.appendingPathComponent("bad/malformed.json").path
    let outcome = try ImportPipeline().run([bad, good, "/no/such/file"], options: ImportOptions(keepGoing: true))
    #expect(outcome.observations.count == 3)
    // A file that does not exist keeps the path as written; the others are named relative to the
    // working directory.
    #expect(outcome.failures.map(\.file).sorted() == ["/no/such/file", "Fixtures/bad/malformed.json"])
    #expect(outcome.diagnostics.filter { $0.severity == .error }.count == 2)
  }
}
