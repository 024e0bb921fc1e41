/// How an observation reached a requirement.
public enum ResolutionPath: String, Codable, Sendable, Comparable {
  /// The input named the requirement or objective (any spelling).
  case direct
  /// Through a NIST SP 800-53 control and the catalog's 800-171 mapping.
  case sp80053 = "nist-800-53"
  /// Through a CCI, the DISA CCI list's 800-53 reference, and the catalog's mapping.
  case cci

  var rank: Int { self == .direct ? 0 : (self == .sp80053 ? 1 : 2) }

  public static func < (lhs: ResolutionPath, rhs: ResolutionPath) -> Bool { lhs.rank < rhs.rank }

  /// True when the evidence reached the requirement only through a mapping.
  public var isIndirect: Bool { self != .direct }
}

/// A requirement (and, when known, an objective) an observation speaks to.
public struct RequirementTarget: Codable, Sendable, Hashable {
  /// Canonical requirement ID, such as `AC.L2-3.1.1`.
  public var requirement: String
  /// Objective letter, or nil when the result is about the whole requirement.
  public var objective: String?
  /// How it was reached.
  public var via: ResolutionPath
  /// Through a mapping, the route: the CCI or reference, the NIST SP 800-53 revision and index
  /// the table matched, and at which level (`CCI-000205 → NIST SP 800-53 Rev 4 IA-5(1)(a) (part)`).
  public var mapping: String?

  /// Creates a target.
  public init(requirement: String, objective: String? = nil, via: ResolutionPath, mapping: String? = nil) {
    self.requirement = requirement
    self.objective = objective
    self.via = via
    self.mapping = mapping
  }
}

/// An observation with the CMMC requirements it resolved to. The gap engine consumes these.
public struct ResolvedObservation: Codable, Sendable, Hashable {
  /// The observation as imported.
  public var observation: Observation
  /// The requirements and objectives it speaks to (empty when nothing resolved).
  public var targets: [RequirementTarget]

  /// Creates a resolved observation.
  public init(observation: Observation, targets: [RequirementTarget]) {
    self.observation = observation
    self.targets = targets
  }
}
