import CLibXML2
import Foundation

/// A small, safe pull reader over libxml2's `xmlTextReader`, for untrusted XML.
///
/// - Streams: it never builds a document tree, so memory stays flat whatever the file size.
/// - Safe: no network (`XML_PARSE_NONET`), no external entities and no external DTD (it never
///   passes `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or `XML_PARSE_HUGE`), so an XXE file cannot
///   read local files and a billion-laughs file fails at once with libxml2's entity-loop error.
///   Entity references that are not expanded appear in text as `&name;`, never as their content.
/// - Errors: libxml2's messages go to a structured error handler (never to standard error) and
///   come out as ``ImportError/malformed(file:line:column:expected:)`` naming the line and column.
/// - Fast: element names are compared as C strings (``isElement(_:)``, ``localName(is:)``);
///   Swift `String`s are made only for the values a caller keeps (``readText()``, ``attribute(_:)``).
///
/// A reader is not `Sendable`: create one per task and use it on that task only.
public final class XMLStreamReader {
  /// What the reader is positioned on.
  public enum NodeKind: Sendable, Equatable {
    /// A start tag (or an empty element such as `<HOST_GUID/>`).
    case element
    /// An end tag.
    case endElement
    /// Character data (text or CDATA).
    case text
    /// White space between elements.
    case whitespace
    /// An entity reference that was not expanded (only for entities the document declares itself).
    case entityReference
    /// Anything else: comments, processing instructions, the document type.
    case other
  }

  /// The name shown in errors: the path as the user gave it, `-`, or `archive.zip:member`.
  public let displayName: String
  private let reader: xmlTextReaderPtr
  private let errors: ErrorCollector
  /// Memory input: a private copy libxml2 reads from (it does not copy it itself).
  private let buffer: UnsafeMutableRawBufferPointer?
  private var finished = false

  /// The libxml2 options every reader uses.
  static let parseOptions: Int32 = Int32(
    XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
      | XML_PARSE_BIG_LINES.rawValue)

  /// libxml2's own limit on one text node without `XML_PARSE_HUGE`.
  public static let maximumTextLength = 10_000_000

  /// Opens a file for streaming.
  /// - Throws: ``ImportError/unreadable(file:reason:)`` when the file cannot be opened,
  ///   ``ImportError/malformed(file:line:column:expected:)`` when it is empty.
  public convenience init(path: String, displayName: String? = nil) throws {
    let name = displayName ?? path
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw ImportError.unreadable(file: name, reason: "cannot open file")
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    if size == 0 { throw Self.emptyError(name) }
    LibXML2.initialize()
    guard let reader = xmlReaderForFile(path, nil, Self.parseOptions) else {
      throw ImportError.unreadable(file: name, reason: "libxml2 cannot open the file")
    }
    self.init(reader: reader, displayName: name, buffer: nil)
  }

  /// Reads a document held in memory (standard input, an archive member, a workbook part).
  /// - Throws: ``ImportError/malformed(file:line:column:expected:)`` when the data is empty.
  public convenience init(data: Data, displayName: String) throws {
    if data.isEmpty { throw Self.emptyError(displayName) }
    guard data.count < Int(Int32.max) else {
      throw ImportError.unsupported(
        file: displayName, reason: "an XML document of 2 GB or more cannot be read in memory")
    }
    LibXML2.initialize()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 1)
    _ = buffer.initializeMemory(as: UInt8.self, from: data)
    let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
    guard let reader = xmlReaderForMemory(base, Int32(data.count), nil, nil, Self.parseOptions) else {
      buffer.deallocate()
      throw ImportError.unreadable(file: displayName, reason: "libxml2 cannot read the data")
    }
    self.init(reader: reader, displayName: displayName, buffer: buffer)
  }

  /// Opens an importer input: streams a file from disk, reads memory otherwise.
  public convenience init(_ input: InputFile) throws {
    switch input.content {
    case .file(let url): try self.init(path: url.path, displayName: input.displayName)
    case .data(let data): try self.init(data: data, displayName: input.displayName)
    }
  }

  private init(reader: xmlTextReaderPtr, displayName: String, buffer: UnsafeMutableRawBufferPointer?) {
    self.reader = reader
    self.displayName = displayName
    self.buffer = buffer
    self.errors = ErrorCollector()
    xmlTextReaderSetStructuredErrorHandler(
      reader, xmlStreamReaderErrorHandler, Unmanaged.passUnretained(errors).toOpaque())
  }

  deinit {
    xmlFreeTextReader(reader)
    buffer?.deallocate()
  }

  private static func emptyError(_ name: String) -> ImportError {
    .malformed(file: name, line: nil, column: nil, expected: "expected an XML document, but the file is empty")
  }

  // MARK: - Moving

  /// libxml2's node types, as the reader compares them.
  enum NodeType {
    static var element: Int32 { Int32(XML_READER_TYPE_ELEMENT.rawValue) }
    static var endElement: Int32 { Int32(XML_READER_TYPE_END_ELEMENT.rawValue) }
    static var text: Int32 { Int32(XML_READER_TYPE_TEXT.rawValue) }
    static var cdata: Int32 { Int32(XML_READER_TYPE_CDATA.rawValue) }
    static var whitespace: Int32 { Int32(XML_READER_TYPE_WHITESPACE.rawValue) }
    static var significantWhitespace: Int32 { Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue) }
    static var entityReference: Int32 { Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue) }
    static var comment: Int32 { Int32(XML_READER_TYPE_COMMENT.rawValue) }

    /// Text, CDATA or white space: a node whose value is character data.
    @inline(__always)
    static func isText(_ type: Int32) -> Bool {
      type == text || type == whitespace || type == significantWhitespace || type == cdata
    }
  }

  /// The type of the current node, read from libxml2 once per move (every accessor used to ask
  /// libxml2 again).
  private var nodeType: Int32 = 0

  /// Moves to the next node. Returns false at the end of the document.
  /// - Throws: ``ImportError/malformed(file:line:column:expected:)`` for broken XML.
  @discardableResult
  public func read() throws -> Bool {
    if finished { return false }
    return try moved(xmlTextReaderRead(reader))
  }

  /// Moves past the current node and, on a start tag, past its whole subtree: to the node
  /// after the end tag (libxml2's `xmlTextReaderNext`, which walks the subtree in C). On an
  /// empty element or any other node it is ``read()``. Returns false at the end of the document.
  /// - Throws: ``ImportError/malformed(file:line:column:expected:)`` for broken XML, also when
  ///   the error lies inside the skipped subtree.
  @discardableResult
  public func next() throws -> Bool {
    if finished { return false }
    return try moved(xmlTextReaderNext(reader))
  }

  /// Handles the status of a move: caches the node type, reports errors and the end.
  @inline(__always)
  private func moved(_ status: Int32) throws -> Bool {
    nodeType = xmlTextReaderNodeType(reader)
    if let error = errors.first { throw malformed(error) }
    if status == 1 { return true }
    finished = true
    if status == 0 { return false }
    throw ImportError.malformed(
      file: displayName, line: lineNumber, column: nil, expected: "malformed XML: libxml2 stopped reading")
  }

  /// Comments before the root element (tools such as STIG Manager and Heimdall sign their
  /// files there), filled by ``moveToRoot()``.
  public private(set) var leadingComments: [String] = []

  /// Moves to the first element of the document (the root) and returns true, or false when
  /// the document has none.
  public func moveToRoot() throws -> Bool {
    while try read() {
      if nodeType == NodeType.element { return true }
      if nodeType == NodeType.comment, leadingComments.count < 16 {
        leadingComments.append(value)
      }
    }
    return false
  }

  /// Moves to the next start tag in document order (descending into the current element) and
  /// returns true, or false at the end of the document. The nodes in between are passed over
  /// without a call per node into the importer.
  public func readToElement() throws -> Bool {
    while try read() {
      if nodeType == NodeType.element { return true }
    }
    return false
  }

  /// Skips the rest of the current element, leaving the reader on its end tag (or on the
  /// element itself when it is empty). Does nothing on other nodes.
  public func skipElement() throws {
    guard nodeType == NodeType.element, !isEmptyElement else { return }
    let level = depth
    while try read() {
      if nodeType == NodeType.endElement && depth == level { return }
    }
  }

  /// Calls `body` once for every child element of the current element, with the reader on
  /// the child's start tag. `body` may consume the child (``readText()``, ``skipElement()``,
  /// a nested ``forEachChildElement(_:)``) or leave it; what it leaves is skipped. Text
  /// directly inside the current element is ignored. On return the reader is on the current
  /// element's end tag.
  ///
  /// A child `body` leaves on its start tag is skipped with ``next()``: libxml2 walks its
  /// subtree, and only the nodes directly inside the current element come back to Swift.
  public func forEachChildElement(_ body: () throws -> Void) throws {
    guard nodeType == NodeType.element, !isEmptyElement else { return }
    let level = depth
    let childLevel = level + 1
    guard try read() else { return }
    while true {
      if nodeType == NodeType.element {
        if depth == childLevel {
          try body()
          if nodeType == NodeType.element && depth == childLevel {
            // Still on the child's start tag (or an empty child): step over it and its subtree.
            guard try next() else { return }
            continue
          }
        }
      } else if nodeType == NodeType.endElement && depth == level {
        return
      }
      guard try read() else { return }
    }
  }

  /// The text inside the current element: every text node below it, concatenated, with
  /// nested markup dropped (XHTML in descriptions, OSCAL `<p>`). Leaves the reader on the
  /// element's end tag. Returns "" for an empty element; on a text node, returns its value.
  public func readText() throws -> String {
    if NodeType.isText(nodeType) { return value }
    guard nodeType == NodeType.element, !isEmptyElement else { return "" }
    let level = depth
    guard try read() else { return "" }
    if nodeType == NodeType.endElement { return "" }
    var parts: [String] = []
    if NodeType.isText(nodeType) {
      // The common case, an element holding one text node, is answered without an array.
      // libxml2 completes a text node before returning it, so a text node without a next
      // sibling is the element's last child: the next node is the element's end tag.
      let isLast = xmlTextReaderCurrentNode(reader)?.pointee.next == nil
      let text = value
      guard try read() else { return text }
      if isLast && nodeType == NodeType.endElement && depth == level { return text }
      parts.append(text)
    }
    return try readText(continuingAt: level, parts: parts)
  }

  /// The rest of ``readText()``, from a node inside the element at depth `level` that is not
  /// handled yet, with the text read so far.
  private func readText(continuingAt level: Int, parts: [String] = []) throws -> String {
    var parts = parts
    var lastWasBlockEnd = false
    repeat {
      switch nodeType {
      case NodeType.endElement:
        if depth == level { return parts.joined() }
        lastWasBlockEnd = true
      case NodeType.text, NodeType.cdata, NodeType.whitespace, NodeType.significantWhitespace:
        parts.append(value)
        lastWasBlockEnd = false
      case NodeType.entityReference:
        parts.append("&\(localName);")
      case NodeType.element:
        // Keep words of adjacent blocks apart: <p>a</p><p>b</p> reads "a b", not "ab".
        if lastWasBlockEnd, let last = parts.last, let character = last.last, !character.isWhitespace {
          parts.append(" ")
        }
      default:
        break
      }
    } while try read()
    return parts.joined()
  }

  /// Reads the current element as ``readText()`` does and calls `body` with the UTF-8 bytes of
  /// the text: for text that is looked at, not kept. An element holding one text node (the
  /// common case) is answered from libxml2's buffer, without making a String. The bytes are
  /// valid only inside `body`.
  public func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result {
    guard nodeType == NodeType.element, !isEmptyElement else {
      var text = try readText()
      return try text.withUTF8(body)
    }
    let level = depth
    guard try read() else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    if nodeType == NodeType.endElement { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    guard NodeType.isText(nodeType), xmlTextReaderCurrentNode(reader)?.pointee.next == nil else {
      var text = try readText(continuingAt: level)
      return try text.withUTF8(body)
    }
    // The element's only child: libxml2 completed it before returning it, and the next node is
    // the element's end tag. The text must be used before the reader moves (libxml2 frees it).
    let result = try withValueBytes(body)
    while try read() {
      if nodeType == NodeType.endElement && depth == level { break }
    }
    return result
  }

  /// Calls `body` with the bytes of the current node's value (empty when it has none).
  private func withValueBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    guard let text = xmlTextReaderConstValue(reader) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    let count = strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self))
    return try body(UnsafeBufferPointer(start: text, count: count))
  }

  /// ``readText()`` without surrounding white space (``XMLImportSupport/trim(_:)``).
  public func readTrimmedText() throws -> String {
    XMLImportSupport.trim(try readText())
  }

  /// ``readText()`` without surrounding white space, or nil when nothing is left
  /// (``XMLImportSupport/clean(_:)``).
  public func readCleanText() throws -> String? {
    XMLImportSupport.clean(try readText())
  }

  // MARK: - The current node

  /// What the reader is on.
  public var kind: NodeKind {
    switch nodeType {
    case NodeType.element: return .element
    case NodeType.endElement: return .endElement
    case NodeType.text, NodeType.cdata: return .text
    case NodeType.whitespace, NodeType.significantWhitespace: return .whitespace
    case NodeType.entityReference: return .entityReference
    default: return .other
    }
  }

  /// The depth of the current node; the root element is at depth 0.
  public var depth: Int { Int(xmlTextReaderDepth(reader)) }

  /// True for an element written `<name/>`.
  public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

  /// The 1-based line of the current node (the end of its start tag, for an element). libxml2
  /// stores element lines in 16 bits; past line 65,535 the line is worked out from the element's
  /// first text child (`XML_PARSE_BIG_LINES` records its end line), and when that is not parsed
  /// yet it is the line the parser has reached, a few lines further on.
  public var lineNumber: Int {
    if let node = xmlTextReaderCurrentNode(reader) {
      let short = Int(node.pointee.line)
      if short > 0 && short < 65_535 { return short }
      if short == 65_535, node.pointee.type == XML_ELEMENT_NODE, let child = node.pointee.children,
        child.pointee.type == XML_TEXT_NODE, let end = child.pointee.psvi, let content = child.pointee.content
      {
        var newlines = 0
        var cursor = content
        while cursor.pointee != 0 {
          if cursor.pointee == 0x0A { newlines += 1 }
          cursor += 1
        }
        return Int(bitPattern: end) - newlines
      }
    }
    return Int(xmlTextReaderGetParserLineNumber(reader))
  }

  /// True when the current node is a start tag with this local name (any namespace).
  @inline(__always)
  public func isElement(_ name: StaticString) -> Bool {
    nodeType == NodeType.element && localName(is: name)
  }

  /// The current node's local name as libxml2 holds it (NUL-terminated, valid until the reader
  /// moves), for importers that compare one name with several (``equal(_:_:)``).
  var localNameBytes: UnsafePointer<xmlChar>? { xmlTextReaderConstLocalName(reader) }

  /// True when the current node's local name is `name`, compared as C strings.
  @inline(__always)
  public func localName(is name: StaticString) -> Bool {
    guard let current = xmlTextReaderConstLocalName(reader) else { return false }
    return Self.equal(current, name)
  }

  /// True when the current node's namespace URI starts with `prefix`.
  public func namespace(hasPrefix prefix: StaticString) -> Bool {
    guard let uri = xmlTextReaderConstNamespaceUri(reader) else { return false }
    return strncmp(
      UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self), Self.cString(prefix), prefix.utf8CodeUnitCount)
      == 0
  }

  /// The current node's local name as a String.
  public var localName: String {
    guard let name = xmlTextReaderConstLocalName(reader) else { return "" }
    return String(cString: name)
  }

  /// The current node's namespace URI, or "" for none.
  public var namespaceURI: String {
    guard let uri = xmlTextReaderConstNamespaceUri(reader) else { return "" }
    return String(cString: uri)
  }

  /// The value of a text node.
  public var value: String {
    guard let text = xmlTextReaderConstValue(reader) else { return "" }
    return String(cString: text)
  }

  /// An attribute of the current element, by qualified name (`id`, `xml:lang`), or nil.
  public func attribute(_ name: StaticString) -> String? {
    let found = Self.withTerminated(name) { xmlTextReaderMoveToAttribute(reader, $0) }
    return attributeValue(found)
  }

  /// An attribute of the current element by local name and namespace URI, or nil.
  public func attribute(_ localName: StaticString, namespace: StaticString) -> String? {
    let found = Self.withTerminated(localName) { local in
      Self.withTerminated(namespace) { uri in xmlTextReaderMoveToAttributeNs(reader, local, uri) }
    }
    return attributeValue(found)
  }

  /// Calls `body` with the bytes of an attribute's value, or nil when the current element has
  /// no such attribute: for values that are looked at, not kept (no String is made). The bytes
  /// are valid only inside `body`.
  func withAttribute<Result>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows
    -> Result
  {
    let found = Self.withTerminated(name) { xmlTextReaderMoveToAttribute(reader, $0) }
    guard found == 1 else { return try body(nil) }
    defer { xmlTextReaderMoveToElement(reader) }
    guard let text = xmlTextReaderConstValue(reader) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    return try body(
      UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self))))
  }

  private func attributeValue(_ found: Int32) -> String? {
    guard found == 1 else { return nil }
    defer { xmlTextReaderMoveToElement(reader) }
    guard let text = xmlTextReaderConstValue(reader) else { return "" }
    return String(cString: text)
  }

  // MARK: - C strings

  @inline(__always)
  static func cString(_ name: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
  }

  /// Calls `body` with a NUL-terminated copy of a static string, on the stack.
  static func withTerminated<Result>(_ name: StaticString, _ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
    let count = name.utf8CodeUnitCount
    return withUnsafeTemporaryAllocation(of: xmlChar.self, capacity: count + 1) { buffer in
      buffer.baseAddress!.update(from: name.utf8Start, count: count)
      buffer[count] = 0
      return body(buffer.baseAddress!)
    }
  }

  /// Compares a NUL-terminated libxml2 name with a static string (which need not be terminated).
  @inline(__always)
  static func equal(_ current: UnsafePointer<xmlChar>, _ name: StaticString) -> Bool {
    let count = name.utf8CodeUnitCount
    return memcmp(current, name.utf8Start, count) == 0 && current[count] == 0
  }

  // MARK: - Errors

  private func malformed(_ error: ErrorCollector.Entry) -> ImportError {
    if error.insideEntity {
      // Name the line the parser reached in the file: where the entity is used.
      return .malformed(
        file: displayName, line: Int(xmlTextReaderGetParserLineNumber(reader)), column: nil, expected: error.message)
    }
    return .malformed(file: displayName, line: error.line, column: error.column, expected: error.message)
  }
}

/// One place that calls `xmlInitParser()`, once per process.
enum LibXML2 {
  private static let once: Void = {
    xmlInitParser()
  }()

  /// Initializes libxml2 (safe to call from any thread, any number of times).
  static func initialize() { once }
}

/// Collects the first error libxml2 reports for one reader.
final class ErrorCollector {
  struct Entry {
    var line: Int?
    var column: Int?
    var message: String
    /// The error arose inside an entity's replacement text, whose line numbers count from the
    /// entity, not the file.
    var insideEntity = false
  }

  var first: Entry?

  func record(line: Int32, column: Int32, code: Int32, message: String) {
    guard first == nil else { return }
    var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.contains("huge text node") {
      text =
        "a text field is longer than \(XMLStreamReader.maximumTextLength) characters, the most poam reads in one field"
    } else if code == Int32(XML_ERR_ENTITY_LOOP.rawValue) {
      text = "entity expansion refused (\(text)): the file defines nested entities, as in a billion-laughs attack"
    } else if code == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue) {
      text = "expected an XML document, but no element was found (the file is empty or not XML)"
    } else {
      text = "malformed XML: " + text
    }
    first = Entry(
      line: line > 0 ? Int(line) : nil, column: column > 0 ? Int(column) : nil, message: text,
      insideEntity: code == Int32(XML_ERR_ENTITY_LOOP.rawValue))
  }
}

/// libxml2's structured error callback: records errors (not warnings) in the reader's collector.
private func xmlStreamReaderErrorHandler(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
  guard let context, let error else { return }
  let level = error.pointee.level
  // Fatal errors stop the parser. Namespace errors (an undeclared prefix) are recoverable and
  // libxml2 reads on, as xmllint does; poam does too rather than refuse a usable checklist.
  guard level == XML_ERR_FATAL || (level == XML_ERR_ERROR && error.pointee.domain != Int32(XML_FROM_NAMESPACE.rawValue))
  else { return }
  let collector = Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue()
  let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libxml2 error"
  collector.record(line: error.pointee.line, column: error.pointee.int2, code: error.pointee.code, message: message)
}
