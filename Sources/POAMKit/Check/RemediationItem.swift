/// Anything on a POA&M that is due by a date. The POA&M stage's item type can conform to this
/// so `poam check --fail-on overdue` and `poam diff` can judge a freshly drafted POA&M too;
/// until then, items come from a POA&M OSCAL JSON baseline (see ``POAMBaselineReader``).
public protocol ScheduledRemediation: Sendable {
  /// A stable identifier: the OSCAL poam-item UUID, or the POA&M's own item ID.
  var itemID: String { get }
  /// The item's title as the POA&M shows it.
  var itemTitle: String { get }
  /// The canonical CMMC requirement IDs the item remediates.
  var requirementIDs: [String] { get }
  /// The scheduled completion date, `YYYY-MM-DD`, when one is set.
  var scheduledCompletion: String? { get }
  /// False once the item is closed (completed, or its risks are closed).
  var isOpen: Bool { get }
}

/// A POA&M item reduced to what the drift gate needs: which requirements it covers, whether it
/// is open, and when it is due.
public struct RemediationItem: ScheduledRemediation, Codable, Hashable {
  public var itemID: String
  public var itemTitle: String
  public var requirementIDs: [String]
  public var scheduledCompletion: String?
  public var isOpen: Bool

  /// Creates an item.
  public init(itemID: String, itemTitle: String, requirementIDs: [String], scheduledCompletion: String?, isOpen: Bool) {
    self.itemID = itemID
    self.itemTitle = itemTitle
    self.requirementIDs = requirementIDs
    self.scheduledCompletion = scheduledCompletion
    self.isOpen = isOpen
  }

  /// Copies any scheduled remediation.
  public init(_ other: some ScheduledRemediation) {
    self.init(
      itemID: other.itemID, itemTitle: other.itemTitle, requirementIDs: other.requirementIDs,
      scheduledCompletion: other.scheduledCompletion, isOpen: other.isOpen)
  }

  /// True when the item is open and its scheduled completion date is before `date` (`YYYY-MM-DD`).
  public func isOverdue(asOf date: String) -> Bool {
    guard isOpen, let due = scheduledCompletion else { return false }
    return due < date
  }

  enum CodingKeys: String, CodingKey {
    case itemID = "item_id"
    case itemTitle = "title"
    case requirementIDs = "requirement_ids"
    case scheduledCompletion = "scheduled_completion"
    case isOpen = "open"
  }
}
