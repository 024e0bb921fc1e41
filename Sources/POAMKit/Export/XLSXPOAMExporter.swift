import Foundation

/// `poam.xlsx`: the POA&M as an Excel workbook in the layout's columns (eMASS by default), one
/// item per row: the system's identity above the table when there is a profile, a bold header
/// row that stays in view and repeats on every printed page, column widths from the layout, row
/// heights that fit the wrapped text, landscape printing fitted to the page width, an autofilter,
/// real date cells, a dropdown of the layout's status words, and text that could start a
/// formula stored as quote-prefixed text (see ``SpreadsheetText``).
/// Cells that grow with the results (Devices Affected, Security Checks, the weakness) are bounded
/// far below Excel's 32,767-character limit and say what they leave out (see ``CellBounds``).
struct XLSXPOAMExporter: POAMExporter {
  public var fileName: String { "poam.xlsx" }

  /// Creates the exporter.
  public init() {}

  public func render(_ context: ExportContext) throws -> Data {
    let table = POAMTable(layout: context.layout, catalog: context.catalog)
    let headers = table.headers(for: context.document)
    let rows = table.rows(for: context.document).map { row in
      row.map { cell -> XLSXWriter.Cell in
        switch cell {
        case .text(let text): return .text(text)
        case .number(let number): return .number(number)
        case .date(let date): return .date(date)
        }
      }
    }
    let widths = headers.indices.map { index in
      index < context.layout.columns.count ? context.layout.columns[index].width : 24
    }
    var validations: [XLSXWriter.ListValidation] = []
    if let statusColumn = context.layout.columns.firstIndex(where: { $0.field == .status }) {
      validations.append(
        XLSXWriter.ListValidation(
          column: statusColumn, values: POAMItemStatus.allCases.map { context.layout.label($0) }))
    }
    let sheet = XLSXWriter.Sheet(
      name: context.layout.sheetName, header: headers, rows: rows, widths: widths, validations: validations,
      preamble: table.preamble(for: context.document, profile: context.profile))
    guard let date = CalendarDate(iso: context.document.assessmentDate) else {
      throw InvalidDate(text: context.document.assessmentDate, field: "the POA&M's assessment date")
    }
    let writer = XLSXWriter(
      title: "CMMC Level \(context.document.level.rawValue) Plan of Action and Milestones", date: date)
    return try writer.data([sheet])
  }
}
