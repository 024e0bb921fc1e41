import Foundation
import Testing

@testable import POAMKit

/// ZIP archives of checklists (fixtures built with Python's zipfile, not with poam).
struct ArchiveReaderTests {
  @Test func membersAreNamedArchiveColonPathAndPackagingIsLeftOut() throws {
    let members = try ArchiveReader.members(of: CSVImporterTests.fixture("zip/checklists.zip"))
    // The archive lists: checklists/ (a directory), web01.cklb, sheet.csv, README.txt,
    // __MACOSX/checklists/._web01.cklb, .DS_Store, nested.zip.
    #expect(
      members.map(\.displayName) == [
        "Fixtures/zip/checklists.zip:checklists/web01.cklb", "Fixtures/zip/checklists.zip:checklists/sheet.csv",
        "Fixtures/zip/checklists.zip:checklists/README.txt", "Fixtures/zip/checklists.zip:checklists/nested.zip",
      ])
    let cklb = try members[0].readAll()
    #expect(cklb == (try Data(contentsOf: Paths.fixtures.appendingPathComponent("cklb/web01-overrides.cklb"))))
  }

  @Test func pipelineReadsEachMemberAndSkipsTheRestWithNotes() throws {
    let path = Paths.fixtures.appendingPathComponent("zip/checklists.zip").path
    let outcome = try ImportPipeline().run([path])
    // Named relative to the working directory (the package root), never by the absolute path.
    let shown = "Fixtures/zip/checklists.zip"
    // web01.cklb gives 5 observations (see CKLBImporterTests), sheet.csv 3.
    #expect(outcome.observations.count == 8)
    #expect(outcome.inputs.map(\.format) == [.zip])
    #expect(
      Set(outcome.observations.map(\.source)) == ["\(shown):checklists/web01.cklb", "\(shown):checklists/sheet.csv"])
    #expect(
      outcome.diagnostics.contains {
        $0.source == "\(shown):checklists/README.txt" && $0.severity == .note && $0.message.hasPrefix("skipped")
      })
    #expect(
      outcome.diagnostics.contains {
        $0.source == "\(shown):checklists/nested.zip" && $0.code == .inputSkipped
      })
  }

  @Test func zipBombIsRefusedByInflatedSize() throws {
    // zeros.csv declares and inflates to 3 MiB from 3 KiB.
    let limits = ArchiveReader.Limits(maxMembers: 10, maxTotalBytes: 1 << 20)
    #expect {
      try ArchiveReader.members(of: CSVImporterTests.fixture("zip/inflates-3MiB.zip"), limits: limits)
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImportError else { return false }
      return reason.contains("ZIP bomb") && reason.contains("1048576 bytes")
    }
    let underDefaultLimits = try ArchiveReader.members(of: CSVImporterTests.fixture("zip/inflates-3MiB.zip"))
    #expect(try underDefaultLimits.first?.readAll().count == 3 << 20)
  }

  @Test func tooManyMembersIsRefused() {
    let limits = ArchiveReader.Limits(maxMembers: 3, maxTotalBytes: 1 << 30)
    #expect {
      try ArchiveReader.members(of: CSVImporterTests.fixture("zip/checklists.zip"), limits: limits)
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImportError else { return false }
      return reason.contains("more than 3 members")
    }
  }

  @Test func corruptArchiveIsMalformed() {
    #expect {
      try ArchiveReader.members(of: CSVImporterTests.fixture("zip/not-really.zip"))
    } throws: { error in
      guard case .malformed(let file, _, _, let expected) = error as? ImportError else { return false }
      return file == "Fixtures/zip/not-really.zip" && expected.hasPrefix("a ZIP archive")
    }
  }
}
