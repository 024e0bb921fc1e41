import Foundation
import Testing

@testable import POAMKit

/// The pull reader itself: walking children (subtrees left unread are skipped inside libxml2),
/// reading text, and errors met while skipping.
struct XMLStreamReaderTests {
  static func reader(_ xml: String) throws -> XMLStreamReader {
    let reader = try XMLStreamReader(data: Data(xml.utf8), displayName: "test.xml")
    #expect(try reader.moveToRoot())
    return reader
  }

  /// The local names of the children `forEachChildElement` calls its body for, reading none.
  static func childNames(_ reader: XMLStreamReader) throws -> [String] {
    var names: [String] = []
    try reader.forEachChildElement { names.append(reader.localName) }
    return names
  }

  @Test func childrenLeftUnreadAreSkippedWholeIncludingEmptyAndNestedSameNameElements() throws {
    let reader = try Self.reader(
      """
      <root>
        text <a/><a></a>
        <a><a><a>deep</a></a><b>inner</b></a>
        <!-- a comment --><b x="1">after</b><c/>
      </root>
      """)
    #expect(try Self.childNames(reader) == ["a", "a", "a", "b", "c"])
    // The reader ends on the root's end tag.
    #expect(reader.kind == .endElement)
    #expect(reader.localName == "root")
    #expect(reader.depth == 0)
    #expect(try !reader.read())
  }

  /// `textOnlyIn`: text is kept inside the named elements only; the walk and the attributes
  /// are unchanged elsewhere, and an element whose text was dropped reads as empty.
  @Test func textOnlyInKeepsTheTextOfTheNamedElementsAlone() throws {
    let xml = """
      <root><metadata><version>2025-01-23</version><note>dropped</note></metadata>
        <items><item id="1"><definition>long text &amp; more</definition><version>v&amp;2</version></item></items>
      </root>
      """
    let reader = try XMLStreamReader(data: Data(xml.utf8), displayName: "test.xml", textOnlyIn: "version")
    #expect(try reader.moveToRoot())
    var seen: [String] = []
    func walk() throws {
      try reader.forEachChildElement {
        let name = reader.localName
        if let id = reader.attribute("id") { seen.append("\(name)#\(id)") }
        if name == "version" || name == "note" || name == "definition" {
          seen.append("\(name)=\(try reader.readText())")
        } else {
          seen.append(name)
          try walk()
        }
      }
    }
    try walk()
    #expect(
      seen == [
        "metadata", "version=2025-01-23", "note=", "items", "item#1", "item", "definition=", "version=v&2",
      ])
  }

  @Test func commentsDirectlyInsideAnElementReachTheCommentHandlerAndNothingElse() throws {
    let reader = try Self.reader(
      """
      <root>
        <!--first--><a>x<!-- inside a -->y</a>
        <b><!-- in b --></b><!--<Evaluate-STIG><afmod>True</afmod></Evaluate-STIG>-->
      </root>
      """)
    var comments: [String] = []
    var texts: [String] = []
    let keep = { (comment: String) in comments.append(comment) }
    try reader.forEachChildElement(comments: keep) {
      texts.append(try reader.readText())
    }
    // Only the root's own comments; a comment splits no text and is no text.
    #expect(comments == ["first", "<Evaluate-STIG><afmod>True</afmod></Evaluate-STIG>"])
    #expect(texts == ["xy", ""])
    #expect(reader.kind == .endElement)
  }

  @Test func bodiesMayReadSkipOrDescendAndTheWalkGoesOn() throws {
    let reader = try Self.reader(
      """
      <root><a>one</a><skip><x/><a>never</a></skip><list><a>two</a><empty/><a>three</a></list>\
      <s><a>four</a></s><a/><a>five</a></root>
      """)
    var seen: [String] = []
    try reader.forEachChildElement {
      if reader.localName(is: "a") {
        seen.append(try reader.readText())
        #expect(reader.kind == .endElement || reader.isEmptyElement)
      } else if reader.localName(is: "list") {
        try reader.forEachChildElement {
          if reader.localName(is: "a") { seen.append("list:" + (try reader.readText())) }
        }
        #expect(reader.kind == .endElement && reader.localName == "list")
      } else if reader.localName(is: "s") {
        try reader.skipElement()
        #expect(reader.kind == .endElement && reader.localName == "s")
      }
    }
    #expect(seen == ["one", "list:two", "list:three", "", "five"])
    #expect(reader.kind == .endElement && reader.localName == "root")
  }

  @Test func nextStepsOverASubtreeOrAnEmptyElement() throws {
    let reader = try Self.reader("<root><a><b><c/></b></a><d/><e>t</e></root>")
    #expect(try reader.read())
    #expect(reader.isElement("a"))
    #expect(try reader.next())
    #expect(reader.isElement("d") && reader.isEmptyElement)
    #expect(try reader.next())
    #expect(reader.isElement("e"))
    #expect(try reader.next())
    #expect(reader.kind == .endElement && reader.localName == "root")
    #expect(try !reader.next())
  }

  @Test func readTextOfOneNodeManyNodesAndNone() throws {
    let reader = try Self.reader(
      """
      <!DOCTYPE root [<!ENTITY name "expanded">]>
      <root><one>  single  </one><empty/><pair></pair><mixed>a<b>bold</b>c</mixed>\
      <blocks><p>first</p><p>second</p></blocks><entity>x &name; y</entity><cdata><![CDATA[<raw>]]></cdata>\
      <comment>a<!-- c -->b</comment></root>
      """)
    var texts: [String: String] = [:]
    try reader.forEachChildElement {
      let name = reader.localName
      texts[name] = try reader.readText()
      #expect(reader.kind == .endElement || reader.isEmptyElement)
      #expect(reader.localName == name)
    }
    #expect(texts["one"] == "  single  ")
    #expect(texts["empty"] == "")
    #expect(texts["pair"] == "")
    #expect(texts["mixed"] == "aboldc")
    #expect(texts["blocks"] == "first second")
    // Entities are never expanded: the reference stays visible.
    #expect(texts["entity"] == "x &name; y")
    #expect(texts["cdata"] == "<raw>")
    #expect(texts["comment"] == "ab")
  }

  @Test func withTextSeesWhatReadTextReturns() throws {
    let xml = """
      <root><one>single</one><empty/><pair></pair><mixed>a<b>bold</b>c</mixed><ws>  x  </ws>\
      <blocks><p>first</p><p>second</p></blocks><accent>é</accent></root>
      """
    let reader = try Self.reader(xml)
    var viaBytes: [String] = []
    try reader.forEachChildElement {
      let name = reader.localName
      viaBytes.append(try reader.withText { String(decoding: $0, as: UTF8.self) })
      #expect(reader.localName == name)
      #expect(reader.kind == .endElement || reader.isEmptyElement)
    }
    let again = try Self.reader(xml)
    var viaString: [String] = []
    try again.forEachChildElement { viaString.append(try again.readText()) }
    #expect(viaBytes == viaString)
    #expect(viaBytes == ["single", "", "", "aboldc", "  x  ", "first second", "é"])
  }

  @Test func checklistAttributeNamesAreRecognisedOnTheBytes() {
    func name(_ text: String) -> CKLImporter.AttributeName {
      var copy = text
      return copy.withUTF8 { CKLImporter.attributeName($0) }
    }
    #expect(name("Vuln_Num") == .used("Vuln_Num"))
    #expect(name("  CCI_REF\n") == .used("CCI_REF"))
    #expect(name("Check_Content") == .unused)
    #expect(name("") == .unused)
    #expect(name("NIST SP 800-171 ID") == .used("NIST SP 800-171 ID"))
    #expect(name("\u{00A0}Rule_ID\u{00A0}") == .used("Rule_ID"))
    #expect(name("Rule_ID2") == .unused)
    for (known, used) in CKLImporter.knownAttributes {
      #expect(name(known) == (used ? .used(known) : .unused))
    }
  }

  @Test func trimmedAndCleanText() throws {
    let reader = try Self.reader(
      "<root><a>\n  value \t</a><b>   </b><c>\u{00A0}nbsp\u{00A0}</c><d>x<i/>\n</d><e>plain</e></root>")
    var trimmed: [String] = []
    var clean: [String?] = []
    try reader.forEachChildElement {
      if reader.localName(is: "e") {
        clean.append(try reader.readCleanText())
      } else {
        trimmed.append(try reader.readTrimmedText())
      }
    }
    #expect(trimmed == ["value", "", "nbsp", "x"])
    #expect(clean == ["plain"])
  }

  /// Text long enough that libxml2 has not parsed what follows when the reader reaches the root.
  static let padding = "<pad>" + String(repeating: "padding ", count: 4096) + "</pad>"

  @Test func anErrorInsideASkippedSubtreeIsReportedWithItsLineAndColumn() throws {
    let reader = try Self.reader(
      """
      <root>
        <skipped>\(Self.padding)
          <deeper>
            <x></y>
          </deeper>
        </skipped>
        <after/>
      </root>
      """)
    var visited: [String] = []
    let error = XMLImportTest.importError {
      try reader.forEachChildElement { visited.append(reader.localName) }
    }
    guard case .malformed(let file, let line, let column, let expected) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(visited == ["skipped"])
    #expect(file == "test.xml")
    #expect(line == 4)
    #expect(column != nil)
    #expect(expected.contains("malformed XML"))
  }

  @Test func anErrorInsideAnUnreadElementTextIsReported() throws {
    let reader = try Self.reader("<root>\(Self.padding)\n<a>text &amp no semicolon</a>\n</root>")
    let error = XMLImportTest.importError { _ = try Self.childNames(reader) }
    guard case .malformed(_, let line, _, _) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(line == 2)
  }

  @Test func attributeBytesAreReadWithoutMovingTheReader() throws {
    let reader = try Self.reader(#"<root><ref href="HTTPS://Public.Cyber.mil/STIGs/CCI/" empty=""/></root>"#)
    #expect(try reader.read())
    let kind = reader.withAttribute("href") { XCCDFImporter.referenceKind(href: $0!) }
    #expect(kind == .cci)
    #expect(reader.withAttribute("empty") { $0?.count } == 0)
    #expect(reader.withAttribute("missing") { $0 == nil })
    #expect(reader.isElement("ref"))
    #expect(reader.attribute("empty") == "")
  }
}

/// The push parser hands the reader its nodes chunk by chunk: what spans a chunk boundary, what
/// libxml2 escapes, and what it recovers from must come out as one document read whole would.
struct XMLStreamReaderChunkTests {
  /// A document several chunks long whose every text, attribute and empty element is known.
  @Test func aDocumentLongerThanManyChunksReadsExactlyAsWritten() throws {
    let count = 6_000
    var xml = "<root>"
    for index in 0..<count {
      // Texts of varied length so that chunk boundaries fall inside texts, tags and attributes.
      let text = String(repeating: "word\(index % 7) ", count: index % 23) + "end\(index)"
      xml += "<item id=\"i\(index)\" note=\"a &amp; b &lt; c &#38; d\"><text>\(text)</text><none></none><gap/></item>\n"
    }
    xml += "</root>"
    #expect(xml.utf8.count > 3 * XMLStreamReader.chunkSize)
    for reader in [
      try XMLStreamReader(data: Data(xml.utf8), displayName: "memory.xml"),
      try Self.file(xml),
    ] {
      #expect(try reader.moveToRoot())
      var index = 0
      try reader.forEachChildElement {
        #expect(reader.attribute("id") == "i\(index)")
        #expect(reader.attribute("note") == "a & b < c & d")
        var texts: [String] = []
        var empties: [Bool] = []
        try reader.forEachChildElement {
          empties.append(reader.isEmptyElement)
          texts.append(try reader.readText())
        }
        let expected = String(repeating: "word\(index % 7) ", count: index % 23) + "end\(index)"
        #expect(texts == [expected, "", ""])
        #expect(empties == [false, true, true])
        index += 1
      }
      #expect(index == count)
      #expect(reader.kind == .endElement && reader.localName == "root")
      #expect(try !reader.read())
    }
  }

  static func file(_ xml: String) throws -> XMLStreamReader {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("poam-chunks-\(UUID().uuidString).xml")
    try Data(xml.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    // The file is opened before it is removed; the reader keeps its descriptor.
    return try XMLStreamReader(path: url.path, displayName: "chunks.xml")
  }

  @Test func attributeValuesAreDecodedButDeclaredEntitiesStayReferences() throws {
    let reader = try XMLStreamReaderTests.reader(
      """
      <!DOCTYPE root [<!ENTITY name "expanded">]>
      <root><a plain="x" amp="&amp;" char="&#38;&#60;&#x41;" quote="&quot;&apos;&gt;" lit="&amp;#38;" ent="1 &name; 2"/></root>
      """)
    #expect(try reader.read())
    #expect(reader.isElement("a"))
    #expect(reader.attribute("plain") == "x")
    #expect(reader.attribute("amp") == "&")
    #expect(reader.attribute("char") == "&<A")
    #expect(reader.attribute("quote") == "\"'>")
    #expect(reader.attribute("lit") == "&#38;")
    #expect(reader.attribute("ent") == "1 &name; 2")
    #expect(reader.attribute("xml:lang") == nil)
  }

  @Test func prefixedAndNamespacedAttributes() throws {
    let reader = try XMLStreamReaderTests.reader(
      #"<root xmlns:r="urn:r"><a xml:lang="en" r:id="rid" id="plain"/></root>"#)
    #expect(try reader.read())
    #expect(reader.attribute("xml:lang") == "en")
    #expect(reader.attribute("id") == "plain")
    #expect(reader.attribute("r:id") == "rid")
    #expect(reader.attribute("id", namespace: "urn:r") == "rid")
    #expect(reader.attribute("id", namespace: "urn:other") == nil)
  }

  @Test func anUndeclaredPrefixIsReadOnAsXmllintDoes() throws {
    let reader = try XMLStreamReaderTests.reader("<root><x:a>one</x:a><b>two</b></root>")
    var texts: [String] = []
    try reader.forEachChildElement { texts.append(try reader.readText()) }
    #expect(texts == ["one", "two"])
  }

  /// libxml2 keeps element lines in 16 bits; the reader reports the real line past 65,535, also
  /// for elements without text.
  @Test func linesPast65535AreExact() throws {
    var xml = "<root>\n"
    for _ in 0..<70_000 { xml += "<pad/>\n" }
    xml += "<target>\n<child/>\n</target>\n<text>t</text>\n</root>"
    let reader = try XMLStreamReaderTests.reader(xml)
    var lines: [String: Int] = [:]
    try reader.forEachChildElement {
      if reader.localName(is: "target") || reader.localName(is: "text") { lines[reader.localName] = reader.lineNumber }
    }
    #expect(lines == ["target": 70_002, "text": 70_005])
  }

  /// The push parser detects the encoding from the first bytes or the declaration, as the
  /// reader over a whole file did.
  @Test func utf16AndLatin1DocumentsAreDecoded() throws {
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><root><a note=\"café\">naïve</a></root>"
    var utf16 = Data([0xFF, 0xFE])
    utf16.append(text.data(using: .utf16LittleEndian)!)
    let latin1 = try #require(
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><root><a note=\"café\">naïve</a></root>"
        .data(using: .isoLatin1))
    for data in [utf16, latin1] {
      let reader = try XMLStreamReader(data: data, displayName: "encoded.xml")
      #expect(try reader.moveToRoot())
      #expect(try reader.read())
      #expect(reader.attribute("note") == "café")
      #expect(try reader.readText() == "naïve")
    }
  }

  @Test func nodesBeforeAnErrorInTheSameChunkAreRead() throws {
    let reader = try XMLStreamReaderTests.reader("<root><a>1</a><b>2</b><c>3</d></root>")
    var texts: [String] = []
    let error = XMLImportTest.importError {
      try reader.forEachChildElement { texts.append(try reader.readText()) }
    }
    #expect(texts == ["1", "2"])
    guard case .malformed(_, let line, let column, let expected) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(line == 1)
    #expect(column != nil)
    #expect(expected.contains("mismatch"))
  }
}

/// The byte-level helpers answer as the String operations they replace.
struct XMLImportSupportTests {
  static let samples = [
    "", " ", "\n\t ", "plain", "  both  ", "\nline\n", "a,b", "a; b\nc", "x\r\ny", "\u{00A0}nbsp\u{00A0}",
    " \u{2003}em\u{2003} ", "é", " é ", "CCI-000015", "CCI-000015, CCI-000016", "\u{0085}next", "ÅÄ,ö",
    "tab\tinside", "e\u{301}", " e\u{301} ", ",", ";;", "\u{2028}",
  ]

  @Test func trimMatchesScalarTrimming() {
    for text in Self.samples {
      let scalars = text.unicodeScalars
      let expected: String
      if let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
      {
        expected = String(scalars[start...end])
      } else {
        expected = ""
      }
      #expect(XMLImportSupport.trim(text) == expected, "\(text.debugDescription)")
    }
  }

  @Test func splitMatchesCharacterSplitting() {
    for text in Self.samples {
      let expected = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }).compactMap {
        XMLImportSupport.clean(String($0))
      }
      #expect(XMLImportSupport.split(text) == expected, "\(text.debugDescription)")
    }
  }

  @Test func caseInsensitiveMatchingIsLowercasedMatching() {
    // U+0130 lowercases to "i" and a combining dot, U+212A (Kelvin) to an ASCII "k": such text
    // goes through String.lowercased(), as before.
    let texts = [
      "http://cyber.mil/cci", "HTTP://CYBER.MIL/CCI", "https://nvd.nist.gov/cce/", "CC\u{0130}", "ccİ", "\u{212A}",
      "", "https://public.cyber.mil/stigs/ccİ/", "NIST.SP.800-171", "800_53", "CMMC", "cmmc\u{0130}",
    ]
    for text in texts {
      var copy = text
      let bytesAnswer = copy.withUTF8 { XMLImportSupport.lowercasedContains($0, "cci") }
      #expect(bytesAnswer == XMLImportSupport.contains(text.lowercased(), "cci"), "\(text)")
      let kind = copy.withUTF8 { XCCDFImporter.referenceKind(href: $0) }
      #expect(kind == XCCDFImporter.referenceKind(href: text), "\(text)")
    }
    #expect(XCCDFImporter.referenceKind(href: "https://public.cyber.mil/stigs/ccİ/") == .cci)
    #expect(XCCDFImporter.referenceKind(href: "HTTP://NVLPUBS.NIST.GOV/NIST.SP.800-53R4.PDF") == .sp80053)
    #expect(XCCDFImporter.referenceKind(href: "https://www.cisecurity.org/controls/") == nil)
  }

  @Test func byteSearch() {
    #expect(XMLImportSupport.offset(of: "stig_rule_", in: "xccdf_mil.disa.stig_rule_SV-1_rule") == 15)
    #expect(XMLImportSupport.offset(of: "aab", in: "aaab") == 1)
    #expect(XMLImportSupport.offset(of: "abc", in: "ab") == nil)
    #expect(XMLImportSupport.offset(of: "b", in: "") == nil)
    #expect(XMLImportSupport.suffix(of: "a_stig_rule_SV-1", after: "stig_rule_") == "SV-1")
    #expect(XMLImportSupport.suffix(of: "é stig_rule_é", after: "stig_rule_") == "é")
    #expect(XMLImportSupport.suffix(of: "none", after: "stig_rule_") == nil)
  }
}
