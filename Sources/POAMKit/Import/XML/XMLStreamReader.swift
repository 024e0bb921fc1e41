import CLibXML2
import Foundation

/// A small, safe pull reader over libxml2's SAX2 push parser, for untrusted XML.
///
/// - Streams: the file is fed to libxml2 in 64 KB chunks; the parser's callbacks append each
///   node to a small buffer of events that the reader walks and discards, so no document tree
///   is built and memory stays flat whatever the file size. (libxml2's own `xmlTextReader`
///   builds and frees a tree node for every node it returns; measured here on a 10 MB XCCDF
///   file it reads at half the speed of the push parser, see docs/performance.md.)
/// - Safe: no network (`XML_PARSE_NONET`), no external entities and no external DTD (it never
///   passes `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or `XML_PARSE_HUGE`), so an XXE file cannot
///   read local files and a billion-laughs file fails at once with libxml2's entity-loop error.
///   Entity references that are not expanded appear as `&name;` in text and in attribute values,
///   never as their content.
/// - Errors: libxml2's messages go to a structured error handler (never to standard error) and
///   come out as ``ImportError/malformed(file:line:column:expected:)`` naming the line and column,
///   when the walk reaches the place of the error (the nodes before it are read normally).
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
    /// A comment inside the root element (comments before it are ``XMLStreamReader/leadingComments``).
    case comment
    /// Anything else.
    case other
  }

  /// The name shown in errors: the path as the user gave it, `-`, or `archive.zip:member`.
  public let displayName: String
  private let context: xmlParserCtxtPtr
  /// What the parser's callbacks fill; owned by the reader.
  private let buffer: UnsafeMutablePointer<EventBuffer>
  /// The file being read (-1 for memory input) and the chunk its bytes are read into.
  private let descriptor: Int32
  private let chunk: UnsafeMutableRawBufferPointer?
  /// Memory input and how much of it the parser has had.
  private let data: Data?
  private var offset = 0
  /// The event the reader is on (an index into the buffer), -1 before the first.
  private var current = -1
  private var finished = false

  /// The libxml2 options every reader uses.
  static let parseOptions: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)

  /// libxml2's own limit on one text node without `XML_PARSE_HUGE`, which the reader keeps.
  public static let maximumTextLength = 10_000_000

  /// How many bytes are handed to the parser at a time. Larger chunks measured no faster; this
  /// and the buffers' first sizes stay under malloc's mmap threshold, so that a thousand
  /// checklists read one after the other reuse memory instead of faulting in fresh pages.
  static let chunkSize = 64 * 1024

  /// Opens a file for streaming.
  /// - Throws: ``ImportError/unreadable(file:reason:)`` when the file cannot be opened,
  ///   ``ImportError/malformed(file:line:column:expected:)`` when it is empty.
  ///
  /// With `textOnlyIn`, character data is kept only directly inside elements of that local
  /// name (the DISA CCI list needs the text of `version` alone, not 1.5 MB of definitions):
  /// elsewhere ``readText()`` gives an empty string.
  public convenience init(path: String, displayName: String? = nil, textOnlyIn: StaticString? = nil) throws {
    let name = displayName ?? path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw ImportError.unreadable(file: name, reason: FileProblem.reason(path: path, errno: errno))
    }
    var status = stat()
    if fstat(descriptor, &status) == 0 {
      if (status.st_mode & S_IFMT) == S_IFDIR {
        close(descriptor)
        throw ImportError.unreadable(file: name, reason: FileProblem.reason(path: path))
      }
      if status.st_size == 0 {
        close(descriptor)
        throw Self.emptyError(name)
      }
    }
    try self.init(descriptor: descriptor, data: nil, path: path, displayName: name, textOnlyIn: textOnlyIn)
  }

  /// Reads a document held in memory (standard input, an archive member, a workbook part).
  /// - Throws: ``ImportError/malformed(file:line:column:expected:)`` when the data is empty.
  /// `textOnlyIn` as for ``init(path:displayName:textOnlyIn:)``.
  public convenience init(data: Data, displayName: String, textOnlyIn: StaticString? = nil) throws {
    if data.isEmpty { throw Self.emptyError(displayName) }
    try self.init(descriptor: -1, data: data, path: nil, displayName: displayName, textOnlyIn: textOnlyIn)
  }

  /// Opens an importer input: streams a file from disk, reads memory otherwise.
  public convenience init(_ input: InputFile) throws {
    switch input.content {
    case .file(let url): try self.init(path: url.path, displayName: input.displayName)
    case .data(let data): try self.init(data: data, displayName: input.displayName)
    }
  }

  private init(
    descriptor: Int32, data: Data?, path: String?, displayName: String, textOnlyIn: StaticString? = nil
  ) throws {
    LibXML2.initialize()
    self.descriptor = descriptor
    self.data = data
    self.displayName = displayName
    var handler = xmlSAXHandler()
    // libxml2's SAX2 defaults keep the DTD's entity and attribute declarations (in a document
    // that holds nothing else); every callback that would build the tree is replaced.
    xmlSAXVersion(&handler, 2)
    EventBuffer.installCallbacks(in: &handler)
    guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, path) else {
      if descriptor >= 0 { close(descriptor) }
      throw ImportError.unreadable(file: displayName, reason: "libxml2 cannot create a parser")
    }
    self.context = context
    chunk = descriptor >= 0 ? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16) : nil
    buffer = UnsafeMutablePointer<EventBuffer>.allocate(capacity: 1)
    buffer.initialize(to: EventBuffer(context: context))
    buffer.pointee.textOnlyIn = textOnlyIn
    xmlCtxtUseOptions(context, Self.parseOptions)
    context.pointee._private = UnsafeMutableRawPointer(buffer)
  }

  deinit {
    if let document = context.pointee.myDoc {
      context.pointee.myDoc = nil
      xmlFreeDoc(document)
    }
    xmlFreeParserCtxt(context)
    buffer.pointee.deallocate()
    buffer.deinitialize(count: 1)
    buffer.deallocate()
    if descriptor >= 0 { close(descriptor) }
    chunk?.deallocate()
  }

  private static func emptyError(_ name: String) -> ImportError {
    .malformed(file: name, line: nil, column: nil, expected: "expected an XML document, but the file is empty")
  }

  // MARK: - Feeding the parser

  /// Parses until the buffer holds the event at `index`, the document ends or an error stops
  /// the parser. Events before `keep` are dropped first (the reader never goes back).
  private func fill(upTo index: Int, keeping keep: Int) throws {
    guard index >= buffer.pointee.events.count, !buffer.pointee.parserDone else { return }
    let dropped = buffer.pointee.discard(before: keep)
    current -= dropped
    let target = index - dropped
    while target >= buffer.pointee.events.count && !buffer.pointee.parserDone {
      try feed()
    }
  }

  /// Hands the parser its next chunk (or the end of the input).
  private func feed() throws {
    if let chunk {
      var count: Int
      repeat {
        count = Glibc.read(descriptor, chunk.baseAddress, chunk.count)
      } while count < 0 && errno == EINTR
      if count < 0 {
        let reason = String(cString: strerror(errno))
        throw ImportError.unreadable(file: displayName, reason: "read failed: \(reason)")
      }
      if count == 0 {
        finish()
      } else {
        parse(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
      }
    } else if let data, offset < data.count {
      let end = min(offset + Self.chunkSize, data.count)
      data.withUnsafeBytes { bytes in parse(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) }
      offset = end
    } else {
      finish()
    }
  }

  private func parse(_ bytes: UnsafeRawBufferPointer) {
    // xmlParseChunk's status is the last error number, also of errors it recovers from (an
    // undeclared namespace prefix): whether to go on is read from the parser's state.
    xmlParseChunk(context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 0)
    if buffer.pointee.error != nil || context.pointee.instate == XML_PARSER_EOF {
      buffer.pointee.stop(parserFailed: context.pointee.wellFormed == 0)
    }
  }

  private func finish() {
    xmlParseChunk(context, nil, 0, 1)
    buffer.pointee.stop(parserFailed: context.pointee.wellFormed == 0)
  }

  // MARK: - Moving

  /// The event kinds, numbered as libxml2's reader numbers node types.
  enum NodeType {
    static var element: Int32 { Int32(XML_READER_TYPE_ELEMENT.rawValue) }
    static var endElement: Int32 { Int32(XML_READER_TYPE_END_ELEMENT.rawValue) }
    static var text: Int32 { Int32(XML_READER_TYPE_TEXT.rawValue) }
    static var entityReference: Int32 { Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue) }
    static var comment: Int32 { Int32(XML_READER_TYPE_COMMENT.rawValue) }

    /// A node whose value is character data.
    @inline(__always)
    static func isText(_ type: Int32) -> Bool { type == text }
  }

  /// The type of the current node.
  private var nodeType: Int32 = 0

  /// Moves to the next node. Returns false at the end of the document.
  /// - Throws: ``ImportError/malformed(file:line:column:expected:)`` for broken XML.
  @discardableResult
  public func read() throws -> Bool {
    if finished { return false }
    let next = current + 1
    // One event of look-ahead: an element is known to be empty, and a text complete, only
    // once the parser has gone past them.
    try fill(upTo: next + 1, keeping: next)
    current += 1
    return try arrived()
  }

  /// Moves past the current node and, on a start tag, past its whole subtree: to the node
  /// after the end tag. On an empty element or any other node it is ``read()``. Returns false
  /// at the end of the document.
  /// - Throws: ``ImportError/malformed(file:line:column:expected:)`` for broken XML, also when
  ///   the error lies inside the skipped subtree.
  @discardableResult
  public func next() throws -> Bool {
    if finished { return false }
    try skipElement()
    return try read()
  }

  /// Checks the event just moved to: an error recorded at it, or the end of the document.
  @inline(__always)
  private func arrived() throws -> Bool {
    if let error = buffer.pointee.error, current >= error.eventIndex {
      finished = true
      nodeType = 0
      throw ImportError.malformed(file: displayName, line: error.line, column: error.column, expected: error.message)
    }
    if current < buffer.pointee.events.count {
      nodeType = buffer.pointee.events[current].type
      return true
    }
    finished = true
    nodeType = 0
    if buffer.pointee.parserFailed {
      throw ImportError.malformed(
        file: displayName, line: lineNumber, column: nil, expected: "malformed XML: libxml2 stopped reading")
    }
    return false
  }

  /// Comments before the root element (tools such as STIG Manager and Heimdall sign their
  /// files there), filled by ``moveToRoot()``.
  public var leadingComments: [String] { buffer.pointee.leadingComments }

  /// Moves to the first element of the document (the root) and returns true, or false when
  /// the document has none.
  public func moveToRoot() throws -> Bool {
    while try read() {
      if nodeType == NodeType.element { return true }
    }
    return false
  }

  /// Moves to the next start tag in document order (descending into the current element) and
  /// returns true, or false at the end of the document.
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
    try forEachChildElement(comments: nil, body)
  }

  /// ``forEachChildElement(_:)`` that also calls `comments` with the text of every comment
  /// directly inside the current element (between its children), in document order.
  public func forEachChildElement(comments: ((String) throws -> Void)?, _ body: () throws -> Void) throws {
    guard nodeType == NodeType.element, !isEmptyElement else { return }
    let level = depth
    let childLevel = level + 1
    guard try read() else { return }
    while true {
      if nodeType == NodeType.comment {
        if let comments, depth == childLevel, let event {
          try comments(String(decoding: bytes(start: event.byteStart, count: event.byteCount), as: UTF8.self))
        }
      } else if nodeType == NodeType.element {
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
    if NodeType.isText(nodeType) && nextIsEnd(of: level) {
      // The common case, an element holding one text node, is answered without an array.
      let text = value
      try read()
      return text
    }
    return try readText(continuingAt: level)
  }

  /// True when the event after the current one is the end tag of the element at depth `level`.
  @inline(__always)
  private func nextIsEnd(of level: Int) -> Bool {
    let index = current + 1
    guard index < buffer.pointee.events.count else { return false }
    let next = buffer.pointee.events[index]
    return next.type == NodeType.endElement && Int(next.depth) == level
  }

  /// The rest of ``readText()``, from a node inside the element at depth `level` that is not
  /// handled yet.
  private func readText(continuingAt level: Int) throws -> String {
    var parts: [String] = []
    var lastWasBlockEnd = false
    repeat {
      switch nodeType {
      case NodeType.endElement:
        if depth == level { return parts.joined() }
        lastWasBlockEnd = true
      case NodeType.text:
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
  /// common case) is answered from the reader's buffer, without making a String. The bytes are
  /// valid only inside `body`.
  public func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result {
    guard nodeType == NodeType.element, !isEmptyElement else {
      var text = try readText()
      return try text.withUTF8(body)
    }
    let level = depth
    guard try read() else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    if nodeType == NodeType.endElement { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    guard NodeType.isText(nodeType), nextIsEnd(of: level) else {
      var text = try readText(continuingAt: level)
      return try text.withUTF8(body)
    }
    let result = try withValueBytes(body)
    try read()
    return result
  }

  /// The bytes of a text event or an attribute's value (valid until the reader moves).
  @inline(__always)
  private func bytes(start: Int32, count: Int32) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: buffer.pointee.bytes.base + Int(start), count: Int(count))
  }

  /// Calls `body` with the bytes of the current node's value (empty when it has none).
  @inline(__always)
  private func withValueBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    guard NodeType.isText(nodeType) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
    let event = buffer.pointee.events[current]
    return try body(bytes(start: event.byteStart, count: event.byteCount))
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

  /// The event the reader is on.
  @inline(__always)
  private var event: EventBuffer.Event? {
    current >= 0 && current < buffer.pointee.events.count ? buffer.pointee.events[current] : nil
  }

  /// What the reader is on.
  public var kind: NodeKind {
    switch nodeType {
    case NodeType.element: return .element
    case NodeType.endElement: return .endElement
    case NodeType.text:
      return withValueBytes { bytes in bytes.allSatisfy(\.isXMLBlank) } ? .whitespace : .text
    case NodeType.entityReference: return .entityReference
    case NodeType.comment: return .comment
    default: return .other
    }
  }

  /// The depth of the current node; the root element is at depth 0.
  public var depth: Int { Int(event?.depth ?? 0) }

  /// True for an element with no content, written `<name/>` (or `<name></name>`).
  public var isEmptyElement: Bool { event?.isEmpty ?? false }

  /// The 1-based line of the current node: for an element, the line where its start tag ends
  /// (also on its end tag); at the end of the document, the last line the parser reached.
  public var lineNumber: Int {
    if let event { return Int(event.line) }
    return Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer(context)))
  }

  /// True when the current node is a start tag with this local name (any namespace).
  @inline(__always)
  public func isElement(_ name: StaticString) -> Bool {
    nodeType == NodeType.element && localName(is: name)
  }

  /// The current node's local name as libxml2 holds it (NUL-terminated, in the parser's
  /// dictionary), for importers that compare one name with several (``equal(_:_:)``).
  var localNameBytes: UnsafePointer<xmlChar>? { event?.name }

  /// True when the current node's local name is `name`, compared as C strings.
  @inline(__always)
  public func localName(is name: StaticString) -> Bool {
    guard let current = event?.name else { return false }
    return Self.equal(current, name)
  }

  /// True when the current node's namespace URI starts with `prefix`.
  public func namespace(hasPrefix prefix: StaticString) -> Bool {
    guard let uri = event?.namespace else { return false }
    return strncmp(
      UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self), Self.cString(prefix), prefix.utf8CodeUnitCount)
      == 0
  }

  /// The current node's local name (an entity reference's name) as a String.
  public var localName: String {
    guard let name = event?.name else { return "" }
    return String(cString: name)
  }

  /// The current node's namespace URI, or "" for none.
  public var namespaceURI: String {
    guard let uri = event?.namespace else { return "" }
    return String(cString: uri)
  }

  /// The value of a text node ("" on other nodes).
  public var value: String {
    withValueBytes { String(decoding: $0, as: UTF8.self) }
  }

  /// An attribute of the current element, by qualified name (`id`, `xml:lang`), or nil.
  public func attribute(_ name: StaticString) -> String? {
    withAttribute(name) { $0.map { String(decoding: $0, as: UTF8.self) } }
  }

  /// An attribute of the current element by local name and namespace URI, or nil.
  public func attribute(_ localName: StaticString, namespace: StaticString) -> String? {
    guard nodeType == NodeType.element, let event else { return nil }
    let events = buffer
    for index in Int(event.attributeStart)..<Int(event.attributeStart + event.attributeCount) {
      let attribute = events.pointee.attributes[index]
      guard Self.equal(attribute.name, localName), let uri = attribute.namespace, Self.equal(uri, namespace) else {
        continue
      }
      return String(decoding: bytes(start: attribute.byteStart, count: attribute.byteCount), as: UTF8.self)
    }
    return nil
  }

  /// True when the current element has the attribute `name` with exactly the value `value`.
  func attribute(_ name: StaticString, is value: StaticString) -> Bool {
    withAttribute(name) { bytes in
      guard let bytes, bytes.count == value.utf8CodeUnitCount else { return false }
      return bytes.isEmpty || memcmp(bytes.baseAddress!, value.utf8Start, bytes.count) == 0
    }
  }

  /// Calls `body` with the bytes of an attribute's value, or nil when the current element has
  /// no such attribute: for values that are looked at, not kept (no String is made). The bytes
  /// are valid only inside `body`.
  func withAttribute<Result>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows
    -> Result
  {
    guard nodeType == NodeType.element, let event else { return try body(nil) }
    // A qualified name (`xml:lang`) is matched on prefix and local name.
    let qualified = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    let colon = qualified.firstIndex(of: UInt8(ascii: ":"))
    for index in Int(event.attributeStart)..<Int(event.attributeStart + event.attributeCount) {
      let attribute = buffer.pointee.attributes[index]
      if let colon {
        guard let prefix = attribute.prefix,
          Self.equal(prefix, UnsafeBufferPointer(rebasing: qualified[..<colon])),
          Self.equal(attribute.name, UnsafeBufferPointer(rebasing: qualified[(colon + 1)...]))
        else { continue }
      } else {
        guard attribute.prefix == nil, Self.equal(attribute.name, qualified) else { continue }
      }
      return try body(bytes(start: attribute.byteStart, count: attribute.byteCount))
    }
    return try body(nil)
  }

  // MARK: - C strings

  @inline(__always)
  static func cString(_ name: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
  }

  /// Compares a NUL-terminated libxml2 name with a static string (which need not be terminated).
  @inline(__always)
  static func equal(_ current: UnsafePointer<xmlChar>, _ name: StaticString) -> Bool {
    let count = name.utf8CodeUnitCount
    return memcmp(current, name.utf8Start, count) == 0 && current[count] == 0
  }

  /// Compares a NUL-terminated libxml2 name with bytes.
  @inline(__always)
  static func equal(_ current: UnsafePointer<xmlChar>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = name.count
    return (count == 0 || memcmp(current, name.baseAddress!, count) == 0) && current[count] == 0
  }

}

extension UInt8 {
  /// White space as XML defines it (space, tab, line feed, carriage return).
  @inline(__always)
  fileprivate var isXMLBlank: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}

/// One place that calls `xmlInitParser()`, once per process.
enum LibXML2 {
  private static let once: Void = {
    xmlInitParser()
  }()

  /// Initializes libxml2 (safe to call from any thread, any number of times).
  static func initialize() { once }
}

/// The first error libxml2 (or the reader itself) reports for one document, in the words poam
/// shows, and where the walk meets it.
struct XMLParseError {
  var line: Int?
  var column: Int?
  var message: String
  /// The index of the event the error comes before: the reader throws when it gets there.
  var eventIndex: Int

  /// An error at `line` and `column` with libxml2's `code` and `message`; `parserLine` is the
  /// line the parser has reached in the file, named instead for an error inside an entity's
  /// replacement text (whose lines count from the entity): where the entity is used.
  init(line: Int32, column: Int32, code: Int32, message: String, eventIndex: Int, parserLine: Int32) {
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
    self.message = text
    self.eventIndex = eventIndex
    if code == Int32(XML_ERR_ENTITY_LOOP.rawValue) {
      self.line = Int(parserLine)
      self.column = nil
    } else {
      self.line = line > 0 ? Int(line) : nil
      self.column = column > 0 ? Int(column) : nil
    }
  }
}
