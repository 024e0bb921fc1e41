import Foundation

/// A rerun that must not go on: two edited POA&Ms that disagree, or a folder that holds the
/// POA&M of another level or of a later assessment.
public struct RerunError: Error, LocalizedError, Sendable, Hashable {
  /// What is wrong, what was written (nothing) and how to go on.
  public var message: String

  /// Creates an error.
  public init(message: String) { self.message = message }

  public var errorDescription: String? { message }
}

/// The previous POA&M a rerun merges with, and what to do with the files people edited.
struct PriorSelection: Sendable {
  /// The prior document, nil for a first run.
  public var document: POAMDocument?
  /// Where it came from.
  public var path: String?
  /// What the reader and the selection said.
  public var diagnostics: [Diagnostic]
  /// Files in the output directory a person edited that the new set replaces without merging
  /// them (reports; a POA&M file other than the `--prior` given): a copy of each is kept.
  public var keepCopies: [String]

  /// The files of a set that are POA&Ms poam can read back, in the order one is preferred.
  public static let poamFiles = ["poam.json", "poam.csv", "poam.xlsx"]

  /// Chooses the prior for a run of `level` dated `assessmentDate` into `outputSet`.
  ///
  /// - With `explicit` (`--prior FILE`), that file; every other file in the folder a person
  ///   edited is kept as a copy.
  /// - Otherwise the POA&M file a person edited since poam wrote it (per the set's manifest);
  ///   when two or more were edited and read differently, a ``RerunError`` naming them; when
  ///   none was, `poam.json` (else `poam.csv`, else `poam.xlsx`).
  ///
  /// Either way the folder's POA&M (and the prior) must be for `level` and not dated after
  /// `assessmentDate`, else a ``RerunError``. `read` reads a POA&M file.
  public static func choose(
    explicit: String?, outputSet: OutputSet, outputNames: [String], level: CMMCLevel, assessmentDate: String,
    read: (String) throws -> (POAMDocument, [Diagnostic])
  ) throws -> PriorSelection {
    let directory = outputSet.directory
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    let states = Dictionary(
      uniqueKeysWithValues: outputNames.map { ($0, outputSet.state(of: $0, siblings: outputNames)) })
    let edited = outputNames.filter { states[$0] == .edited }
    let recordText =
      outputSet.manifest.map { "since poam wrote the set on \($0.writtenAt.prefix(10))" }
      ?? "since the rest of the set (modification time; no record in \(OutputSet.recordFolder)/manifest.json)"
    var diagnostics: [Diagnostic] = []
    var chosen: String?
    var document: POAMDocument?
    var keep: [String] = []

    if let explicit {
      chosen = explicit
      let explicitPath = URL(fileURLWithPath: explicit).standardizedFileURL.resolvingSymlinksInPath().path
      keep = edited.filter {
        URL(fileURLWithPath: path($0)).standardizedFileURL.resolvingSymlinksInPath().path != explicitPath
      }
    } else {
      let editedPOAMs = poamFiles.filter { edited.contains($0) }
      keep = edited.filter { !poamFiles.contains($0) }
      switch editedPOAMs.count {
      case 0:
        chosen = poamFiles.map(path).first { FileManager.default.fileExists(atPath: $0) }
      case 1:
        chosen = path(editedPOAMs[0])
        diagnostics.append(
          Diagnostic(
            .note, .priorEdited, source: "poam", location: chosen!,
            message: "changed \(recordText): merged from it, so its edits are kept"))
      default:
        var documents: [(name: String, document: POAMDocument, diagnostics: [Diagnostic])] = []
        for name in editedPOAMs {
          let (read, notes) = try read(path(name))
          documents.append((name, read, notes))
        }
        for other in documents.dropFirst() {
          if let difference = Self.firstDifference(documents[0].document, other.document) {
            let names = editedPOAMs.map(path).joined(separator: " and ")
            throw RerunError(
              message:
                "\(names) were both changed \(recordText), and differently (\(documents[0].name) and \(other.name) differ in \(difference)); nothing was written. Choose the one to merge with: rerun with --prior \(path(documents[0].name)) or --prior \(path(other.name)) (a copy of the other is kept beside it)"
            )
          }
        }
        chosen = path(editedPOAMs[0])
        document = documents[0].document
        diagnostics += documents[0].diagnostics
        diagnostics.append(
          Diagnostic(
            .note, .priorEdited, source: "poam", location: chosen!,
            message:
              "changed \(recordText), like \(editedPOAMs.dropFirst().joined(separator: ", ")) with the same edits: merged from it"
          ))
      }
    }
    if let chosen, document == nil {
      let (read, notes) = try read(chosen)
      document = read
      diagnostics = notes + diagnostics
    }
    try checkCompatible(
      outputSet: outputSet, prior: document, priorPath: chosen, level: level, assessmentDate: assessmentDate)
    return PriorSelection(document: document, path: chosen, diagnostics: diagnostics, keepCopies: keep)
  }

  /// Refuses a folder (or prior) for another level or a later assessment.
  static func checkCompatible(
    outputSet: OutputSet, prior: POAMDocument?, priorPath: String?, level: CMMCLevel, assessmentDate: String
  ) throws {
    let folder = outputSet.directory.path
    var facts: [(level: CMMCLevel?, date: String?, source: String)] = []
    if let manifest = outputSet.manifest {
      facts.append(
        (manifest.level, manifest.assessmentDate, "\(folder) (recorded in \(OutputSet.recordFolder)/manifest.json)"))
    }
    if let prior, let priorPath {
      // Only OSCAL JSON says its level; a spreadsheet's level is guessed from its items.
      let levelIsStated =
        POAMReader.detect(
          (try? Data(contentsOf: URL(fileURLWithPath: priorPath), options: .mappedIfSafe)) ?? Data()) == .oscalJSON
      facts.append((levelIsStated ? prior.level : nil, prior.assessmentDate, priorPath))
    }
    for fact in facts {
      if let other = fact.level, other != level {
        throw RerunError(
          message:
            "\(fact.source) holds the POA&M of a Level \(other.rawValue) assessment and this run is Level \(level.rawValue); merging would mix the two levels' items, so nothing was written. Write Level \(level.rawValue) to another --out, or run with --level \(other.rawValue)"
        )
      }
      if let other = fact.date, CalendarDate.parse(other) != nil, other > assessmentDate {
        throw RerunError(
          message:
            "\(fact.source) holds the POA&M of an assessment of \(other), later than this run's \(assessmentDate); it would be treated as the earlier one (changes and overdue dates reversed), so nothing was written. Check --assessment-date, or write this run to another --out"
        )
      }
    }
  }

  /// Where two readings of a POA&M differ in what people edit, e.g. `POAM-AC.L2-3.1.9 Comments`;
  /// nil when they agree.
  static func firstDifference(_ first: POAMDocument, _ second: POAMDocument) -> String? {
    let firstIDs = first.items.map(\.id)
    let secondIDs = second.items.map(\.id)
    if Set(firstIDs) != Set(secondIDs) {
      let extra = Set(firstIDs).symmetricDifference(secondIDs).sorted()
      return "their items (\(extra.prefix(3).joined(separator: ", ")) in one only)"
    }
    let fields: [(String, (POAMItem) -> String)] = [
      ("Point of Contact", { $0.pointOfContact }),
      ("Resources Required", { $0.resources }),
      ("Comments", { $0.comments }),
      ("Status", { $0.status.rawValue }),
      ("Scheduled Completion Date", { $0.scheduledCompletion }),
      ("Milestones", { $0.milestones.map { "\($0)" }.joined(separator: "\n") }),
      ("Milestone Changes", { $0.milestoneChanges }),
      ("Proposed Remediation", { $0.proposedRemediation }),
      ("Risk Acceptance", { $0.riskAcceptance }),
      ("Mitigations", { $0.mitigations }),
      ("custom columns", { $0.customFields.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: "\n") }),
    ]
    for item in first.items {
      guard let other = second.item(id: item.id) else { continue }
      for (name, value) in fields {
        let one = value(item).trimmingCharacters(in: .whitespacesAndNewlines)
        let two = value(other).trimmingCharacters(in: .whitespacesAndNewlines)
        if one != two { return "\(item.id) \(name)" }
      }
    }
    return nil
  }
}
