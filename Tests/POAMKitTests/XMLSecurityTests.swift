import CLibXML2
import Foundation
import Synchronization
import Testing

@testable import POAMKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Untrusted XML: external entities, entity expansion, external DTDs over the network, and
/// broken, empty, binary and oversized input (fixtures in `Fixtures/bad`).
struct XMLSecurityTests {
  static func bad(_ name: String) -> URL { XMLImportTest.fixture("bad/\(name)") }

  @Test func anExternalEntityNeverReadsTheLocalFile() throws {
    let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
    let firstLine = try #require(passwd.split(separator: "\n").first.map(String.init))
    let result = try XMLImportTest.read(CKLImporter(), Self.bad("xxe-passwd.ckl"))
    let everything = try XMLImportTest.allText(result)
    #expect(!everything.contains(firstLine))
    #expect(!everything.contains(":0:0:"))
    // The reference stays a reference, visibly.
    let observation = try #require(result.observations.first)
    #expect(observation.details == "before &xxe; after")
    #expect(observation.asset?.hostName == "&xxe;")
  }

  @Test func billionLaughsFailsFastWithFlatMemory() throws {
    let before = Self.maxResidentBytes()
    let clock = ContinuousClock()
    var error: ImportError?
    let elapsed = clock.measure {
      error = XMLImportTest.importError {
        _ = try XMLImportTest.read(CKLImporter(), Self.bad("billion-laughs.ckl"), displayName: "laughs.ckl")
      }
    }
    #expect(elapsed < .milliseconds(500))
    guard case .malformed(let file, let line, _, let expected) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(file == "laughs.ckl")
    // &lol9; is used on line 15 of the fixture (grep -n), not on line 1 of an entity.
    #expect(line == 15)
    #expect(expected.contains("entity") && expected.contains("billion-laughs"))
    // Expanding &lol9; would need about 3 GB; the peak resident size must not move by 64 MB.
    #expect(Self.maxResidentBytes() - before < 64 << 20)
  }

  /// A listener on 127.0.0.1 that counts connections and answers each with a 404, so a parser
  /// that does fetch gets an answer at once instead of waiting.
  final class Listener: Sendable {
    let socket: Int32
    let port: UInt16
    let connections = Atomic<Int>(0)
    let stopped = Atomic<Bool>(false)

    init() throws {
      #if canImport(Glibc)
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      #else
        let fd = Darwin.socket(AF_INET, SOCK_STREAM, 0)
      #endif
      guard fd >= 0 else { throw POSIXError(.EIO) }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = 0
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      socket = fd
      port = UInt16(bigEndian: address.sin_port)
    }

    /// Starts answering on a thread of its own.
    func start() -> Listener {
      Thread.detachNewThread { self.serve() }
      return self
    }

    private func serve() {
      while !stopped.load(ordering: .acquiring) {
        let client = accept(socket, nil, nil)
        if client < 0 {
          usleep(2_000)
          continue
        }
        connections.add(1, ordering: .relaxed)
        let reply = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = reply.withCString { send(client, $0, strlen($0), 0) }
        close(client)
      }
      close(socket)
    }

    func stop() { stopped.store(true, ordering: .releasing) }
  }

  static func networkFixture(port: UInt16) throws -> URL {
    let text = try String(contentsOf: bad("external-dtd.ckl"), encoding: .utf8)
      .replacingOccurrences(of: "http://127.0.0.1:9/", with: "http://127.0.0.1:\(port)/")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "poam-external-dtd-\(UUID().uuidString).ckl")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func anExternalDTDOrEntityOverHTTPIsNeverFetched() throws {
    let listener = try Listener().start()
    defer { listener.stop() }
    let url = try Self.networkFixture(port: listener.port)
    defer { try? FileManager.default.removeItem(at: url) }

    // Control: libxml2 told to load the DTD does connect, so the listener would see a fetch.
    let control = xmlReaderForFile(url.path, nil, Int32(XML_PARSE_DTDLOAD.rawValue))
    xmlTextReaderSetStructuredErrorHandler(control, { _, _ in }, nil)
    while xmlTextReaderRead(control) == 1 {}
    xmlFreeTextReader(control)
    #expect(Self.waitForConnections(listener, atLeast: 1))
    let afterControl = listener.connections.load(ordering: .relaxed)

    let result = try XMLImportTest.read(CKLImporter(), url)
    Thread.sleep(forTimeInterval: 0.05)
    #expect(listener.connections.load(ordering: .relaxed) == afterControl)
    #expect(result.observations.first?.details == "&fetched;")
    #expect(result.observations.count == 1)
  }

  static func waitForConnections(_ listener: Listener, atLeast count: Int) -> Bool {
    for _ in 0..<200 {
      if listener.connections.load(ordering: .relaxed) >= count { return true }
      Thread.sleep(forTimeInterval: 0.01)
    }
    return false
  }

  static func maxResidentBytes() -> Int {
    var usage = rusage()
    #if canImport(Darwin)
      getrusage(RUSAGE_SELF, &usage)
      return Int(usage.ru_maxrss)
    #else
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return Int(usage.ru_maxrss) * 1024
    #endif
  }
}

/// Broken, empty, binary and oversized input.
struct XMLBadInputTests {
  static func bad(_ name: String) -> URL { XMLImportTest.fixture("bad/\(name)") }

  @Test func brokenXMLNamesFileLineAndColumn() throws {
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(CKLImporter(), Self.bad("broken-tag.ckl"), displayName: "broken-tag.ckl")
    }
    // xmllint: "broken-tag.ckl:7: parser error : Opening and ending tag mismatch: VULN line 5 and VUL",
    // caret under column 13.
    #expect(
      error?.localizedDescription
        == "broken-tag.ckl:7:13: malformed XML: Opening and ending tag mismatch: VULN line 5 and VUL")
  }

  @Test func aTruncatedFileNamesWhereItStops() throws {
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(XCCDFImporter(format: .arf), Self.bad("truncated-arf.xml"), displayName: "t.xml")
    }
    guard case .malformed(_, let line, _, let expected) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    // xmllint: "truncated-arf.xml:27: parser error : Couldn't find end of Start Tag rule-res".
    #expect(line == 27)
    #expect(expected.contains("Couldn't find end of Start Tag"))
  }

  @Test func aZeroByteFileIsAClearError() {
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(CKLImporter(), Self.bad("zero-byte.ckl"), displayName: "z.ckl")
    }
    #expect(
      error
        == .malformed(
          file: "z.ckl", line: nil, column: nil, expected: "expected an XML document, but the file is empty"))
    let fromMemory = XMLImportTest.importError {
      _ = try XMLImportTest.read(XCCDFImporter(), data: Data(), displayName: "-")
    }
    #expect(
      fromMemory
        == .malformed(file: "-", line: nil, column: nil, expected: "expected an XML document, but the file is empty"))
  }

  @Test func aDocumentWithoutElementsIsAClearError() {
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(OSCALXMLImporter(), Self.bad("no-root.xml"), displayName: "n.xml")
    }
    guard case .malformed(let file, let line, _, _) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(file == "n.xml")
    #expect(line == 3)
  }

  @Test func binaryGarbageIsNotXML() throws {
    let url = Self.bad("binary-garbage.bin")
    if case .format(let format) = FormatDetector.detect(try Data(contentsOf: url)) {
      Issue.record("garbage detected as \(format)")
    }
    let error = XMLImportTest.importError { _ = try XMLImportTest.read(CKLImporter(), url, displayName: "g.bin") }
    #expect(
      error
        == .malformed(
          file: "g.bin", line: 1, column: 1,
          expected: "expected an XML document, but no element was found (the file is empty or not XML)"))
  }

  static func checklist(detailsLength: Int) -> Data {
    var data = Data("<CHECKLIST><STIGS><iSTIG><VULN><STATUS>Open</STATUS><FINDING_DETAILS>".utf8)
    data.append(Data(repeating: UInt8(ascii: "A"), count: detailsLength))
    data.append(Data("</FINDING_DETAILS></VULN></iSTIG></STIGS></CHECKLIST>".utf8))
    return data
  }

  @Test func aLargeFieldIsReadWhole() throws {
    let result = try XMLImportTest.read(CKLImporter(), data: Self.checklist(detailsLength: 2_000_000))
    #expect(result.observations.first?.details?.utf8.count == 2_000_000)
  }

  @Test func aFieldOverTheLimitIsAClearError() {
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(CKLImporter(), data: Self.checklist(detailsLength: 10_000_001), displayName: "h.ckl")
    }
    guard case .malformed(let file, let line, _, let expected) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(file == "h.ckl")
    #expect(line == 1)
    #expect(expected == "a text field is longer than 10000000 characters, the most poam reads in one field")
  }

  /// An 80 MB XCCDF file (a Rule with a huge description, then a TestResult) is streamed: the
  /// peak resident size grows far less than the file (a DOM would take several times its size).
  @Test func aLargeFileIsStreamedWithFlatMemory() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("poam-large-\(UUID().uuidString).xml")
    defer { try? FileManager.default.removeItem(at: url) }
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    handle.write(
      Data(
        #"<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="b"><Rule id="r1"><title>Big</title><description>"#
          .utf8))
    let paragraph = Data(("<p>" + String(repeating: "lorem ipsum ", count: 80) + "</p>\n").utf8)
    var chunk = Data()
    for _ in 0..<1000 { chunk.append(paragraph) }
    for _ in 0..<(80_000_000 / chunk.count) { handle.write(chunk) }
    handle.write(
      Data(
        #"</description><reference href="NIST.SP.800-171">3.1.1</reference></Rule><TestResult id="t"><target>big</target><rule-result idref="r1"><result>pass</result></rule-result></TestResult></Benchmark>"#
          .utf8))
    try handle.close()
    let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
    #expect(size > 75_000_000)

    let before = XMLSecurityTests.maxResidentBytes()
    let result = try XMLImportTest.read(XCCDFImporter(), url)
    #expect(result.observations.count == 1)
    #expect(result.observations.first?.refs.contains(Reference(.requirement, "3.1.1")) == true)
    #expect(XMLSecurityTests.maxResidentBytes() - before < 40 << 20)
  }

  @Test func theImportPipelineStopsOnABrokenFileOrSkipsItWhenAskedTo() throws {
    let broken = Self.bad("broken-tag.ckl").path
    let good = XMLImportTest.fixture("ckl/two-stigs-bom-crlf.ckl").path
    #expect(throws: ImportError.self) { try ImportPipeline().run([good, broken]) }
    let outcome = try ImportPipeline().run([good, broken], options: ImportOptions(keepGoing: true))
    #expect(outcome.observations.count == 7)
    #expect(outcome.failures.count == 1)
    #expect(outcome.failures.first?.file == "Fixtures/bad/broken-tag.ckl")
  }
}
