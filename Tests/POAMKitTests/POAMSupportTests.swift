import Foundation
import Testing

@testable import POAMKit

/// Dates, name-based UUIDs and atomic writes: the small pieces the POA&M relies on.
struct CalendarDateTests {
  @Test func parsesTheSpellingsPeopleAndSpreadsheetsUse() {
    // Excel serial 45731 = 2025-03-15 (python: (date(2025,3,15) - date(1899,12,30)).days).
    for text in ["2025-03-15", "03/15/2025", "3/15/2025", "2025-03-15T00:00:00Z", " 2025-03-15 ", "45731"] {
      #expect(CalendarDate.parse(text)?.iso == "2025-03-15", "\(text)")
    }
    for text in ["TBD", "Q3 2025", "2025-02-30", "13/01/2025", "", "15.03.2025"] {
      #expect(CalendarDate.parse(text) == nil, "\(text)")
    }
    #expect(CalendarDate.parse("45731", allowSerial: false) == nil)
  }

  @Test func arithmeticMatchesPython() {
    // python: date(2025,1,15)+timedelta(180) = 2025-07-14; +150 = 2025-06-14;
    // date(2024,2,28)+timedelta(2) = 2024-03-01; date(2000,3,1)-date(1970,1,1) = 11017 days.
    let start = CalendarDate(iso: "2025-01-15")!
    #expect(start.adding(days: 180).iso == "2025-07-14")
    #expect(start.adding(days: 150).iso == "2025-06-14")
    #expect(CalendarDate(iso: "2024-02-28")!.adding(days: 2).iso == "2024-03-01")
    #expect(CalendarDate(iso: "2000-03-01")!.daysSinceEpoch == 11_017)
    #expect(CalendarDate(daysSinceEpoch: 11_017).iso == "2000-03-01")
    #expect(CalendarDate(iso: "2025-03-15")!.excelSerial == 45_731)
    #expect(CalendarDate(iso: "2025-03-15")!.usFormat == "03/15/2025")
    #expect(start.days(until: start.adding(days: 180)) == 180)
  }

  /// The leading day of a date or date-time: what POA&M baselines and spreadsheets carry.
  @Test func readsTheDayADateTimeStartsWith() {
    for text in [
      "2025-03-15", "2025-03-15T10:00:00Z", "2025-03-15t10:00", "2025-03-15 10:00", " 2025-03-15\n",
      "2025-03-15Z", "2025-03-15-05:00", "2025-03-15+01:00",
    ] {
      #expect(CalendarDate(leadingDayOf: text)?.iso == "2025-03-15", "\(text)")
    }
    for text in ["2025-02-30T00:00:00Z", "2025-03-150", "2025-3-15", "03/15/2025", "2025-+3-15", "", "2025-03-1"] {
      #expect(CalendarDate(leadingDayOf: text) == nil, "\(text)")
    }
    #expect(CalendarDate(iso: "2025-+3-15") == nil && CalendarDate(iso: "+025-03-15") == nil)
  }

  /// Excel serials in both date systems (python: date(1904,1,1) + timedelta(45000) = 2027-03-16;
  /// 9999-12-31 is day 2958465 of the 1900 system and 2957003 of the 1904 system).
  @Test func readsExcelSerialDays() {
    #expect(CalendarDate(excelSerial: 1)?.iso == "1900-01-01")
    #expect(CalendarDate(excelSerial: 59)?.iso == "1900-02-28")
    #expect(CalendarDate(excelSerial: 60) == nil, "Excel's 29 February 1900 never was")
    #expect(CalendarDate(excelSerial: 61)?.iso == "1900-03-01")
    #expect(CalendarDate(excelSerial: 45_731)?.iso == "2025-03-15")
    #expect(CalendarDate(excelSerial: 2_958_465)?.iso == "9999-12-31")
    #expect(CalendarDate(excelSerial: 2_958_466) == nil && CalendarDate(excelSerial: 0) == nil)
    #expect(CalendarDate(excelSerial: 0, date1904: true)?.iso == "1904-01-01")
    #expect(CalendarDate(excelSerial: 45_000, date1904: true)?.iso == "2027-03-16")
    #expect(CalendarDate(excelSerial: 2_957_003, date1904: true)?.iso == "9999-12-31")
    #expect(CalendarDate(excelSerial: 2_957_004, date1904: true) == nil)
  }

  /// Date options: a real day or an error naming the option; today when not given.
  @Test func checksDateOptions() throws {
    #expect(try CalendarDate.day("2024-02-29", field: "--as-of") == "2024-02-29")
    #expect(try CalendarDate.day(nil, field: "--as-of") == CalendarDate.today().iso)
    do {
      _ = try CalendarDate.day("2025-02-29", field: "--as-of")
      Issue.record("2025 is not a leap year")
    } catch {
      #expect(
        error.localizedDescription
          == "--as-of '2025-02-29' is not a date: expected a calendar date written YYYY-MM-DD, such as 2026-11-02")
    }
  }
}

struct NameBasedUUIDTests {
  /// Expected values from Python's uuid.uuid5.
  @Test func matchesRFC4122Version5() {
    let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
    #expect(NameBasedUUID.make("python.org", namespace: dns) == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    let url = UUID(uuidString: "6ba7b811-9dad-11d1-80b4-00c04fd430c8")!
    #expect(NameBasedUUID.make("https://example.com/é", namespace: url) == "20ecd233-a9e7-5067-a96f-fd6600ca3fda")
    #expect(NameBasedUUID.make("poam:item:POAM-AC.L2-3.1.1") == "ecbe8641-6b8b-5f68-8c3a-08e4b8db3b01")
  }
}

struct AtomicFileTests {
  @Test func replacesTheFileAndLeavesNoTemporaryFiles() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("poam.json")
    try AtomicFile.write(Data("old".utf8), to: url)
    try AtomicFile.write(Data("new".utf8), to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == "new")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["poam.json"])
  }

  /// When one of several outputs cannot be written, none is replaced and no temporary file stays.
  @Test func aFailedBatchChangesNothing() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = directory.appendingPathComponent("a.txt")
    try Data("previous".utf8).write(to: first)
    let missing = directory.appendingPathComponent("no-such-dir/b.txt")
    #expect(throws: OutputError.self) {
      try AtomicFile.writeAll([(first, Data("next".utf8)), (missing, Data("x".utf8))])
    }
    #expect(try String(contentsOf: first, encoding: .utf8) == "previous")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["a.txt"])
    do {
      try AtomicFile.write(Data("x".utf8), to: missing)
      Issue.record("a missing directory must be an error without createDirectories")
    } catch {
      #expect(error.reason == "no such directory \(missing.deletingLastPathComponent().path)")
    }
  }

  /// The path form (check's reports and baseline) creates missing directories; append adds to
  /// a file another program owns.
  @Test func writesByPathCreatingDirectoriesAndAppends() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("reports/ci/junit.xml").path
    try AtomicFile.write("<testsuites/>", to: path)
    try AtomicFile.write("<testsuites></testsuites>", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "<testsuites></testsuites>")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("reports/ci").path) == [
        "junit.xml"
      ])
    let summary = directory.appendingPathComponent("step-summary.md").path
    try AtomicFile.append("first\n", to: summary)
    try AtomicFile.append("", to: summary)
    try AtomicFile.append("second\n", to: summary)
    #expect(try String(contentsOfFile: summary, encoding: .utf8) == "first\nsecond\n")
  }
}

struct MilestoneTextTests {
  @Test func roundTripsPoamsOwnFormAndFreeText() {
    let milestones = [
      Milestone(number: 1, description: "Plan the fix.", due: "2025-02-14"),
      Milestone(number: 2, description: "Implement,\nthen record.", due: "2025-04-15", completedOn: "2025-04-01"),
      Milestone(number: 3, description: "Validate", due: "TBD"),
    ]
    let text = MilestoneText.render(milestones) { $0.usFormat }
    #expect(
      text
        == "1. [due 02/14/2025] Plan the fix.\n2. [due 04/15/2025, done 04/01/2025] Implement,\nthen record.\n3. [due TBD] Validate"
    )
    #expect(MilestoneText.parse(text) == milestones)
    let free = "We will finish by June.\nAsk Bob."
    #expect(MilestoneText.render(MilestoneText.parse(free)) { $0.iso } == free)
  }
}

/// One escaper for HTML and XML (report.html, JUnit), each target with its own rules.
struct MarkupEscapingTests {
  static let sample = "a&b <c> \"d\" 'e'\n\tf\r\u{1}g\u{FFFE}"

  @Test func escapesForEachTarget() {
    #expect(HTML.escape(Self.sample) == "a&amp;b &lt;c&gt; &quot;d&quot; &#39;e&#39;\n\tf\r\u{1}g\u{FFFE}")
    #expect(
      XMLText.attribute(Self.sample)
        == "a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#10;&#9;f&#13;\u{FFFD}g\u{FFFD}")
    #expect(XMLText.content(Self.sample) == "a&amp;b &lt;c&gt; \"d\" 'e'\n\tf&#13;\u{FFFD}g\u{FFFD}")
  }

  /// A combining mark after `<` makes one Character with it; the escape works on scalars, so the
  /// `<` is still escaped.
  @Test func aCombiningMarkCannotHideMarkup() {
    let hostile = "<\u{301}script>alert(1)</script>"
    #expect(!HTML.escape(hostile).contains("<"))
    #expect(HTML.escape(hostile) == "&lt;\u{301}script&gt;alert(1)&lt;/script&gt;")
    #expect(!XMLText.content(hostile).contains("<"))
  }
}
