import Foundation

/// One step of a POA&M item's plan, with its due date. People edit milestones freely; poam
/// drafts a default plan (plan, implement, validate) and never rewrites one a person changed.
public struct Milestone: Codable, Sendable, Hashable {
  /// The milestone's number within its item (nil for free text a person wrote).
  public var number: Int?
  /// What will be done.
  public var description: String
  /// The due date: `YYYY-MM-DD` when it is a date, otherwise the text as written (`TBD`).
  public var due: String?
  /// When it was done: `YYYY-MM-DD`, or the text as written.
  public var completedOn: String?

  /// Creates a milestone.
  public init(number: Int?, description: String, due: String?, completedOn: String? = nil) {
    self.number = number
    self.description = description
    self.due = due
    self.completedOn = completedOn
  }

  enum CodingKeys: String, CodingKey {
    case number, description, due
    case completedOn = "completed_on"
  }

  /// The due date, when `due` is one.
  public var dueDate: CalendarDate? { due.flatMap { CalendarDate.parse($0) } }

  /// True when it is done.
  public var isCompleted: Bool { !(completedOn ?? "").isEmpty }
}

/// The one-cell text form of a milestone list used by the spreadsheets, one milestone per line:
///
///     1. [due 03/16/2025] Plan: confirm the gap and assign an owner.
///     2. [due 05/15/2025, done 05/01/2025] Implement the fix.
///
/// A line that does not start with a number continues the previous milestone's description;
/// text that follows no numbered line is kept as a milestone without number or date, so a
/// person's free-form plan survives a rerun word for word.
enum MilestoneText {
  /// Renders milestones, writing dates with `format`.
  public static func render(_ milestones: [Milestone], format: (CalendarDate) -> String) -> String {
    milestones.map { milestone in
      guard let number = milestone.number else { return milestone.description }
      var tags: [String] = []
      if let due = milestone.due { tags.append("due " + display(due, format)) }
      if let done = milestone.completedOn { tags.append("done " + display(done, format)) }
      let bracket = tags.isEmpty ? "" : "[\(tags.joined(separator: ", "))] "
      return "\(number). \(bracket)\(milestone.description)"
    }.joined(separator: "\n")
  }

  /// Parses the cell text back into milestones.
  public static func parse(_ text: String) -> [Milestone] {
    var milestones: [Milestone] = []
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    if normalized.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [] }
    for line in normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if let match = line.wholeMatch(of: #/\s*(\d{1,3})[.)]\s*(?:\[([^\]]*)\]\s*)?(.*)/#) {
        var milestone = Milestone(
          number: FileNumbers.integer(match.output.1), description: String(match.output.3), due: nil)
        if let tags = match.output.2 {
          for tag in tags.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let lower = tag.lowercased()
            if lower.hasPrefix("due ") {
              milestone.due = canonical(String(tag.dropFirst(4)))
            } else if lower.hasPrefix("done ") {
              milestone.completedOn = canonical(String(tag.dropFirst(5)))
            } else if lower.hasPrefix("completed ") {
              milestone.completedOn = canonical(String(tag.dropFirst(10)))
            } else if milestone.due == nil {
              milestone.due = canonical(tag)
            }
          }
        }
        milestones.append(milestone)
      } else if !milestones.isEmpty {
        milestones[milestones.count - 1].description += "\n" + line
      } else {
        milestones.append(Milestone(number: nil, description: line, due: nil))
      }
    }
    return milestones
  }

  /// `YYYY-MM-DD` for a date in any accepted spelling; the text as written otherwise.
  static func canonical(_ text: String) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    return CalendarDate.parse(trimmed, allowSerial: false)?.iso ?? trimmed
  }

  private static func display(_ value: String, _ format: (CalendarDate) -> String) -> String {
    CalendarDate(iso: value).map(format) ?? value
  }
}
