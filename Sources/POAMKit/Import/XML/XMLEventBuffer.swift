import CLibXML2
import Foundation

// The parser's side of ``XMLStreamReader``: libxml2's SAX2 callbacks and the buffer of nodes
// they fill, which the reader walks.

/// The nodes the parser has produced and the reader has not passed yet, in document order.
/// The parser's callbacks append to it; the reader walks it and drops what it has passed.
/// Names and namespace URIs point into the parser's dictionary (valid while the parser lives);
/// text and attribute values are copied into `bytes`. The storage is managed by hand
/// (``PlainArray``): the callbacks run for every node, and Swift arrays reached through a
/// pointer cost reference counting and uniqueness checks on each access.
struct EventBuffer {
  /// One node.
  struct Event {
    var type: Int32
    var depth: Int32
    var line: Int32
    var isEmpty = false
    var name: UnsafePointer<xmlChar>?
    var namespace: UnsafePointer<xmlChar>?
    /// A text's bytes in `bytes` (for an element, where its attribute values start).
    var byteStart: Int32 = 0
    var byteCount: Int32 = 0
    /// An element's attributes in `attributes`.
    var attributeStart: Int32 = 0
    var attributeCount: Int32 = 0
  }

  /// One attribute of an element.
  struct Attribute {
    var name: UnsafePointer<xmlChar>
    var prefix: UnsafePointer<xmlChar>?
    var namespace: UnsafePointer<xmlChar>?
    var byteStart: Int32
    var byteCount: Int32
  }

  /// The parser the callbacks accept events from (not the parsers libxml2 creates for
  /// checking an entity's replacement text).
  let context: xmlParserCtxtPtr
  var events = PlainArray<Event>(capacity: 1024)
  var attributes = PlainArray<Attribute>(capacity: 1024)
  var bytes = PlainArray<UInt8>(capacity: XMLStreamReader.chunkSize)
  /// The lines of the open elements' start tags (end tags report them, as the reader did).
  var openLines = PlainArray<Int32>(capacity: 64)
  /// The first error, if any.
  var error: XMLParseError?
  /// The parser has nothing more to give (end of document, or stopped by an error).
  var parserDone = false
  /// libxml2 reported failure without a recorded error.
  var parserFailed = false
  /// The depth the next start tag opens at.
  var depth: Int32 = 0
  /// The last event is a text that more character data extends.
  var textOpen = false
  var rootSeen = false
  var leadingComments: [String] = []
  /// When set, character data is kept only directly inside elements of this local name (not
  /// nested in one another); all other text is dropped as the parser reports it.
  var textOnlyIn: StaticString?
  /// The depth of the text inside the open `textOnlyIn` element, -1 when none is open.
  var textDepth: Int32 = -1

  /// Whether character data reported now is kept (``textOnlyIn``).
  var keepsText: Bool { textOnlyIn == nil || depth == textDepth }

  init(context: xmlParserCtxtPtr) {
    self.context = context
  }

  /// Frees the storage.
  func deallocate() {
    events.deallocate()
    attributes.deallocate()
    bytes.deallocate()
    openLines.deallocate()
  }

  /// Drops the events before `index` and the bytes and attributes only they use; returns how
  /// many events were dropped.
  mutating func discard(before index: Int) -> Int {
    let count = min(index, events.count)
    guard count > 0 else { return 0 }
    if count == events.count {
      events.removeAll()
      attributes.removeAll()
      bytes.removeAll()
      return count
    }
    let first = events[count]
    let byteShift = first.byteStart
    let attributeShift = first.attributeStart
    events.removeFirst(count)
    error?.eventIndex -= count
    for index in 0..<events.count {
      events[index].byteStart -= byteShift
      events[index].attributeStart -= attributeShift
    }
    attributes.removeFirst(Int(attributeShift))
    for index in 0..<attributes.count { attributes[index].byteStart -= byteShift }
    bytes.removeFirst(Int(byteShift))
    return count
  }

  /// Notes that the parser has stopped.
  mutating func stop(parserFailed failed: Bool) {
    parserDone = true
    if failed && error == nil { parserFailed = true }
    textOpen = false
  }

  /// Records the first error, placed before the next event.
  mutating func record(line: Int32, column: Int32, code: Int32, message: String) {
    guard error == nil else { return }
    error = XMLParseError(
      line: line, column: column, code: code, message: message, eventIndex: events.count,
      parserLine: parserLine(context))
  }

  /// Records an error found by the reader itself, and stops the parser.
  mutating func fail(code: Int32, message: String) {
    record(
      line: parserLine(context), column: Int32(context.pointee.input?.pointee.col ?? 0), code: code, message: message)
    xmlStopParser(context)
  }
}

/// A growable array of plain values in memory managed by hand, for the parser's hot path:
/// appending and reading involve no reference counting. The owner calls ``deallocate()``.
struct PlainArray<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    base = .allocate(capacity: capacity)
    self.capacity = capacity
  }

  func deallocate() { base.deallocate() }

  @inline(__always)
  subscript(index: Int) -> Element {
    get { base[index] }
    nonmutating set { base[index] = newValue }
  }

  @inline(__always)
  mutating func append(_ element: Element) {
    if count == capacity { grow(to: count + 1) }
    (base + count).initialize(to: element)
    count += 1
  }

  mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
    guard let source = elements.baseAddress, !elements.isEmpty else { return }
    if count + elements.count > capacity { grow(to: count + elements.count) }
    (base + count).initialize(from: source, count: elements.count)
    count += elements.count
  }

  mutating func removeLast() -> Element? {
    guard count > 0 else { return nil }
    count -= 1
    return base[count]
  }

  /// Drops the first `dropped` elements, moving the rest to the front.
  mutating func removeFirst(_ dropped: Int) {
    guard dropped > 0 else { return }
    let kept = count - dropped
    if kept > 0 { base.update(from: base + dropped, count: kept) }
    count = kept
  }

  mutating func removeAll() { count = 0 }

  private mutating func grow(to needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}

extension EventBuffer {
  /// Puts the buffer's callbacks in a handler that `xmlSAXVersion` filled with libxml2's
  /// SAX2 defaults: those keep the DTD's entity and attribute declarations (in a document that
  /// holds nothing else); every callback that would build the tree is replaced.
  static func installCallbacks(in handler: inout xmlSAXHandler) {
    handler.startElementNs = xmlStreamReaderStartElement
    handler.endElementNs = xmlStreamReaderEndElement
    handler.startElement = nil
    handler.endElement = nil
    handler.characters = xmlStreamReaderCharacters
    // The same function for white space, so that libxml2 never calls it ignorable.
    handler.ignorableWhitespace = xmlStreamReaderCharacters
    handler.cdataBlock = xmlStreamReaderCharacters
    handler.reference = xmlStreamReaderReference
    handler.comment = xmlStreamReaderComment
    handler.processingInstruction = xmlStreamReaderProcessingInstruction
    handler.warning = nil
    handler.error = nil
    handler.fatalError = nil
    handler.serror = xmlStreamReaderErrorHandler
  }
}

/// The line the parser has reached.
@inline(__always)
private func parserLine(_ context: xmlParserCtxtPtr) -> Int32 {
  Int32(truncatingIfNeeded: context.pointee.input?.pointee.line ?? 0)
}

/// The buffer of the parser that called back, or nil for a parser libxml2 made to check an
/// entity's replacement text (its nodes are not the document's).
@inline(__always)
private func eventBuffer(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<EventBuffer>? {
  guard let context else { return nil }
  let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
  guard let owner = parser.pointee._private else { return nil }
  let buffer = owner.assumingMemoryBound(to: EventBuffer.self)
  return buffer.pointee.context == parser ? buffer : nil
}

private func xmlStreamReaderStartElement(
  _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
  _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32,
  _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ attributeCount: Int32, _ defaulted: Int32,
  _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
  guard let buffer = eventBuffer(context), let localName else { return }
  let line = parserLine(buffer.pointee.context)
  var event = EventBuffer.Event(
    type: XMLStreamReader.NodeType.element, depth: buffer.pointee.depth, line: line, name: localName, namespace: uri)
  event.attributeStart = Int32(buffer.pointee.attributes.count)
  event.attributeCount = attributeCount
  // The element's bytes (its attribute values) start here, so that dropping the events before
  // it keeps them.
  event.byteStart = Int32(buffer.pointee.bytes.count)
  if let attributes, attributeCount > 0 {
    // Five pointers an attribute: local name, prefix, URI, value start, value end.
    for index in 0..<Int(attributeCount) {
      let base = attributes + index * 5
      let start = base[3]
      let count = start.map { start in base[4].map { $0 - start } ?? 0 } ?? 0
      let byteStart = Int32(buffer.pointee.bytes.count)
      if let start, count > 0 {
        appendAttributeValue(UnsafeBufferPointer(start: start, count: count), to: &buffer.pointee.bytes)
      }
      buffer.pointee.attributes.append(
        EventBuffer.Attribute(
          name: base[0]!, prefix: base[1], namespace: base[2], byteStart: byteStart,
          byteCount: Int32(buffer.pointee.bytes.count) - byteStart))
    }
  }
  buffer.pointee.events.append(event)
  buffer.pointee.openLines.append(line)
  buffer.pointee.depth += 1
  if let kept = buffer.pointee.textOnlyIn, XMLStreamReader.equal(localName, kept) {
    buffer.pointee.textDepth = buffer.pointee.depth
  }
  buffer.pointee.textOpen = false
  buffer.pointee.rootSeen = true
}

/// Copies an attribute value as libxml2 hands it over without entity substitution: a literal
/// `&` (written `&amp;` or `&#38;`) comes as `&#38;`, which is decoded; a reference to an entity
/// the document declares stays `&name;`, unexpanded, as in text.
private func appendAttributeValue(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout PlainArray<UInt8>) {
  guard memchr(value.baseAddress!, Int32(UInt8(ascii: "&")), value.count) != nil else {
    bytes.append(contentsOf: value)
    return
  }
  let escaped: StaticString = "&#38;"
  var index = 0
  while index < value.count {
    if value[index] == UInt8(ascii: "&"), index + 5 <= value.count,
      memcmp(value.baseAddress! + index, escaped.utf8Start, 5) == 0
    {
      bytes.append(UInt8(ascii: "&"))
      index += 5
    } else {
      bytes.append(value[index])
      index += 1
    }
  }
}

private func xmlStreamReaderEndElement(
  _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
  _ uri: UnsafePointer<xmlChar>?
) {
  guard let buffer = eventBuffer(context) else { return }
  if buffer.pointee.textDepth == buffer.pointee.depth { buffer.pointee.textDepth = -1 }
  buffer.pointee.depth -= 1
  let depth = buffer.pointee.depth
  let line = buffer.pointee.openLines.removeLast() ?? parserLine(buffer.pointee.context)
  buffer.pointee.textOpen = false
  // A start tag followed at once by its end tag is one empty element, as `<name/>` is.
  let last = buffer.pointee.events.count - 1
  if last >= 0, buffer.pointee.events[last].type == XMLStreamReader.NodeType.element,
    buffer.pointee.events[last].depth == depth
  {
    buffer.pointee.events[last].isEmpty = true
    return
  }
  var event = EventBuffer.Event(
    type: XMLStreamReader.NodeType.endElement, depth: depth, line: line, name: localName, namespace: uri)
  event.byteStart = Int32(buffer.pointee.bytes.count)
  event.attributeStart = Int32(buffer.pointee.attributes.count)
  buffer.pointee.events.append(event)
}

private func xmlStreamReaderCharacters(
  _ context: UnsafeMutableRawPointer?, _ characters: UnsafePointer<xmlChar>?, _ length: Int32
) {
  guard let buffer = eventBuffer(context), let characters, length > 0, buffer.pointee.depth > 0 else { return }
  guard buffer.pointee.keepsText else { return }
  let bytes = UnsafeBufferPointer(start: characters, count: Int(length))
  let last = buffer.pointee.events.count - 1
  if buffer.pointee.textOpen, last >= 0 {
    let total = Int(buffer.pointee.events[last].byteCount) + Int(length)
    if total > XMLStreamReader.maximumTextLength {
      buffer.pointee.fail(code: Int32(XML_ERR_NO_MEMORY.rawValue), message: "xmlSAX2Characters: huge text node")
      return
    }
    buffer.pointee.bytes.append(contentsOf: bytes)
    buffer.pointee.events[last].byteCount = Int32(total)
    return
  }
  if Int(length) > XMLStreamReader.maximumTextLength {
    buffer.pointee.fail(code: Int32(XML_ERR_NO_MEMORY.rawValue), message: "xmlSAX2Characters: huge text node")
    return
  }
  var event = EventBuffer.Event(
    type: XMLStreamReader.NodeType.text, depth: buffer.pointee.depth, line: parserLine(buffer.pointee.context))
  event.byteStart = Int32(buffer.pointee.bytes.count)
  event.byteCount = length
  event.attributeStart = Int32(buffer.pointee.attributes.count)
  buffer.pointee.bytes.append(contentsOf: bytes)
  buffer.pointee.events.append(event)
  buffer.pointee.textOpen = true
}

private func xmlStreamReaderReference(_ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?) {
  guard let buffer = eventBuffer(context), let name, buffer.pointee.depth > 0 else { return }
  guard buffer.pointee.keepsText else { return }
  var event = EventBuffer.Event(
    type: XMLStreamReader.NodeType.entityReference, depth: buffer.pointee.depth,
    line: parserLine(buffer.pointee.context), name: name)
  event.byteStart = Int32(buffer.pointee.bytes.count)
  event.attributeStart = Int32(buffer.pointee.attributes.count)
  buffer.pointee.events.append(event)
  buffer.pointee.textOpen = false
}

/// Comments before the root are kept as strings (tools sign their files there); comments inside
/// the document become events (rare: Evaluate-STIG writes one per STIG and per answer-file
/// override), which ``XMLStreamReader/forEachChildElement(comments:_:)`` hands to importers and
/// every other walk skips.
private func xmlStreamReaderComment(_ context: UnsafeMutableRawPointer?, _ value: UnsafePointer<xmlChar>?) {
  guard let buffer = eventBuffer(context) else { return }
  buffer.pointee.textOpen = false
  guard let value else { return }
  if !buffer.pointee.rootSeen {
    if buffer.pointee.leadingComments.count < 16 { buffer.pointee.leadingComments.append(String(cString: value)) }
    return
  }
  guard buffer.pointee.depth > 0 else { return }
  let length = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
  // A comment is bounded as a text node is.
  guard length <= XMLStreamReader.maximumTextLength else { return }
  var event = EventBuffer.Event(
    type: XMLStreamReader.NodeType.comment, depth: buffer.pointee.depth, line: parserLine(buffer.pointee.context))
  event.byteStart = Int32(buffer.pointee.bytes.count)
  event.byteCount = Int32(length)
  event.attributeStart = Int32(buffer.pointee.attributes.count)
  buffer.pointee.bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: length))
  buffer.pointee.events.append(event)
}

private func xmlStreamReaderProcessingInstruction(
  _ context: UnsafeMutableRawPointer?, _ target: UnsafePointer<xmlChar>?, _ data: UnsafePointer<xmlChar>?
) {
  eventBuffer(context)?.pointee.textOpen = false
}

/// libxml2's structured error callback: records errors (not warnings) in the reader's buffer.
private func xmlStreamReaderErrorHandler(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
  guard let context, let error else { return }
  let level = error.pointee.level
  // Fatal errors stop the parser. Namespace errors (an undeclared prefix) are recoverable and
  // libxml2 reads on, as xmllint does; poam does too rather than refuse a usable checklist.
  guard level == XML_ERR_FATAL || (level == XML_ERR_ERROR && error.pointee.domain != Int32(XML_FROM_NAMESPACE.rawValue))
  else { return }
  // Errors of the parser that checks an entity's text reach the document's parser too.
  guard let buffer = eventBuffer(context) else { return }
  let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libxml2 error"
  buffer.pointee.record(
    line: error.pointee.line, column: error.pointee.int2, code: error.pointee.code, message: message)
}
