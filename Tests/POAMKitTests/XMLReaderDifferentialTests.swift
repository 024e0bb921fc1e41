import CLibXML2
import Foundation
import Testing

@testable import POAMKit

/// `XMLStreamReader` runs on libxml2's push parser; libxml2's own `xmlTextReader` (what it ran on
/// before) is the reference. Random documents, many longer than several chunks, are walked by
/// both and every element, end tag, text and attribute must agree.
struct XMLReaderDifferentialTests {
  /// Random XML: nested elements with attributes (escapes and character references in their
  /// values, a namespaced one), text with predefined entities, character references and CDATA,
  /// comments and processing instructions between texts, white space between elements.
  struct Generator {
    var random: SplitMix64
    var lines = 1

    mutating func text() -> String {
      let pieces = ["word", " ", "&amp;", "&lt;", "&#233;", "&#x41;", "é", "漢", "\n", "\t", "\"", "'", ">", "🙂"]
      var out = ""
      for _ in 0..<Int.random(in: 1...12, using: &random) { out += pieces.randomElement(using: &random)! }
      if Int.random(in: 0..<8, using: &random) == 0 { out += "<![CDATA[<raw> & ]]>" }
      if Int.random(in: 0..<8, using: &random) == 0 { out += "<!-- c -->" + "more" }
      if Int.random(in: 0..<12, using: &random) == 0 { out += "<?pi data?>" + "after" }
      return out
    }

    mutating func attributes() -> String {
      var out = ""
      if Bool.random(using: &random) { out += " id=\"i\(Int.random(in: 0..<1000, using: &random))\"" }
      if Bool.random(using: &random) { out += " note=\"a &amp; b &lt; &#38; &#x263A; &quot;q&quot;\"" }
      if Int.random(in: 0..<4, using: &random) == 0 { out += " xml:lang=\"en\"" }
      if Int.random(in: 0..<4, using: &random) == 0 { out += " p:ref=\"r\(Int.random(in: 0..<9, using: &random))\"" }
      return out
    }

    mutating func element(depth: Int, budget: inout Int) -> String {
      let names = ["a", "b", "rule", "p:item", "description"]
      let name = names.randomElement(using: &random)!
      budget -= 1
      if depth > 6 || budget <= 0 || Int.random(in: 0..<5, using: &random) == 0 {
        return "<\(name)\(attributes())/>"
      }
      var out = "<\(name)\(attributes())>"
      for _ in 0..<Int.random(in: 1...6, using: &random) {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: out += text()
        case 1: out += "\n" + String(repeating: " ", count: depth * 2)
        default: out += element(depth: depth + 1, budget: &budget)
        }
      }
      return out + "</\(name)>"
    }

    mutating func document(elements: Int) -> String {
      var budget = elements
      var body = ""
      while budget > 0 { body += element(depth: 1, budget: &budget) + "\n" }
      return "<?xml version=\"1.0\"?>\n<!-- lead -->\n<root xmlns:p=\"urn:p\">\n\(body)</root>\n"
    }
  }

  /// One node as both readers report it.
  enum Node: Equatable, CustomStringConvertible {
    case element(name: String, depth: Int, empty: Bool, line: Int, attributes: [String?])
    case end(name: String, depth: Int)
    case text(String, depth: Int)

    var description: String {
      switch self {
      case .element(let name, let depth, let empty, let line, let attributes):
        return "<\(name)> depth \(depth) empty \(empty) line \(line) \(attributes)"
      case .end(let name, let depth): return "</\(name)> depth \(depth)"
      case .text(let text, let depth): return "text \(text.debugDescription) depth \(depth)"
      }
    }
  }

  static func poamNodes(_ xml: String) throws -> [Node] {
    let reader = try XMLStreamReader(data: Data(xml.utf8), displayName: "random.xml")
    var nodes: [Node] = []
    while try reader.read() {
      switch reader.kind {
      case .element:
        nodes.append(
          .element(
            name: reader.localName, depth: reader.depth, empty: reader.isEmptyElement, line: reader.lineNumber,
            attributes: [
              reader.attribute("id"), reader.attribute("note"), reader.attribute("xml:lang"),
              reader.attribute("ref", namespace: "urn:p"),
            ]))
      case .endElement: nodes.append(.end(name: reader.localName, depth: reader.depth))
      case .text, .whitespace: nodes.append(.text(reader.value, depth: reader.depth))
      default: break
      }
    }
    return nodes
  }

  static func textReaderNodes(_ xml: String) throws -> [Node] {
    let bytes = Array(xml.utf8)
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue)
    let reader = try #require(
      bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) {
          xmlReaderForMemory($0.baseAddress, Int32($0.count), nil, nil, options)
        }
      })
    defer { xmlFreeTextReader(reader) }
    func string(_ pointer: UnsafePointer<xmlChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
    func attribute(_ name: String, namespace: String? = nil) -> String? {
      let value =
        namespace.map { xmlTextReaderGetAttributeNs(reader, name, $0) } ?? xmlTextReaderGetAttribute(reader, name)
      // libxml2's xmlFree is the C library's free unless a program changes it; this one does not.
      defer { free(value) }
      return value.map { String(cString: $0) }
    }
    var nodes: [Node] = []
    while xmlTextReaderRead(reader) == 1 {
      let depth = Int(xmlTextReaderDepth(reader))
      switch xmlTextReaderNodeType(reader) {
      case Int32(XML_READER_TYPE_ELEMENT.rawValue):
        let line = Int(xmlTextReaderCurrentNode(reader)?.pointee.line ?? 0)
        nodes.append(
          .element(
            name: string(xmlTextReaderConstLocalName(reader)), depth: depth,
            empty: xmlTextReaderIsEmptyElement(reader) == 1, line: line,
            attributes: [
              attribute("id"), attribute("note"), attribute("xml:lang"), attribute("ref", namespace: "urn:p"),
            ]
          ))
      case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
        nodes.append(.end(name: string(xmlTextReaderConstLocalName(reader)), depth: depth))
      case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue),
        Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
        nodes.append(.text(string(xmlTextReaderConstValue(reader)), depth: depth))
      default: break  // comments, processing instructions: the stream reader has no such nodes
      }
    }
    return nodes
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func randomDocumentsWalkAsLibxml2sTextReaderWalksThem(_ seed: UInt64) throws {
    var generator = Generator(random: SplitMix64(seed: seed))
    for size in [3, 40, 400, 4_000] {
      let xml = generator.document(elements: size)
      let expected = try Self.textReaderNodes(xml)
      let actual = try Self.poamNodes(xml)
      #expect(expected.count > size)
      // The largest documents span several of the push parser's chunks.
      if size == 4_000 { #expect(xml.utf8.count > 3 * XMLStreamReader.chunkSize) }
      guard actual != expected else { continue }
      let common = min(actual.count, expected.count)
      let index = (0..<common).first { actual[$0] != expected[$0] } ?? common
      Issue.record(
        "seed \(seed) size \(size) (\(xml.utf8.count) bytes): first difference at node \(index): poam \(index < actual.count ? actual[index].description : "end"), xmlTextReader \(index < expected.count ? expected[index].description : "end")"
      )
    }
  }
}
