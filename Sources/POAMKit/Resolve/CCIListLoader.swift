import Foundation

extension CCIList {
  /// Reads the DISA CCI list (`U_CCI_List.xml`, namespace `http://iase.disa.mil/cci`), streaming:
  ///
  /// ```xml
  /// <cci_list><metadata><version>2025-01-23</version></metadata>
  ///   <cci_items><cci_item id="CCI-000015">…
  ///     <references>
  ///       <reference title="NIST SP 800-53 Revision 4" version="4" index="AC-2 (1)"/>
  ///       <reference title="NIST SP 800-53 Revision 5" version="5" index="AC-2 (1)"/>
  /// ```
  ///
  /// References titled "NIST SP 800-53 Revision 4" (version 4) fill ``rev4`` and "NIST SP 800-53
  /// Revision 5" (version 5) fill ``rev5``, each index normalized with
  /// ``SP80053Control/normalize(_:)`` (`AC-2 a 1` → `AC-2`, `AC-2 (1)` → `AC-2(1)`). Every
  /// Rev 4, Rev 5 and Rev 3 (the plain "NIST SP 800-53" title, version 3) index is also kept
  /// whole in ``parts`` (`IA-5(1)(a)`), for the objective table. The 800-53A references are
  /// not used.
  /// - Throws: ``ImportError`` when the file cannot be read, is broken XML, or is not a CCI list.
  public static func load(from path: String) throws -> CCIList {
    try load(XMLStreamReader(path: path, textOnlyIn: "version"))
  }

  /// Reads a CCI list held in memory; see ``load(from:)``.
  public static func load(data: Data, displayName: String) throws -> CCIList {
    try load(XMLStreamReader(data: data, displayName: displayName, textOnlyIn: "version"))
  }

  private static func load(_ reader: XMLStreamReader) throws -> CCIList {
    try XMLImportSupport.requireRoot(reader, expected: "the DISA CCI list (root element cci_list)") {
      $0.localName(is: "cci_list")
    }
    var version: String?
    var rev4: [String: [String]] = [:]
    var rev5: [String: [String]] = [:]
    var parts: [String: Parts] = [:]
    var items = 0
    // Many CCIs share an index ("CM-6 b"): read each distinct index once, as a part and as a control.
    var readIndices: [String: (part: String?, control: String?)] = [:]
    try reader.forEachChildElement {
      if reader.localName(is: "metadata") {
        try reader.forEachChildElement {
          if reader.localName(is: "version") { version = XMLImportSupport.clean(try reader.readText()) }
        }
      } else if reader.localName(is: "cci_items") {
        try reader.forEachChildElement {
          guard reader.localName(is: "cci_item"), let raw = reader.attribute("id"), let cci = normalize(raw) else {
            return
          }
          items += 1
          // One item's references, gathered here and stored once.
          var itemParts = Parts()
          var itemRev4: [String] = []
          var itemRev5: [String] = []
          try reader.forEachChildElement {
            guard reader.localName(is: "references") else { return }
            try reader.forEachChildElement {
              guard reader.localName(is: "reference") else { return }
              // Compared on the attribute bytes: most references are neither.
              let isRev4 =
                reader.attribute("version", is: "4") && reader.attribute("title", is: "NIST SP 800-53 Revision 4")
              let isRev5 =
                !isRev4 && reader.attribute("version", is: "5")
                && reader.attribute("title", is: "NIST SP 800-53 Revision 5")
              let isRev3 =
                !isRev4 && !isRev5 && reader.attribute("version", is: "3")
                && reader.attribute("title", is: "NIST SP 800-53")
              guard isRev4 || isRev5 || isRev3, let index = reader.attribute("index") else { return }
              let read: (part: String?, control: String?)
              if let cached = readIndices[index] {
                read = cached
              } else {
                read = (SP80053Part.canonical(index), SP80053Control.normalize(index))
                readIndices[index] = read
              }
              if let part = read.part {
                if isRev4 {
                  if !itemParts.rev4.contains(part) { itemParts.rev4.append(part) }
                } else if isRev5 {
                  if !itemParts.rev5.contains(part) { itemParts.rev5.append(part) }
                } else {
                  if !itemParts.rev3.contains(part) { itemParts.rev3.append(part) }
                }
              }
              guard !isRev3, let control = read.control else { return }
              if isRev4 {
                if !itemRev4.contains(control) { itemRev4.append(control) }
              } else {
                if !itemRev5.contains(control) { itemRev5.append(control) }
              }
            }
          }
          // A CCI listed twice keeps the references of both, in order, without repeats.
          func add(_ values: [String], to list: inout [String]) {
            for value in values where !list.contains(value) { list.append(value) }
          }
          if !(itemParts.rev4.isEmpty && itemParts.rev5.isEmpty && itemParts.rev3.isEmpty) {
            add(itemParts.rev4, to: &parts[cci, default: Parts()].rev4)
            add(itemParts.rev5, to: &parts[cci, default: Parts()].rev5)
            add(itemParts.rev3, to: &parts[cci, default: Parts()].rev3)
          }
          if !itemRev4.isEmpty { add(itemRev4, to: &rev4[cci, default: []]) }
          if !itemRev5.isEmpty { add(itemRev5, to: &rev5[cci, default: []]) }
        }
      }
    }
    if items == 0 {
      throw ImportError.unsupported(file: reader.displayName, reason: "the CCI list holds no cci_item elements")
    }
    return CCIList(version: version, rev4: rev4, rev5: rev5, parts: parts)
  }
}
