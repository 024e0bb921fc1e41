import Foundation
import Testing

@testable import POAMKit

/// Cells of poam.csv and poam.xlsx that grow with the results stay readable and under Excel's
/// 32,767-character limit (issue 16): Devices Affected and Security Checks list what fits and
/// say how many more there are; long derived text is cut, naming what was left out; the capped
/// cells read back and survive a rerun.
struct CellBoundsTests {
  static func hosts(_ count: Int, prefix: String = "host") -> [String] {
    (1...count).map { prefix + "-" + String(format: "%05d", $0) + ".corp.example.mil" }
  }

  @Test func tenThousandAssetsFitAndSayHowManyMore() throws {
    let names = Self.hosts(10_000)
    let cell = CellBounds.list(names, total: names.count)
    #expect(cell.utf16.count <= CellBounds.listBudget)
    #expect(CellBounds.listBudget < CellBounds.excelLimit)
    let lines = cell.split(separator: "\n").map(String.init)
    let shown = lines.dropLast()
    #expect(shown.count > 50, "about a hundred names fit in \(CellBounds.listBudget) characters")
    #expect(Array(shown) == Array(names.prefix(shown.count)), "the first names, in the order given")
    #expect(lines.last == "and \(Plural.number(10_000 - shown.count)) more (see evidence.jsonl.gz)")
    // One more name would pass the budget with room kept for the longest last line
    // (`10,000 not listed here (…)`): as many as fit are shown.
    let longest = CellBounds.trailer(omitted: 10_000, shownAny: false, pointer: CellBounds.fullListPointer)
    let longer = (Array(shown) + [names[shown.count], longest]).joined(separator: "\n")
    #expect(longer.utf16.count > CellBounds.listBudget)
    #expect((Array(shown) + [longest]).joined(separator: "\n").utf16.count <= CellBounds.listBudget)
  }

  @Test func aBoundedListWithItsTrueTotalCountsTheRest() {
    // The caller may pass only the first names and the true total.
    let cell = CellBounds.list(["a", "b", "c"], total: 9_815)
    #expect(cell == "a\nb\nc\nand 9,812 more (see evidence.jsonl.gz)")
    #expect(CellBounds.list(["a", "b"], total: 2) == "a\nb")
    #expect(CellBounds.list([], total: 0) == "")
    #expect(CellBounds.list(["a", "b"], total: 1) == "a\nb", "a total below the names given is taken as their count")
  }

  @Test func aListThatFitsIsWrittenAsBefore() {
    let names = Self.hosts(100).map { String($0.prefix(10)) }
    let cell = CellBounds.list(names, total: names.count)
    #expect(cell == names.joined(separator: "\n"))
    // Exactly at the budget: still whole.
    let exact = [String(repeating: "x", count: 999), String(repeating: "y", count: 1_000)]
    #expect(CellBounds.list(exact, total: 2) == exact.joined(separator: "\n"))
    let over = [String(repeating: "x", count: 1_000), String(repeating: "y", count: 1_000)]
    let cut = CellBounds.list(over, total: 2)
    #expect(cut == String(repeating: "x", count: 1_000) + "\nand 1 more (see evidence.jsonl.gz)")
  }

  @Test func anEntryTooLongForTheCellIsCountedNotCut() {
    let cell = CellBounds.list([String(repeating: "z", count: 5_000), "b"], total: 2)
    #expect(cell == "2 not listed here (see evidence.jsonl.gz)")
    #expect(CellBounds.parseList(cell).entries.isEmpty && CellBounds.parseList(cell).total == 2)
  }

  @Test func capsCountWideCharactersAsExcelDoes() {
    // Excel counts UTF-16 code units: an emoji is two.
    let names = (1...2_000).map { "🖥️-\($0)" }
    let cell = CellBounds.list(names, total: names.count)
    #expect(cell.utf16.count <= CellBounds.listBudget)
  }

  @Test func aCappedCellReadsBackAndRendersTheSame() {
    let names = Self.hosts(10_000)
    let cell = CellBounds.list(names, total: names.count)
    let (entries, total) = CellBounds.parseList(cell)
    #expect(total == 10_000)
    #expect(!entries.contains { $0.hasPrefix("and ") })
    #expect(CellBounds.list(entries, total: total ?? entries.count) == cell)
    // A full list, and a host that merely looks like the last line of one, are entries.
    #expect(CellBounds.parseList("a\nb").total == nil)
    #expect(CellBounds.parseList("and more\nb").entries == ["and more", "b"])
    #expect(CellBounds.parseList("a\nand 12 more pieces").total == nil)
    #expect(CellBounds.omittedCount("and 1,234 more (see evidence.jsonl.gz)") == 1_234)
    #expect(CellBounds.omittedCount("12 not listed here (see x)") == 12)
    #expect(CellBounds.omittedCount("and , more (see x)") == nil)
    #expect(CellBounds.omittedCount("and 99999999999999999999 more (see x)") == nil)
  }

  @Test func longDerivedTextIsCutNamingWhatWasLeftOut() throws {
    let words = (1...20_000).map { "word\($0)" }.joined(separator: " ")
    let cut = CellBounds.text(words)
    #expect(cut.utf16.count <= CellBounds.textBudget)
    let marker = try #require(cut.range(of: " … ["))
    let kept = String(cut[..<marker.lowerBound])
    #expect(kept.count > CellBounds.textBudget * 9 / 10, "most of the budget is text")
    #expect(words.hasPrefix(kept + " "), "cut between words")
    #expect(cut.hasSuffix(" more characters: full text in poam.json]"))
    #expect(cut.contains("[\(Plural.number(words.count - kept.count)) more characters"))
    // Short text, and text exactly at the budget, is left alone; cutting is idempotent.
    #expect(CellBounds.text("short") == "short")
    let exact = String(repeating: "a", count: CellBounds.textBudget)
    #expect(CellBounds.text(exact) == exact)
    #expect(CellBounds.text(cut) == cut)
    // Text with no space is cut where the room ends.
    let solid = String(repeating: "b", count: 50_000)
    #expect(CellBounds.text(solid).utf16.count <= CellBounds.textBudget)
  }

  // MARK: - In poam.csv and poam.xlsx

  static func report(hosts: [String], date: String = "2025-01-15", sources: Int = 1) -> GapReport {
    var builder = GapReportBuilder(date: date)
    builder.notMet(
      "AC.L2-3.1.9",
      evidence: hosts.enumerated().map { index, host in
        GapReportBuilder.evidence(
          "scan-\(index % sources).ckl", asset: host, status: .notMet, raw: "Open",
          detail: "SV-\(230_000 + index % 3_000)r1_rule banner missing", location: "VULN V-\(230_000 + index % 3_000)")
      })
    return builder.build()
  }

  func outputs(_ report: GapReport, prior: POAMDocument? = nil) throws -> URL {
    let directory = try makeTemporaryDirectory()
    _ = try POAMWorkflow.run(
      report: report, catalog: TestCatalog.shared, prior: prior, owners: try POAMDraftTests.owners(),
      outputDirectory: directory)
    return directory
  }

  func cells(_ data: Data, item: String) throws -> [String: String] {
    let rows = try POAMReader.csvRows(data, source: "poam.csv")
    let row = try #require(rows.first { $0.first == item })
    return Dictionary(zip(rows[0], row), uniquingKeysWith: { first, _ in first })
  }

  @Test func everyCellOfTenThousandHostsStaysUnderExcelsLimit() throws {
    let hosts = Self.hosts(10_000)
    let directory = try outputs(Self.report(hosts: hosts.reversed(), sources: 10_000))
    defer { try? FileManager.default.removeItem(at: directory) }
    let csv = try cells(Data(contentsOf: directory.appendingPathComponent("poam.csv")), item: "POAM-AC.L2-3.1.9")
    for (header, text) in csv {
      #expect(text.utf16.count < CellBounds.excelLimit, "\(header): \(text.utf16.count) characters")
    }
    let devices = try #require(csv["Devices Affected"])
    #expect(devices.utf16.count <= CellBounds.listBudget)
    let lines = devices.split(separator: "\n").map(String.init)
    #expect(Array(lines.dropLast()) == Array(hosts.prefix(lines.count - 1)), "the first hosts in sorted order")
    #expect(lines.last == "and \(Plural.number(10_000 - (lines.count - 1))) more (see evidence.jsonl.gz)")
    let checks = try #require(csv["Security Checks"])
    #expect(checks.utf16.count <= CellBounds.listBudget && checks.contains(" more (see evidence.jsonl.gz)"))
    let source = try #require(csv["Source Identifying Vulnerability "])
    #expect(source.utf16.count <= CellBounds.textBudget && source.contains("more characters: full text in poam.json]"))

    let workbook = try Data(contentsOf: directory.appendingPathComponent("poam.xlsx"))
    let rows = try WorkbookTestReader.rows(workbook)
    let row = try #require(rows.first { $0.first == "POAM-AC.L2-3.1.9" })
    #expect(row.allSatisfy { $0.utf16.count < CellBounds.excelLimit })
    #expect(row[rows[0].firstIndex(of: "Devices Affected")!] == devices)
    // poam.json keeps every device.
    let json = try POAMWorkflow.loadPrior(
      path: directory.appendingPathComponent("poam.json").path, catalog: TestCatalog.shared
    ).0
    #expect(json.item(id: "POAM-AC.L2-3.1.9")?.devicesAffected.count == 10_000)
  }

  @Test func aCappedCellIsReadBackWithItsTotalNotAsADevice() throws {
    let directory = try outputs(Self.report(hosts: Self.hosts(3_000)))
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["poam.csv", "poam.xlsx"] {
      let prior = try POAMWorkflow.loadPrior(
        path: directory.appendingPathComponent(name).path, catalog: TestCatalog.shared
      ).0
      let item = try #require(prior.item(id: "POAM-AC.L2-3.1.9"))
      #expect(item.devicesAffectedTotal == 3_000, "\(name)")
      #expect(item.devicesAffected == Array(Self.hosts(3_000).prefix(item.devicesAffected.count)), "\(name)")
      #expect(!item.devicesAffected.contains { $0.contains("more (see") }, "\(name)")
      // Written again (an item a rerun carries over), the cell is the same.
      let table = POAMTable(layout: try POAMLayout.bundled(), catalog: TestCatalog.shared)
      let cell = table.cell(.devicesAffected, item: item, document: prior)
      #expect(cell == .text(CellBounds.list(Self.hosts(3_000), total: 3_000)), "\(name)")
    }
  }

  @Test func aRerunWithAnotherAssetListRewritesTheCappedCell() throws {
    let first = try outputs(Self.report(hosts: Self.hosts(3_000)))
    defer { try? FileManager.default.removeItem(at: first) }
    // The prior is the CSV (as when a person edited it): the capped cell comes back with it.
    var prior = try POAMWorkflow.loadPrior(
      path: first.appendingPathComponent("poam.csv").path, catalog: TestCatalog.shared
    ).0
    let index = try #require(prior.items.firstIndex { $0.id == "POAM-AC.L2-3.1.9" })
    prior.items[index].comments = "ticket 42"
    let april = Self.report(hosts: Self.hosts(2_500, prefix: "ws"), date: "2025-04-01")
    let next = try outputs(april, prior: prior)
    defer { try? FileManager.default.removeItem(at: next) }
    let csv = try cells(Data(contentsOf: next.appendingPathComponent("poam.csv")), item: "POAM-AC.L2-3.1.9")
    #expect(csv["Comments"] == "ticket 42", "the person's edit is kept")
    let devices = try #require(csv["Devices Affected"])
    #expect(
      devices == CellBounds.list(Self.hosts(2_500, prefix: "ws"), total: 2_500), "this run's assets, capped again")
    #expect(!devices.contains("host-"))
    let json = try POAMWorkflow.loadPrior(
      path: next.appendingPathComponent("poam.json").path, catalog: TestCatalog.shared
    ).0
    let item = try #require(json.item(id: "POAM-AC.L2-3.1.9"))
    #expect(item.devicesAffected == Self.hosts(2_500, prefix: "ws"))
    #expect(item.devicesAffectedTotal == nil)
  }
}
