/// Partial credit: the reduced deduction for IA.L2-3.5.3 and SC.L2-3.13.11
/// (32 CFR 170.24(c)(2)(i)(B)(4)).
///
/// How an input says "partial":
/// - a status word meaning partly implemented (`Partial`, `Partially Implemented`,
///   `Partially Met`; OSCAL and HDF importers map their own words to ``Status/partial``), or
/// - an explicit deduction: `partial_points` in poam's native JSON, a `Points` column in a CSV,
///   with the value 3 (the partial case) or 5 (the full deduction).
///
/// On IA.L2-3.5.3 a partial result means MFA is in place for remote and privileged users but
/// not for general users (3 points); on SC.L2-3.13.11 it means CUI is encrypted but the
/// cryptography is not FIPS-validated (3 points, and the only 3-point gap that may be on a
/// POA&M, 170.21(a)(2)(ii)). On every other requirement "partial" is simply NOT MET.
enum PartialCredit {
  /// The status the roll-up uses for an observation on a requirement, and a remark when an
  /// explicit deduction had to be ignored.
  static func effectiveStatus(_ observation: Observation, requirement: Requirement) -> (Status?, Diagnostic?) {
    guard let status = observation.status else { return (nil, nil) }
    guard let given = observation.partialPoints else { return (status, nil) }
    func remark(_ severity: Diagnostic.Severity, _ message: String) -> Diagnostic {
      Diagnostic(severity, .partialCredit, source: observation.source, location: observation.location, message: message)
    }
    let allowed = (requirement.partialPoints ?? []).map(\.points)
    guard !allowed.isEmpty, let full = requirement.points else {
      return (
        status,
        remark(
          .note,
          "partial points \(given) ignored for \(requirement.id): only IA.L2-3.5.3 and SC.L2-3.13.11 have partial credit (32 CFR 170.24(c)(2)(i)(B)(4))"
        )
      )
    }
    guard status == .notMet || status == .partial else {
      return (
        status,
        remark(.note, "partial points \(given) ignored for \(requirement.id): the status is \(status.label)")
      )
    }
    guard allowed.contains(given) else {
      let values = allowed.map(String.init).joined(separator: " or ")
      return (
        status,
        remark(
          .warning,
          "partial points \(given) is not a deduction \(requirement.id) allows (\(values)); the status word decides"
        )
      )
    }
    return (given < full ? .partial : .notMet, nil)
  }
}
