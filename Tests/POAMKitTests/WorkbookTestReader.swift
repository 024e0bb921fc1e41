import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A minimal XLSX reader for the tests only (shared strings, inline strings, numbers): it stands
/// in for the project's workbook reader so the spreadsheet round trip can be tested now.
enum WorkbookTestReader {
  /// The parts of a workbook, by path.
  static func parts(_ data: Data) throws -> [String: Data] {
    let archive = try Archive(data: data, accessMode: .read)
    var parts: [String: Data] = [:]
    for entry in archive {
      var bytes = Data()
      _ = try archive.extract(entry) { bytes.append($0) }
      parts[entry.path] = bytes
    }
    return parts
  }

  /// Rebuilds a workbook with some parts replaced.
  static func replacing(_ data: Data, _ replacements: [String: Data]) throws -> Data {
    var all = try parts(data)
    for (path, bytes) in replacements { all[path] = bytes }
    let archive = try Archive(accessMode: .create)
    for path in all.keys.sorted() {
      let bytes = all[path]!
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
      ) { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) }
    }
    return archive.data!
  }

  /// The rows of the first worksheet as text.
  static func rows(_ data: Data) throws -> [[String]] {
    let all = try parts(data)
    let strings = try all["xl/sharedStrings.xml"].map { try SharedStringsParser.parse($0) } ?? []
    return try SheetParser.parse(all["xl/worksheets/sheet1.xml"]!, strings: strings)
  }

  /// Undoes OOXML's `_xHHHH_` escapes.
  static func unescape(_ text: String) -> String {
    var result = text
    while let match = result.firstMatch(of: #/_x([0-9A-Fa-f]{4})_/#) {
      let scalar = Unicode.Scalar(UInt32(match.output.1, radix: 16)!)!
      result.replaceSubrange(match.range, with: String(Character(scalar)))
      if scalar == "_" { break }
    }
    return result
  }

  final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false

    static func parse(_ data: Data) throws -> [String] {
      let delegate = SharedStringsParser()
      let parser = XMLParser(data: data)
      parser.delegate = delegate
      guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
      return delegate.strings
    }

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      if name == "si" { current = "" }
      if name == "t" { inText = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      if name == "t" { inText = false }
      if name == "si" { strings.append(WorkbookTestReader.unescape(current)) }
    }
  }

  final class SheetParser: NSObject, XMLParserDelegate {
    var rows: [[String]] = []
    var strings: [String] = []
    var reference = ""
    var type = ""
    var value = ""
    var capturing = false

    static func parse(_ data: Data, strings: [String]) throws -> [[String]] {
      let delegate = SheetParser()
      delegate.strings = strings
      let parser = XMLParser(data: data)
      parser.delegate = delegate
      guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
      return delegate.rows
    }

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      switch name {
      case "row": rows.append([])
      case "c":
        reference = attributes["r"] ?? ""
        type = attributes["t"] ?? ""
        value = ""
      case "v", "t": capturing = true
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if capturing { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      switch name {
      case "v", "t": capturing = false
      case "c":
        let letters = reference.prefix { $0.isLetter }
        let column = letters.reduce(0) { $0 * 26 + Int($1.asciiValue! - 64) } - 1
        var row = rows.removeLast()
        while row.count <= column { row.append("") }
        row[column] = type == "s" ? strings[Int(value)!] : WorkbookTestReader.unescape(value)
        rows.append(row)
      default: break
      }
    }
  }
}
