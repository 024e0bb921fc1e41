import Foundation

/// A day on the Gregorian calendar, without time or time zone: assessment dates, due dates,
/// closure dates. Arithmetic is exact (no daylight-saving surprises) and formatting is fixed.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The year (1 to 9999).
  public let year: Int
  /// The month (1 to 12).
  public let month: Int
  /// The day of the month (1 to 31).
  public let day: Int

  /// Creates a date; nil when the day does not exist (2025-02-30).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
      day <= CalendarDate.daysIn(month: month, year: year)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses exactly `YYYY-MM-DD` (ASCII digits, a day that exists).
  public init?(iso text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// The day a date or ISO 8601 date-time starts with: `2025-03-15`, `2025-03-15T10:00:00Z`,
  /// `2025-03-15 10:00`, and dates with a time zone as OSCAL writes them (`2025-03-15Z`,
  /// `2025-03-15-05:00`); surrounding white space is ignored. Nil for anything else.
  public init?(leadingDayOf raw: String) {
    let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.count >= 10, let date = CalendarDate(iso: String(text.prefix(10))) else { return nil }
    if text.count > 10 {
      let next = text[text.index(text.startIndex, offsetBy: 10)]
      guard "Tt Zz+-".contains(next) else { return nil }
    }
    self = date
  }

  /// The date of an Excel serial day number. In the 1900 date system day 1 is 1900-01-01 and
  /// Excel counts a 29 February 1900 that never was, so day 60 has no date (nil) and from day 61
  /// on a serial counts days since 1899-12-30; in the 1904 system day 0 is 1904-01-01. Nil before
  /// the first day and after 9999-12-31.
  public init?(excelSerial serial: Int, date1904: Bool = false) {
    let epoch: CalendarDate
    if date1904 {
      guard serial >= 0 else { return nil }
      epoch = CalendarDate(year: 1904, month: 1, day: 1)!
    } else {
      guard serial >= 1, serial != 60 else { return nil }
      epoch = serial < 60 ? CalendarDate(year: 1899, month: 12, day: 31)! : CalendarDate.excelEpoch
    }
    let date = epoch.adding(days: serial)
    guard date.year <= 9999 else { return nil }
    self = date
  }

  /// Reads a date option or field that must be a real `YYYY-MM-DD` day (`--assessment-date`,
  /// `--as-of`); `field` names it in the error.
  public static func validated(_ text: String, field: String) throws(InvalidDate) -> CalendarDate {
    guard let date = CalendarDate(iso: text) else { throw InvalidDate(text: text, field: field) }
    guard optionRange.contains(date) else {
      var error = InvalidDate(text: text, field: field)
      error.outOfRange = true
      throw error
    }
    return date
  }

  /// The days a date option may name: OSCAL dates run from 1900 to 2999, and a POA&M's
  /// milestones and closeout fall up to 180 days after the assessment date, so the last
  /// accepted day is 2999-12-31 minus 180 days (2999-07-04).
  public static let optionRange: ClosedRange<CalendarDate> =
    CalendarDate(
      year: 1900, month: 1, day: 1)!...CalendarDate(
      daysSinceEpoch: CalendarDate(year: 2999, month: 12, day: 31)!.daysSinceEpoch - 180)

  /// A `YYYY-MM-DD` option's value, checked, or today (UTC) when it was not given.
  public static func day(_ text: String?, field: String) throws(InvalidDate) -> String {
    guard let text else { return today().iso }
    return try validated(text, field: field).iso
  }

  /// Reads the ways people and spreadsheets write a date: `2025-03-15`, `2025-03-15T00:00:00Z`, `2025-03-15 10:00`,
  /// `03/15/2025`, `3/15/2025`, and (when `allowSerial`) an Excel serial day number such as
  /// `45731`. Returns nil for anything else, such as `TBD` or `Q3 2025`.
  public static func parse(_ raw: String, allowSerial: Bool = true) -> CalendarDate? {
    let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty { return nil }
    if let date = CalendarDate(leadingDayOf: text) { return date }
    let slashed = text.split(separator: "/", omittingEmptySubsequences: false)
    if slashed.count == 3, slashed[2].count == 4, (1...2).contains(slashed[0].count),
      (1...2).contains(slashed[1].count),
      let month = Int(slashed[0]), let day = Int(slashed[1]), let year = Int(slashed[2])
    {
      return CalendarDate(year: year, month: month, day: day)
    }
    if allowSerial, let serial = Double(text), serial.rounded() == serial, serial >= 61, serial < 2_958_466 {
      // From day 61 (1900-03-01) on: smaller numbers are more likely counts than dates.
      return CalendarDate(excelSerial: Int(serial))
    }
    return nil
  }

  private static let excelEpoch = CalendarDate(year: 1899, month: 12, day: 30)!

  /// `YYYY-MM-DD`.
  public var iso: String {
    String(format: "%04d-%02d-%02d", year, month, day)
  }

  /// `MM/DD/YYYY`, the form eMASS and US spreadsheets use.
  public var usFormat: String {
    String(format: "%02d/%02d/%04d", month, day, year)
  }

  /// `YYYY-MM-DD`.
  public var description: String { iso }

  /// `YYYY-MM-DDT00:00:00Z`, for formats that need a date-time.
  public var midnightUTC: String { iso + "T00:00:00Z" }

  /// Days since 1970-01-01 (negative before).
  public var daysSinceEpoch: Int {
    // Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The date `days` days since 1970-01-01.
  public init(daysSinceEpoch days: Int) {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    self.month = month
    self.day = day
  }

  /// The date `days` later (earlier when negative).
  public func adding(days: Int) -> CalendarDate {
    CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
  }

  /// Days from this date to `other` (positive when `other` is later).
  public func days(until other: CalendarDate) -> Int {
    other.daysSinceEpoch - daysSinceEpoch
  }

  /// The Excel serial day number of this date (1900 date system).
  public var excelSerial: Int {
    CalendarDate.excelEpoch.days(until: self)
  }

  /// Today in UTC.
  public static func today() -> CalendarDate {
    CalendarDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
  }

  public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// A date option or field that is not a real `YYYY-MM-DD` day.
public struct InvalidDate: Error, LocalizedError, Sendable, Hashable {
  /// The text as given.
  public var text: String
  /// What it was given as: `--assessment-date`, `--as-of`.
  public var field: String

  /// Creates an error.
  public init(text: String, field: String) {
    self.text = text
    self.field = field
  }

  /// True when the text is a date, but outside ``CalendarDate/optionRange``.
  public var outOfRange = false

  /// What a date must look like.
  public var expectation: String {
    guard outOfRange else { return "expected a calendar date written YYYY-MM-DD, such as 2026-11-02" }
    let range = CalendarDate.optionRange
    return
      "expected a date from \(range.lowerBound.iso) to \(range.upperBound.iso) (OSCAL dates run from 1900 to 2999, and due dates fall up to 180 days later)"
  }

  public var errorDescription: String? {
    "\(field) '\(text)' is \(outOfRange ? "out of range" : "not a date"): \(expectation)"
  }
}

/// A date in every file poam writes or reads is `YYYY-MM-DD`: decoding anything else fails,
/// naming the value, so a bad date is an error where the file is read, never later.
extension CalendarDate: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let date = CalendarDate(iso: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(text)' is not a date: expected YYYY-MM-DD")
    }
    self = date
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(iso)
  }
}
