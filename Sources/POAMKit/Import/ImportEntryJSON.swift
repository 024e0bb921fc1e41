/// Writes one ``ImportReport/Entry`` as the bytes `JSONEncoder` writes for it with poam's
/// settings (``JSONOutput/encoder()``: pretty-printed, sorted keys, slashes not escaped), nested
/// at a given depth of the import report.
///
/// `poam import --format json` writes one entry per observation: on a thousand checklists that
/// is three gigabytes of JSON, and `JSONEncoder` (a container and a boxed value per field) took
/// most of the run. The entry's shape is fixed and small, so it is written here directly. The
/// bytes are the encoder's: a test compares them on every sample and on hostile strings.
enum ImportEntryJSON {
  /// Appends `entry` to `buffer`, its lines after the first indented by `indent` spaces.
  static func append(_ entry: ImportReport.Entry, indent: Int, to buffer: inout [UInt8]) {
    var writer = Writer(buffer: buffer, indent: indent)
    buffer = []
    writer.entry(entry)
    buffer = writer.buffer
  }

  private struct Writer {
    var buffer: [UInt8]
    var indent: Int
    /// Whether the object being written has a member yet.
    var first = true

    // MARK: - The entry

    mutating func entry(_ entry: ImportReport.Entry) {
      let observation = entry.observation
      // The members in the order `.sortedKeys` gives.
      open()
      key("asset")
      if let asset = observation.asset {
        open()
        if let fqdn = asset.fqdn { member("fqdn", fqdn) }
        if let host = asset.hostName { member("host_name", host) }
        if let ip = asset.ip { member("ip", ip) }
        if let mac = asset.mac { member("mac", mac) }
        close()
      } else {
        raw("null")
      }
      if let comments = observation.comments { member("comments", comments) }
      if let details = observation.details { member("details", details) }
      member("kind", observation.kind.rawValue)
      if let line = observation.line {
        key("line")
        raw(String(line))
      }
      member("location", observation.location)
      key("objectives")
      stringArray(entry.objectives)
      if let points = observation.partialPoints {
        key("partial_points")
        raw(String(points))
      }
      if let producer = observation.producer {
        key("producer")
        open()
        member("tool", producer.tool)
        if let version = producer.version { member("version", version) }
        close()
      }
      member("raw_status", observation.rawStatus)
      key("refs")
      array(observation.refs) { writer, reference in
        writer.open()
        writer.member("kind", reference.kind.rawValue)
        writer.member("value", reference.value)
        writer.close()
      }
      key("requirements")
      stringArray(entry.requirements)
      if let severity = observation.severity { member("severity", severity) }
      member("source", observation.source)
      key("status")
      if let status = observation.status { string(status.rawValue) } else { raw("null") }
      key("targets")
      array(entry.targets) { writer, target in
        writer.open()
        if let mapping = target.mapping { writer.member("mapping", mapping) }
        if let objective = target.objective { writer.member("objective", objective) }
        writer.member("requirement", target.requirement)
        writer.member("via", target.via.rawValue)
        writer.close()
      }
      if let title = observation.title { member("title", title) }
      close()
    }

    // MARK: - JSON structure, as JSONEncoder lays it out

    mutating func newline() {
      buffer.append(UInt8(ascii: "\n"))
      buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    mutating func open() {
      buffer.append(UInt8(ascii: "{"))
      indent += 2
      first = true
    }

    mutating func close() {
      indent -= 2
      if first {
        // An empty object: the encoder writes a blank line between the braces.
        buffer.append(UInt8(ascii: "\n"))
      }
      newline()
      buffer.append(UInt8(ascii: "}"))
      first = false
    }

    mutating func key(_ name: StaticString) {
      if !first { buffer.append(UInt8(ascii: ",")) }
      first = false
      newline()
      buffer.append(UInt8(ascii: "\""))
      buffer.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
      buffer.append(contentsOf: "\" : ".utf8)
    }

    mutating func member(_ name: StaticString, _ value: String) {
      key(name)
      string(value)
    }

    mutating func raw(_ text: String) {
      buffer.append(contentsOf: text.utf8)
    }

    mutating func stringArray(_ values: [String]) {
      array(values) { writer, value in writer.string(value) }
    }

    mutating func array<Element>(_ values: [Element], _ element: (inout Writer, Element) -> Void) {
      buffer.append(UInt8(ascii: "["))
      indent += 2
      if values.isEmpty {
        // An empty array: a blank line, then the bracket at the array's own indent.
        indent -= 2
        buffer.append(UInt8(ascii: "\n"))
        newline()
        buffer.append(UInt8(ascii: "]"))
        first = false
        return
      }
      for (index, value) in values.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        newline()
        element(&self, value)
      }
      indent -= 2
      newline()
      buffer.append(UInt8(ascii: "]"))
      first = false
    }

    /// A JSON string (``JSONStringEscaping``).
    mutating func string(_ value: String) {
      JSONStringEscaping.append(value, to: &buffer)
    }
  }
}
