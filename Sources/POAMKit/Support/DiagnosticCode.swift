extension Diagnostic {
  /// A stable name for a kind of diagnostic (`resolve.unmapped`, `import.missing-host`): what
  /// scripts, CI annotations and the terminal digest group by, and what tests assert. The message
  /// may be reworded; a code, once published, keeps its meaning. Every code is listed in
  /// ``Diagnostic/Code/all`` and documented in `docs/diagnostics.md`.
  public struct Code: RawRepresentable, Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The code as written in reports: `stage.kind`.
    public var rawValue: String

    /// Creates a code from its written form.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: Code, rhs: Code) -> Bool { lhs.rawValue < rhs.rawValue }

    // MARK: Inputs (files, directories, archives)

    /// An input (or archive member) was not read, and why: not a results format, an archive inside an archive.
    public static let inputSkipped = Code(rawValue: "input.skipped")
    /// A broken input was skipped under `--keep-going` (the run exits 1).
    public static let inputFailed = Code(rawValue: "input.failed")

    // MARK: Import (reading one file)

    /// A status word poam does not know; the result is not scored.
    public static let unknownStatus = Code(rawValue: "import.unknown-status")
    /// A result has no status at all (an empty `<STATUS/>`, a rule-result without `<result>`).
    public static let missingStatus = Code(rawValue: "import.missing-status")
    /// A result carries no requirement, rule, CCI or control ID: it cannot be placed.
    public static let noReferences = Code(rawValue: "import.no-references")
    /// An entry of the file is not the shape its format requires (not an object, no `id`); not read.
    public static let malformedEntry = Code(rawValue: "import.malformed-entry")
    /// A checklist or results file holds nothing to import (no VULN, no STIG, no TestResult, no findings).
    public static let nothingToImport = Code(rawValue: "import.nothing-to-import")
    /// A checklist names no host: its results are about no asset.
    public static let missingHost = Code(rawValue: "import.missing-host")
    /// Something in the file was read in a way worth saying: banner rows before the header, blank
    /// rows, the sheet chosen, an overlay read once, notselected rules, rules defined elsewhere.
    public static let readNote = Code(rawValue: "import.read-note")
    /// A cell or field holds a value of the wrong kind (points that are not a number, an objective
    /// that is not a letter); it is ignored or read as the note says.
    public static let badValue = Code(rawValue: "import.bad-value")
    /// A spreadsheet has no status column (a STIG listing): every rule is read as Not Reviewed.
    public static let noStatusColumn = Code(rawValue: "import.no-status-column")
    /// An OSCAL finding has no target, or one poam cannot map.
    public static let unknownTarget = Code(rawValue: "import.unknown-target")
    /// OSCAL observations that no finding relates to, or a related observation that is missing.
    public static let unrelatedObservation = Code(rawValue: "import.unrelated-observation")

    // MARK: Resolve (IDs to CMMC requirements)

    /// The DISA CCI list that was used.
    public static let cciListUsed = Code(rawValue: "resolve.cci-list")
    /// Results carry only CCIs and no CCI list was given.
    public static let noCCIList = Code(rawValue: "resolve.no-cci-list")
    /// A requirement ID that is not in the catalog (a typo, a withdrawn ID).
    public static let unknownRequirement = Code(rawValue: "resolve.unknown-requirement")
    /// References (CCIs, controls, rules) that map to no CMMC requirement.
    public static let unmappedReference = Code(rawValue: "resolve.unmapped-reference")
    /// Results that resolved to no CMMC requirement and are not scored.
    public static let unmapped = Code(rawValue: "resolve.unmapped")

    // MARK: Gap (evidence and scoring)

    /// Assessor and automated results disagree on an objective; the evidence policy decided.
    public static let evidenceConflict = Code(rawValue: "gap.evidence-conflict")
    /// Two assessor results contradict each other; the failing one is kept.
    public static let contradictoryAssessors = Code(rawValue: "gap.contradictory-assessors")
    /// A partial-credit value was ignored or changed, and why.
    public static let partialCredit = Code(rawValue: "gap.partial-credit")
    /// Results about requirements outside the assessed level are not scored.
    public static let outOfScope = Code(rawValue: "gap.out-of-scope")
    /// A whole-requirement failure applies to every objective of the requirement.
    public static let requirementLevelResult = Code(rawValue: "gap.requirement-level-result")

    // MARK: POA&M (the prior file and the merge)

    /// An item of the prior POA&M that poam did not write, kept as a custom item.
    public static let customItem = Code(rawValue: "prior.custom-item")
    /// A row or cell of the prior POA&M read in a way worth saying (a continuation row, a repeated
    /// item merged, cells beyond the header ignored).
    public static let priorReadNote = Code(rawValue: "prior.read-note")
    /// A value in the prior POA&M poam does not know (a requirement, a finding word, a status).
    public static let priorBadValue = Code(rawValue: "prior.bad-value")
    /// The prior POA&M has more than one item for a requirement; the extra one is kept unchanged.
    public static let duplicateItem = Code(rawValue: "merge.duplicate-item")
    /// An item of the prior POA&M is for a requirement outside this level; kept unchanged.
    public static let outsideLevel = Code(rawValue: "merge.outside-level")
    /// A scheduled completion date falls after the 180-day closeout.
    public static let dueAfterCloseout = Code(rawValue: "merge.due-after-closeout")
    /// The run history could not be read; the report has no score over time.
    public static let historyUnreadable = Code(rawValue: "history.unreadable")
    /// The prior is a POA&M file of the output folder a person changed since poam wrote the set
    /// (or several, changed alike): the run merged from it.
    public static let priorEdited = Code(rawValue: "prior.edited")
    /// A prior CSV with no UTF-8 in it was read as Windows-1252 (Excel's plain CSV save).
    public static let priorEncoding = Code(rawValue: "prior.encoding")

    // MARK: Outputs (the output folder as one set)

    /// A file of the folder a person changed that poam cannot merge back was replaced; their
    /// version is kept beside it as `NAME.edited-TIME.EXT`.
    public static let keptCopy = Code(rawValue: "output.kept-copy")
    /// A run killed while replacing its files was found: its set was completed or rolled back.
    public static let recoveredSet = Code(rawValue: "output.recovered-set")
    /// Temporary files a killed run left in the folder were removed.
    public static let staleTemporary = Code(rawValue: "output.stale-temporary")
    /// The record of what poam wrote (`.poam/manifest.json`) cannot be read; edits are told by
    /// modification time.
    public static let recordUnreadable = Code(rawValue: "output.record-unreadable")

    /// Every code poam writes, in order: `docs/diagnostics.md` lists the same.
    public static let all: [Code] = [
      .inputSkipped, .inputFailed,
      .unknownStatus, .missingStatus, .noReferences, .malformedEntry, .nothingToImport, .missingHost, .readNote,
      .badValue, .noStatusColumn, .unknownTarget, .unrelatedObservation,
      .cciListUsed, .noCCIList, .unknownRequirement, .unmappedReference, .unmapped,
      .evidenceConflict, .contradictoryAssessors, .partialCredit, .outOfScope, .requirementLevelResult,
      .customItem, .priorReadNote, .priorBadValue, .duplicateItem, .outsideLevel, .dueAfterCloseout,
      .historyUnreadable, .priorEdited, .priorEncoding,
      .keptCopy, .recoveredSet, .staleTemporary, .recordUnreadable,
    ]

    /// Written by reports of poam versions before codes existed, when read back.
    public static let unspecified = Code(rawValue: "unspecified")
  }
}
