import Foundation

/// Tells an input's format from its content (root element, namespace, JSON keys, ZIP members),
/// never from its file name.
public enum FormatDetector {
  /// What detection found.
  public enum Verdict: Equatable, Sendable {
    /// A format poam imports.
    case format(InputFormat)
    /// Not an input poam reads; the reason says what it seems to be.
    case unknown(String)
  }

  /// How many leading bytes detection looks at.
  public static let prefixLength = 256 * 1024

  /// Detects the format from the first bytes of an input.
  public static func detect(_ prefix: Data) -> Verdict {
    if prefix.isEmpty { return .unknown("the file is empty") }
    if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
      let text = String(decoding: prefix, as: UTF8.self)
      return text.contains("xl/workbook.xml") || text.contains("[Content_Types].xml") && text.contains("xl/")
        ? .format(.xlsx) : .format(.zip)
    }
    // Text in a legacy 8-bit encoding (Windows-1252 from Excel) is still told apart by its first
    // characters, so the importer can name the line and byte it cannot read.
    let text =
      TextDecoding.decodePrefix(prefix) ?? (looksLikeText(prefix) ? String(decoding: prefix, as: UTF8.self) : nil)
    guard let text else { return .unknown("binary content that is not a known format") }
    let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
    guard let first = trimmed.first else { return .unknown("the file holds only white space") }
    // The whole prefix: a checklist with a large internal DTD (over 64 KB) is still recognised.
    if first == "<" { return detectXML(String(trimmed)) }
    if first == "{" || first == "[" { return detectJSON(String(trimmed.prefix(prefixLength))) }
    if text.unicodeScalars.contains(where: { $0.value == 0 }) {
      return .unknown("binary content that is not a known format")
    }
    guard TabularAssessment.hasHeaderRow(text) else {
      return .unknown(
        "text with no header row naming assessment columns (such as Requirement, Control or Vuln ID, and Status or Result)"
      )
    }
    if TabularAssessment.isPOAMExport(text: text) { return .unknown(TabularAssessment.poamExportReason) }
    return .format(.csv)
  }

  /// True for bytes that read as 8-bit text: no NUL, and almost no control characters besides
  /// tab, CR and LF (random binary data has about one in eight).
  static func looksLikeText(_ bytes: Data) -> Bool {
    var controls = 0
    for byte in bytes {
      if byte == 0 { return false }
      if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F { controls += 1 }
    }
    return controls * 100 <= bytes.count
  }

  static func detectXML(_ text: String) -> Verdict {
    guard let root = rootElement(text) else { return .unknown("XML without a root element") }
    let local = root.name.split(separator: ":").last.map(String.init) ?? root.name
    switch local {
    case "CHECKLIST": return .format(.ckl)
    case "asset-report-collection": return .format(.arf)
    case "Benchmark", "TestResult":
      return root.namespaces.contains { $0.contains("xccdf") } || local == "TestResult"
        ? .format(.xccdf) : .unknown("a Benchmark that is not XCCDF")
    case "assessment-results":
      return .format(.oscalXML)
    case "NessusClientData_v2": return .format(.nessus)
    case "NessusClientData":
      return .unknown("a Nessus v1 report (NessusClientData): export the scan as .nessus (v2) instead")
    case "cci_list":
      return .unknown("the DISA CCI list, not assessment results: pass it with --cci-list")
    case "plan-of-action-and-milestones":
      return .unknown("an OSCAL POA&M, not assessment results: pass it with --prior")
    case "workbook", "worksheet":
      return .unknown("a part of an Excel workbook, not the .xlsx file itself")
    default:
      return .unknown(
        "XML with root element <\(root.name)>, which is not CKL, XCCDF, ARF, Nessus or OSCAL assessment-results")
    }
  }

  /// The first element's qualified name and the namespace URIs declared on it.
  static func rootElement(_ text: String) -> (name: String, namespaces: [String])? {
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "<") {
      let after = rest[rest.index(after: open)...]
      if after.hasPrefix("?") || after.hasPrefix("!") {
        // XML declaration, comment or DOCTYPE: skip past it.
        let closing = after.hasPrefix("!--") ? after.range(of: "-->")?.upperBound : after.firstIndex(of: ">")
        guard let closing else { return nil }
        rest = after[closing...]
        continue
      }
      let name = after.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
      guard !name.isEmpty else { return nil }
      let tagEnd = after.firstIndex(of: ">") ?? after.endIndex
      let tag = after[..<tagEnd]
      var namespaces: [String] = []
      var search = tag[...]
      while let range = search.range(of: "xmlns") {
        let value = search[range.upperBound...].drop { $0 != "\"" && $0 != "'" }
        guard let quote = value.first else { break }
        let body = value.dropFirst()
        let end = body.firstIndex(of: quote) ?? body.endIndex
        namespaces.append(String(body[..<end]))
        search = body[end...]
      }
      return (String(name), namespaces)
    }
    return nil
  }

  /// Detects a JSON document by its top-level keys (``JSONTopLevel``), never by words inside its
  /// values: an HDF file whose `passthrough` carries a CKLB checklist is HDF. When the first level
  /// does not end within the text and the keys seen do not decide, the verdict says so, and
  /// ``detect(_:)-(InputFile)`` reads the whole first level of the file.
  static func detectJSON(_ text: String) -> Verdict {
    detectJSON(JSONTopLevel.scan(text)) ?? legacyJSON(text)
  }

  /// The verdict from a document's top-level keys; nil when they do not decide and the first
  /// level was not read to its end (the text was a prefix, or the JSON is broken).
  static func detectJSON(_ top: JSONTopLevel) -> Verdict? {
    guard top.isObject else {
      return .unknown(
        "JSON whose top level is not an object, so not CKLB, OSCAL assessment-results, HDF or poam results")
    }
    if top.has("assessment-results") { return .format(.oscalJSON) }
    if top.has("plan-of-action-and-milestones") {
      return .unknown("an OSCAL POA&M, not assessment results: pass it with --prior")
    }
    if top.strings["format"] == "poam-results" { return .format(.native) }
    if top.has("stigs") || top.has("cklb_version") || top.has("target_data") { return .format(.cklb) }
    if top.has("profiles") && (top.has("platform") || top.has("statistics") || top.has("version")) {
      return .format(.hdf)
    }
    if top.has("requirements") && top.has("catalog_version") && top.has("score") {
      return .unknown("a poam gap report, not assessment results: use it as a --baseline")
    }
    guard top.complete else { return nil }
    if top.has("profiles") { return .format(.hdf) }
    return .unknown("JSON that is not CKLB, OSCAL assessment-results, HDF or poam results")
  }

  /// The words a broken JSON document (one whose first level cannot be read to its end) is
  /// recognised by, so its importer can name the line where it breaks.
  static func legacyJSON(_ text: String) -> Verdict {
    func has(_ key: String) -> Bool { text.contains("\"\(key)\"") }
    if has("assessment-results") { return .format(.oscalJSON) }
    if has("plan-of-action-and-milestones") {
      return .unknown("an OSCAL POA&M, not assessment results: pass it with --prior")
    }
    if text.contains("\"poam-results\"") { return .format(.native) }
    if has("stigs") || has("cklb_version") || (has("target_data") && has("rules")) { return .format(.cklb) }
    if has("profiles") && (has("controls") || has("platform") || has("statistics")) { return .format(.hdf) }
    return .unknown("JSON that is not CKLB, OSCAL assessment-results, HDF or poam results")
  }

  /// Detects an input's format: ``detect(_:)-(Data)`` on its first bytes, then, when those do not
  /// decide, the ZIP central directory (an Excel workbook whose `xl/workbook.xml` comes after
  /// megabytes of sheets) or the whole first level of a JSON document.
  public static func detect(_ input: InputFile) throws -> Verdict {
    let prefix = try input.prefix(prefixLength)
    let verdict = detect(prefix)
    if verdict == .format(.zip) {
      return zipHoldsWorkbook(input) ? .format(.xlsx) : verdict
    }
    guard prefix.count >= prefixLength, isJSON(prefix) else { return verdict }
    let text = TextDecoding.decodePrefix(prefix) ?? ""
    if detectJSON(JSONTopLevel.scan(text)) != nil { return verdict }
    // The first level goes on past the prefix: read it to its end (the values are skipped).
    let data = try input.readAll()
    let top: JSONTopLevel
    if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
      top = JSONTopLevel.scan(TextDecoding.decode(data) ?? "")
    } else {
      top = data.withUnsafeBytes { JSONTopLevel.scan($0.bindMemory(to: UInt8.self)) }
    }
    return detectJSON(top) ?? legacyJSON(text)
  }

  /// True when the first character that is not white space (or a byte-order mark) opens JSON.
  static func isJSON(_ prefix: Data) -> Bool {
    guard let text = TextDecoding.decodePrefix(prefix.prefix(4096)) else { return false }
    let first = text.first { !$0.isWhitespace && $0 != "\u{FEFF}" }
    return first == "{" || first == "["
  }

  /// True when a ZIP archive's central directory lists `xl/workbook.xml` (read by
  /// ``ZIPContainer``, which checks the directory against the bytes; a file is mapped, not read).
  static func zipHoldsWorkbook(_ input: InputFile) -> Bool {
    let data: Data
    switch input.content {
    case .file(let url):
      guard let mapped = try? Data(contentsOf: url, options: .alwaysMapped) else { return false }
      data = mapped
    case .data(let bytes): data = bytes
    }
    guard let archive = try? ZIPContainer(data: data),
      archive.members.count <= ArchiveReader.Limits.standard.maxMembers
    else { return false }
    return archive["xl/workbook.xml"] != nil
  }
}

/// Text decoding shared by detection and the text importers: UTF-8 (with or without BOM) and
/// UTF-16 LE/BE with BOM.
enum TextDecoding {
  /// Decodes a whole file; nil when the bytes are not text in a supported encoding.
  public static func decode(_ data: Data) -> String? {
    if data.starts(with: [0xFF, 0xFE]) {
      return String(data: data.dropFirst(2), encoding: .utf16LittleEndian)
    }
    if data.starts(with: [0xFE, 0xFF]) {
      return String(data: data.dropFirst(2), encoding: .utf16BigEndian)
    }
    let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
    return String(data: Data(body), encoding: .utf8)
  }

  /// Decodes a prefix, tolerating a multi-byte character cut at the end.
  static func decodePrefix(_ data: Data) -> String? {
    if let text = decode(data) { return text }
    // A prefix may end inside a character: retry without the last few bytes.
    for cut in 1...3 where data.count > cut {
      if let text = decode(data.dropLast(cut)) { return text }
    }
    return nil
  }
}
