/// A gap report as JUnit XML, the test-report format GitLab, Jenkins, Azure DevOps and most CI
/// systems display natively: one `<testsuite>` for the level and one `<testcase>` per
/// requirement in scope.
///
/// - `classname` is the family code (`AC`), `name` is the requirement ID and title.
/// - MET and N/A pass.
/// - NOT MET is a `<failure>`: `message` states the weakness (status, points, objectives not
///   met, POA&M eligibility); the body lists the evidence, one line per source and line.
/// - NOT ASSESSED (no evidence) is `<skipped>` with the reason: it is scored as NOT MET, but it
///   is missing evidence rather than a finding, and most pipelines cover only part of the
///   catalog, so reporting it as a failure would bury the real gaps. `poam check --fail-on
///   not-assessed` is the gate for evidence that goes missing.
///
/// The shape follows the common JUnit XSD (Jenkins `junit-10.xsd`): `<testsuites>` with `name`,
/// `tests`, `failures`, `errors`, `time`; `<testsuite>` with `name`, `tests`, `failures`,
/// `errors`, `skipped`, `time`; `<testcase>` with `name`, `classname`, `time`. The output is
/// deterministic (no timestamps or host names), so it diffs cleanly.
enum JUnitReport {
  /// Renders the report as a JUnit XML document.
  public static func render(_ report: GapReport, catalog: Catalog? = nil) -> String {
    let failures = report.requirements.filter { $0.status == .notMet }.count
    let skipped = report.requirements.filter { $0.status == .notAssessed }.count
    let tests = report.requirements.count
    let suiteName = "CMMC \(report.level) (poam \(report.toolVersion), catalog \(report.catalogVersion))"
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml +=
      "<testsuites name=\"\(XMLText.attribute(suiteName))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"0\">\n"
    xml +=
      "  <testsuite name=\"\(XMLText.attribute(suiteName))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"0\">\n"
    xml += "    <properties>\n"
    var properties: [(String, String)] = [
      ("level", String(report.level.rawValue)), ("assessment_date", report.assessmentDate.iso),
      ("status", report.status.rawValue), ("catalog_version", report.catalogVersion),
    ]
    if let score = report.score { properties.append(("score", String(score))) }
    if let maxScore = report.maxScore { properties.append(("max_score", String(maxScore))) }
    for (name, value) in properties {
      xml += "      <property name=\"\(XMLText.attribute(name))\" value=\"\(XMLText.attribute(value))\"/>\n"
    }
    xml += "    </properties>\n"
    for requirement in report.requirements {
      let name = "\(requirement.id) \(requirement.title)"
      let open =
        "    <testcase name=\"\(XMLText.attribute(name))\" classname=\"\(XMLText.attribute(requirement.family))\" time=\"0\""
      switch requirement.status {
      case .met, .notApplicable:
        xml += open + "/>\n"
      case .notMet:
        xml += open + ">\n"
        xml +=
          "      <failure type=\"not-met\" message=\"\(XMLText.attribute(weakness(requirement, catalog: catalog)))\">"
        xml += XMLText.content(evidenceText(requirement)) + "</failure>\n"
        xml += "    </testcase>\n"
      case .notAssessed:
        xml += open + ">\n"
        let deduction = requirement.pointsDeducted > 0 ? " (\(Plural.count(-requirement.pointsDeducted, "point")))" : ""
        xml +=
          "      <skipped message=\"\(XMLText.attribute("NOT ASSESSED: no evidence; scored as NOT MET\(deduction) until assessed"))\"/>\n"
        xml += "    </testcase>\n"
      }
    }
    if !report.diagnostics.isEmpty {
      // The run's diagnostics, one per line with its stable code, where CI systems show a suite's log.
      let lines = report.diagnostics.map(\.description).joined(separator: "\n")
      xml += "    <system-err>" + XMLText.content(lines) + "</system-err>\n"
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
  }

  /// The weakness in one line: status, points, objectives not met, POA&M eligibility.
  static func weakness(_ requirement: RequirementResult, catalog: Catalog?) -> String {
    var parts = ["\(requirement.id) \(requirement.title) is NOT MET"]
    if requirement.partial { parts[0] += " (partially implemented)" }
    if requirement.pointsDeducted > 0 { parts.append(Plural.count(-requirement.pointsDeducted, "point")) }
    let failing = requirement.failingObjectives
    if !failing.isEmpty {
      let described = failing.map { letter -> String in
        if let objective = catalog?.requirement(id: requirement.id)?.objective(letter) {
          // A clause in a `;` list: without the sentence's own full stop.
          let text = objective.description
          return "[\(letter)] \(text.hasSuffix(".") ? String(text.dropLast()) : text)"
        }
        return "[\(letter)]"
      }
      parts.append("objectives not met: " + described.joined(separator: "; "))
    }
    parts.append(requirement.poamEligible ? "may be on a POA&M" : "may not be on a POA&M: \(requirement.poamReason)")
    return parts.joined(separator: "; ")
  }

  /// The evidence, one line each: `source:line [asset] STATUS detail`; the report lists the
  /// worst 20 of a requirement's evidence, and the rest are counted.
  static func evidenceText(_ requirement: RequirementResult) -> String {
    var lines = ["Evidence:"]
    for evidence in requirement.evidence {
      var place = evidence.source
      if let line = evidence.line {
        place += ":\(line)"
      } else if !evidence.location.isEmpty {
        place += " (\(evidence.location))"
      }
      var line = "- \(place)"
      if let asset = evidence.asset, !asset.isEmpty { line += " [\(asset)]" }
      line += " \(evidence.status?.label ?? evidence.rawStatus)"
      if let objective = evidence.objective { line += " [\(objective)]" }
      if !evidence.detail.isEmpty { line += ": \(evidence.detail)" }
      if evidence.indirect { line += " (via \(evidence.via.rawValue))" }
      lines.append(line)
    }
    if requirement.unlistedEvidence > 0 {
      lines.append(
        "- and \(Plural.count(requirement.unlistedEvidence, "more result")) (the worst are listed; poam gaps --evidence-file writes them all)"
      )
    }
    for conflict in requirement.conflicts { lines.append("Conflict: \(conflict)") }
    return lines.joined(separator: "\n")
  }
}
