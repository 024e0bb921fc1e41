/// The part of the OSCAL 1.1.3 plan-of-action-and-milestones model poam writes and reads back.
/// Optional arrays are nil rather than empty: the schema requires at least one element.
enum OSCAL {
  /// The namespace of poam's own properties.
  static let namespace = "urn:poam:oscal"
  /// The OSCAL version written.
  static let version = "1.1.3"

  struct File: Codable, Hashable {
    var planOfActionAndMilestones: PlanOfActionAndMilestones

    enum CodingKeys: String, CodingKey {
      case planOfActionAndMilestones = "plan-of-action-and-milestones"
    }
  }

  struct PlanOfActionAndMilestones: Codable, Hashable {
    var uuid: String
    var metadata: Metadata
    var observations: [Observation]?
    var risks: [Risk]?
    var poamItems: [POAMItem]

    enum CodingKeys: String, CodingKey {
      case uuid, metadata, observations, risks
      case poamItems = "poam-items"
    }
  }

  struct Metadata: Codable, Hashable {
    var title: String
    var lastModified: String
    var version: String
    var oscalVersion: String
    var props: [Property]?
    var remarks: String?

    enum CodingKeys: String, CodingKey {
      case title
      case lastModified = "last-modified"
      case version
      case oscalVersion = "oscal-version"
      case props, remarks
    }
  }

  struct Property: Codable, Hashable {
    var name: String
    var value: String
    var ns: String?
    var `class`: String?
    var group: String?
    var remarks: String?

    /// A poam property. A value OSCAL's string type cannot hold (empty, a line break,
    /// surrounding space) is written flattened, with the exact text in `remarks`.
    static func poam(_ name: String, _ text: String) -> Property? {
      if isValidString(text) { return Property(name: name, value: text, ns: OSCAL.namespace) }
      let flattened = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
      return Property(
        name: name, value: flattened.isEmpty ? "(empty)" : flattened, ns: OSCAL.namespace, remarks: text)
    }

    /// The exact text: `remarks` when present, else `value`.
    var text: String { remarks ?? value }
  }

  struct Observation: Codable, Hashable {
    var uuid: String
    var title: String?
    var description: String
    var methods: [String]
    var types: [String]?
    var relevantEvidence: [RelevantEvidence]?
    var collected: String

    enum CodingKeys: String, CodingKey {
      case uuid, title, description, methods, types
      case relevantEvidence = "relevant-evidence"
      case collected
    }
  }

  struct RelevantEvidence: Codable, Hashable {
    var description: String
    var props: [Property]?
  }

  struct Risk: Codable, Hashable {
    var uuid: String
    var title: String
    var description: String
    var statement: String
    var props: [Property]?
    var status: String
    var mitigatingFactors: [MitigatingFactor]?
    var deadline: String?
    var remediations: [Response]?
    var riskLog: RiskLog?
    var relatedObservations: [RelatedObservation]?

    enum CodingKeys: String, CodingKey {
      case uuid, title, description, statement, props, status
      case mitigatingFactors = "mitigating-factors"
      case deadline, remediations
      case riskLog = "risk-log"
      case relatedObservations = "related-observations"
    }
  }

  struct MitigatingFactor: Codable, Hashable {
    var uuid: String
    var description: String
  }

  struct Response: Codable, Hashable {
    var uuid: String
    var lifecycle: String
    var title: String
    var description: String
    var props: [Property]?
    var requiredAssets: [RequiredAsset]?
    var tasks: [Task]?
    var remarks: String?

    enum CodingKeys: String, CodingKey {
      case uuid, lifecycle, title, description, props
      case requiredAssets = "required-assets"
      case tasks, remarks
    }
  }

  struct RequiredAsset: Codable, Hashable {
    var uuid: String
    var description: String
  }

  struct Task: Codable, Hashable {
    var uuid: String
    var type: String
    var title: String
    var description: String?
    var props: [Property]?
    var timing: Timing?
  }

  struct Timing: Codable, Hashable {
    var onDate: OnDate?

    enum CodingKeys: String, CodingKey {
      case onDate = "on-date"
    }
  }

  struct OnDate: Codable, Hashable {
    var date: String
  }

  struct RiskLog: Codable, Hashable {
    var entries: [RiskLogEntry]
  }

  struct RiskLogEntry: Codable, Hashable {
    var uuid: String
    var title: String?
    var start: String
    var props: [Property]?
    var statusChange: String?
    var remarks: String?

    enum CodingKeys: String, CodingKey {
      case uuid, title, start, props
      case statusChange = "status-change"
      case remarks
    }
  }

  struct POAMItem: Codable, Hashable {
    var uuid: String
    var title: String
    var description: String
    var props: [Property]?
    var relatedObservations: [RelatedObservation]?
    var relatedRisks: [RelatedRisk]?
    var remarks: String?

    enum CodingKeys: String, CodingKey {
      case uuid, title, description, props
      case relatedObservations = "related-observations"
      case relatedRisks = "related-risks"
      case remarks
    }
  }

  struct RelatedObservation: Codable, Hashable {
    var observationUUID: String

    enum CodingKeys: String, CodingKey {
      case observationUUID = "observation-uuid"
    }
  }

  struct RelatedRisk: Codable, Hashable {
    var riskUUID: String

    enum CodingKeys: String, CodingKey {
      case riskUUID = "risk-uuid"
    }
  }

  /// True when OSCAL's string type (`^\S(.*\S)?$`) accepts the text.
  static func isValidString(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
    let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace }
    return !isSpace(first) && !isSpace(last) && !text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }
  }

  /// A date as an OSCAL date-time at midnight UTC, when the schema's pattern accepts it (years
  /// 1900–2999).
  static func dateTime(_ text: String?) -> String? {
    guard let text, let date = CalendarDate.parse(text, allowSerial: false), (1900...2999).contains(date.year) else {
      return nil
    }
    return date.midnightUTC
  }

  /// ``dateTime(_:)`` for a date the document cannot do without (its own assessment date):
  /// throws instead of writing a made-up one.
  static func requiredDateTime(_ text: String) throws -> String {
    guard let stamp = dateTime(text) else {
      throw InvalidDate(text: text, field: "the POA&M's assessment date")
    }
    return stamp
  }
}
