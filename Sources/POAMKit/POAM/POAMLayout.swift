import Foundation

/// A problem with a column layout file.
public struct LayoutError: Error, LocalizedError, Sendable, Hashable {
  /// The layout file (or `bundled layout NAME`).
  public var source: String
  /// What is wrong.
  public var message: String

  public var errorDescription: String? { "\(source): \(message)" }
}

/// The columns of a POA&M spreadsheet, as data (`controls/layouts/*.json`): header text, the
/// item field each column holds, and its width. Columns with no field belong to people and are
/// carried over word for word. A FedRAMP or agency layout is one more JSON file.
public struct POAMLayout: Codable, Sendable, Hashable {
  /// One column.
  public struct Column: Codable, Sendable, Hashable {
    /// The header, exactly as the template writes it.
    public var header: String
    /// The field it holds; nil for a column people fill in.
    public var field: POAMField?
    /// The width in characters.
    public var width: Double?

    /// Creates a column.
    public init(header: String, field: POAMField?, width: Double? = nil) {
      self.header = header
      self.field = field
      self.width = width
    }
  }

  /// A short identifier, such as `emass-poam`.
  public var id: String
  /// The layout's name.
  public var name: String
  /// What it is and where it comes from.
  public var description: String
  /// The worksheet name in XLSX output.
  public var sheetName: String
  /// How dates are written in cells: `MM/dd/yyyy` or `yyyy-MM-dd`.
  public var dateFormat: String
  /// The status words the template uses, keyed by ``POAMItemStatus`` raw value.
  public var statusLabels: [String: String]
  /// The columns, in order.
  public var columns: [Column]

  enum CodingKeys: String, CodingKey {
    case id, name, description
    case sheetName = "sheet_name"
    case dateFormat = "date_format"
    case statusLabels = "status_labels"
    case columns
  }

  /// The eMASS POA&M layout compiled into poam.
  public static func bundled(_ id: String = "emass-poam") throws -> POAMLayout {
    guard let text = EmbeddedCatalog.files["layouts/\(id).json"] else {
      let known = EmbeddedCatalog.files.keys.filter { $0.hasPrefix("layouts/") }.map {
        String($0.dropFirst("layouts/".count).dropLast(".json".count))
      }.sorted()
      throw LayoutError(
        source: "layout \(id)", message: "no such bundled layout (bundled: \(known.joined(separator: ", ")))")
    }
    return try decode(Data(text.utf8), source: "bundled layout \(id)")
  }

  /// Loads a layout file.
  public static func load(path: String) throws -> POAMLayout {
    do {
      return try decode(try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
    } catch let error as LayoutError {
      throw error
    } catch {
      throw LayoutError(source: path, message: "cannot read: \(FileProblem.reason(path: path, error: error))")
    }
  }

  static func decode(_ data: Data, source: String) throws -> POAMLayout {
    let layout: POAMLayout
    do {
      layout = try JSONDecoder().decode(POAMLayout.self, from: data)
    } catch let error as DecodingError {
      throw LayoutError(source: source, message: "\(JSONPath.describe(error)): \(JSONPath.expectation(error))")
    }
    try layout.validate(source: source)
    return layout
  }

  func validate(source: String) throws {
    guard columns.contains(where: { $0.field == .id }) else {
      throw LayoutError(
        source: source, message: "no column holds the field 'id'; the item ID is how reruns match items")
    }
    var seen = Set<String>()
    for column in columns {
      let key = POAMLayout.normalize(column.header)
      guard !key.isEmpty else { throw LayoutError(source: source, message: "a column has an empty header") }
      guard seen.insert(key).inserted else {
        throw LayoutError(source: source, message: "the header '\(column.header)' appears twice")
      }
    }
    guard ["MM/dd/yyyy", "yyyy-MM-dd"].contains(dateFormat) else {
      throw LayoutError(source: source, message: "date_format '\(dateFormat)': expected MM/dd/yyyy or yyyy-MM-dd")
    }
  }

  /// A date in this layout's format.
  public func format(_ date: CalendarDate) -> String {
    dateFormat == "yyyy-MM-dd" ? date.iso : date.usFormat
  }

  /// The template's word for a status.
  public func label(_ status: POAMItemStatus) -> String {
    statusLabels[status.rawValue] ?? status.label
  }

  /// Reads a status word: the template's own words first, then the common ones.
  public func status(from text: String) -> POAMItemStatus? {
    let key = POAMLayout.normalize(text)
    if let match = statusLabels.first(where: { POAMLayout.normalize($0.value) == key }) {
      return POAMItemStatus(rawValue: match.key)
    }
    return POAMItemStatus.parse(text)
  }

  /// The column for a header as a person may have retyped it (case and spacing ignored).
  public func column(forHeader header: String) -> Column? {
    let key = POAMLayout.normalize(header)
    return columns.first { POAMLayout.normalize($0.header) == key }
  }

  /// Lower case, single spaces, trimmed.
  static func normalize(_ text: String) -> String {
    text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
