/// When a drafted item's milestones fall due.
///
/// 32 CFR 170.21(b) gives a Conditional status 180 days for a POA&M closeout assessment to
/// confirm every item closed. The default plan for a POA&M-eligible item therefore finishes
/// 30 days early, leaving room for that assessment: plan by day 30, implement by day 90,
/// validate by day 150 (scheduled completion), closeout deadline day 180.
///
/// An item that may not be on a POA&M (a 5- or 3-point requirement, one of the requirements
/// 170.21 names, or any Level 1 gap) blocks a Conditional status outright: no status can be
/// had until it is MET. poam still drafts it, marked ineligible, on a shorter default plan —
/// plan by day 14, implement by day 45, validate by day 90 — because every day it stays open
/// is a day without a status. Both plans are defaults for a person to change.
public struct POAMPolicy: Sendable, Hashable {
  /// Days from the Conditional status date to the closeout deadline (32 CFR 170.21(b)).
  public var closeoutDays: Int
  /// Plan, implement and validate offsets (days after the assessment) for an eligible item.
  public var eligibleOffsets: [Int]
  /// Plan, implement and validate offsets for an item that may not be on a POA&M.
  public var ineligibleOffsets: [Int]

  /// Creates a policy; each offset list holds three increasing day counts.
  public init(
    closeoutDays: Int = 180, eligibleOffsets: [Int] = [30, 90, 150], ineligibleOffsets: [Int] = [14, 45, 90]
  ) {
    self.closeoutDays = closeoutDays
    self.eligibleOffsets = eligibleOffsets
    self.ineligibleOffsets = ineligibleOffsets
  }

  /// The default policy described above.
  public static let standard = POAMPolicy()
}
