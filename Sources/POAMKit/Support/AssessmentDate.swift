import Foundation

/// A calendar date written `YYYY-MM-DD`, as `--assessment-date` takes it.
public enum AssessmentDate {
  /// A date that is not a real `YYYY-MM-DD` calendar date.
  public struct Invalid: Error, LocalizedError, Hashable, Sendable {
    /// The text as given.
    public var text: String

    public var errorDescription: String? {
      "invalid assessment date '\(text)': expected a calendar date written YYYY-MM-DD, such as 2026-11-02"
    }
  }

  private static var calendar: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }

  /// Checks that `text` is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not) and
  /// returns it unchanged.
  public static func validate(_ text: String) throws -> String {
    guard let match = text.wholeMatch(of: #/(\d{4})-(\d{2})-(\d{2})/#),
      let year = Int(match.output.1), let month = Int(match.output.2), let day = Int(match.output.3),
      let date = calendar.date(from: DateComponents(year: year, month: month, day: day))
    else { throw Invalid(text: text) }
    let back = calendar.dateComponents([.year, .month, .day], from: date)
    guard back.year == year, back.month == month, back.day == day else { throw Invalid(text: text) }
    return text
  }

  /// The date of `now` in UTC, written `YYYY-MM-DD`.
  public static func string(from now: Date) -> String {
    let parts = calendar.dateComponents([.year, .month, .day], from: now)
    return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
  }
}
