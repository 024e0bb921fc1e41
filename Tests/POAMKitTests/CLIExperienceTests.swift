import Foundation
import Testing

@testable import POAMKit

/// Issue 15: what the terminal says (digest, progress, suggestions, one wording per failure,
/// plurals), catalog lookups by any ID, the run history's location, help examples, the man
/// page and shell completions. CLI tests run the built binary as a user would.
enum CLIFixtures {
  static let digest = Paths.fixtures.appendingPathComponent("digest/unmapped-controls.json").path
  static let smallCCIList = Paths.fixtures.appendingPathComponent("catalog-lookup/cci-list-small.xml").path
  static let walkthrough = Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json").path
  static let brokenCKL = Paths.fixtures.appendingPathComponent("bad/broken-tag.ckl").path
  /// No CCI list from the developer's environment or home directory.
  static var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["POAM_CCI_LIST"] = nil
    environment["HOME"] = "/nonexistent-home"
    environment["CI"] = nil
    return environment
  }
}

@Suite struct DiagnosticDigestTests {
  static func evidence() throws -> AssessmentEvidence {
    try EvidenceLoader.load([CLIFixtures.digest], options: ImportOptions(), catalog: TestCatalog.shared)
  }

  @Test func groupsUnmappedResultsByReferenceWithCounts() throws {
    let evidence = try Self.evidence()
    let digest = DiagnosticDigest(diagnostics: evidence.diagnostics, resolved: evidence.resolved.observations)
    #expect(digest.errors.isEmpty)
    let unmapped = try #require(digest.warnings.first { $0.code == "resolve.unmapped" })
    // 29 results reach nothing: counted per control, most frequent first.
    #expect(unmapped.count == 30)
    #expect(unmapped.examples.map(\.name) == ["AU-4(1)", "SI-11", "SA-11", "SC-5", "PM-1", "XX.L2-9.9.9"])
    #expect(unmapped.examples.map(\.count) == [12, 8, 5, 3, 1, 1])
    // Largest group first.
    #expect(digest.warnings.first?.code == "resolve.unmapped")
    let status = try #require(digest.warnings.first { $0.code == "import.unknown-status" })
    #expect(status.count == 2 && status.examples.map(\.name) == ["Kinda"])
    #expect(digest.warnings.contains { $0.code == "resolve.unknown-requirement" })
  }

  @Test func rendersErrorsFirstThenWarningsThenNoteCount() throws {
    var diagnostics = try Self.evidence().diagnostics
    diagnostics.append(
      Diagnostic(
        .error, .inputFailed, source: "scans/a.ckl", message: "skipped (--keep-going): scans/a.ckl:3:1: malformed XML"))
    let digest = DiagnosticDigest(diagnostics: diagnostics, resolved: try Self.evidence().resolved.observations)
    let lines = digest.render(hint: "poam gaps --format json").split(separator: "\n").map(String.init)
    #expect(lines.first == "error: skipped scans/a.ckl:3:1: malformed XML [input.failed]")
    #expect(
      lines[1]
        == "warning: 30 results map to no CMMC requirement and are not scored: AU-4(1) 12, SI-11 8, SA-11 5, … (6 in all) — `poam gaps --format json` lists them all [resolve.unmapped]"
    )
    #expect(lines.contains { $0.hasPrefix("warning: 2 results have a status word poam does not know") })
    #expect(lines.last?.hasSuffix("(--verbose shows them)") == true)
    // Verbose: notes grouped too, more examples.
    let verbose = digest.render(examples: 10, notes: true, hint: nil)
    #expect(verbose.contains("PM-1 1"))
    #expect(verbose.contains("note: "))
    #expect(!verbose.contains("--verbose shows them"))
  }

  /// Groups are the diagnostics' stable codes, and the common codes read as words in both numbers.
  @Test func groupsByStableCode() {
    let one = Diagnostic(.warning, .missingHost, source: "a.ckl", message: "no ASSET")
    #expect(DiagnosticDigest.code(of: one) == "import.missing-host")
    for code in [Diagnostic.Code.unmapped, .unknownStatus, .missingHost, .inputFailed, .unknownRequirement] {
      let titles = DiagnosticDigest.titles(of: code.rawValue)
      #expect(titles != nil && titles?.one != titles?.many, "\(code)")
    }
    let two = DiagnosticDigest(diagnostics: [one, Diagnostic(.warning, .missingHost, source: "b.ckl", message: "x")])
    #expect(
      two.render() == "warning: 2 checklists name no host (no ASSET element): a.ckl, b.ckl [import.missing-host]\n")
  }

  @Test func pluralsAndNumbers() {
    #expect(Plural.count(1, "point") == "1 point")
    #expect(Plural.count(4, "point") == "4 points")
    #expect(Plural.count(-1, "point") == "−1 point")
    #expect(Plural.count(-5, "point") == "−5 points")
    #expect(Plural.number(3900) == "3,900")
    #expect(Plural.number(1_234_567) == "1,234,567")
    #expect(Plural.number(999) == "999")
  }

  @Test func markdownKeepsObjectiveBrackets() {
    #expect(Markdown.escape("objectives [a], [b] not met") == "objectives [a], [b] not met")
    #expect(Markdown.escape("[x](http://evil)") == "[x\\](http://evil)")
    #expect(Markdown.escape("a|b") == "a\\|b")
  }

  @Test func suggestions() {
    let names = ["analyze", "gaps", "check", "diff", "history", "import", "catalog", "formats"]
    #expect(Suggestion.closest(to: "anaylze", among: names) == "analyze")
    #expect(Suggestion.closest(to: "gasp", among: names) == "gaps")
    #expect(Suggestion.closest(to: "xyzzy", among: names) == nil)
  }
}

@Suite struct ProgressMeterTests {
  @Test func onlyOnATerminalOutsideCI() {
    #expect(ProgressMeter.isWanted(stderrIsTerminal: true, environment: ["TERM": "xterm"]))
    #expect(!ProgressMeter.isWanted(stderrIsTerminal: false, environment: [:]))
    #expect(!ProgressMeter.isWanted(stderrIsTerminal: true, environment: ["CI": "true"]))
    #expect(!ProgressMeter.isWanted(stderrIsTerminal: true, environment: ["TERM": "dumb"]))
    #expect(ProgressMeter.isWanted(stderrIsTerminal: true, environment: ["CI": ""]))
  }

  @Test func silentForTheFirstSecondThenFilesBytesElapsed() {
    final class Box: @unchecked Sendable {
      var now = 0.0
      var written: [String] = []
    }
    let box = Box()
    let meter = ProgressMeter(delay: 1.0, clock: { box.now }, write: { box.written.append($0) })
    meter.update(ImportProgress(filesRead: 1, filesTotal: 300, bytesRead: 2_000_000, bytesTotal: 600_000_000))
    #expect(box.written.isEmpty)
    box.now = 1.5
    meter.update(ImportProgress(filesRead: 12, filesTotal: 300, bytesRead: 41_200_000, bytesTotal: 980_000_000))
    #expect(box.written == ["\r\u{1B}[2Kread 12 of 300 files, 41.2 of 980.0 MB, 1.5 s"])
    meter.stage("scoring")
    #expect(box.written.last?.hasSuffix("1.5 s — scoring") == true)
    meter.finish()
    #expect(box.written.last == "\r\u{1B}[2K")
  }

  @Test func pipelineReportsEveryFile() throws {
    final class Seen: @unchecked Sendable {
      let lock = NSLock()
      var values: [ImportProgress] = []
    }
    let seen = Seen()
    let pipeline = ImportPipeline(progress: { progress in
      seen.lock.lock()
      seen.values.append(progress)
      seen.lock.unlock()
    })
    let inputs = [CLIFixtures.digest, CLIFixtures.walkthrough]
    _ = try pipeline.run(inputs)
    let size = try inputs.map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as! Int }.reduce(0, +)
    #expect(seen.values.count == 3)
    #expect(seen.values.map(\.filesRead).sorted() == [0, 1, 2])
    #expect(seen.values.allSatisfy { $0.filesTotal == 2 && $0.bytesTotal == Int64(size) })
    #expect(seen.values.map(\.bytesRead).max() == Int64(size))
  }
}

@Suite struct CatalogLookupTests {
  static let lookup = IDLookup(catalog: TestCatalog.shared, cciList: nil)

  @Test func kinds() {
    #expect(Self.lookup.kind(of: "AC.L2-3.1.1") == .requirement)
    #expect(Self.lookup.kind(of: "3.5.7") == .requirement)
    #expect(Self.lookup.kind(of: "AC-2") == .sp80053)
    #expect(Self.lookup.kind(of: "IA-5(1)(a)") == .sp80053)
    #expect(Self.lookup.kind(of: "CCI-000205") == .cci)
    #expect(Self.lookup.kind(of: "nonsense") == nil)
  }

  /// The lookup answers exactly what the gap engine's resolver makes of a one-reference result.
  @Test func forwardIsTheResolversAnswerForEveryCatalogControl() {
    let resolver = ObservationResolver(catalog: TestCatalog.shared)
    var controls = Set<String>()
    for requirement in TestCatalog.shared.requirements {
      controls.formUnion((requirement.nist80053?.rev4 ?? []) + (requirement.nist80053?.rev5 ?? []))
    }
    #expect(controls.count > 50)
    let table = TestCatalog.shared.objectiveMap?.index() ?? [:]
    for control in controls {
      let forward = Self.lookup.forward(control, kind: .sp80053)
      if let entry = table[.init(revision: 4, reference: control, cci: "")] {
        // The objective table's entry for the control decides, objective by objective.
        #expect(forward.targets.map { "\($0.requirement)[\($0.objective ?? "")]" } == entry.objectives, "\(control)")
      } else {
        // Otherwise the Appendix D rows (either revision), at requirement level.
        #expect(
          Set(forward.targets.map(\.requirement)) == Set(resolver.requirements(forControl: control)), "\(control)")
      }
    }
  }

  /// The reverse is consistent with the forward: a control is listed under a requirement
  /// exactly when looking the control up reaches that requirement.
  @Test func reverseMatchesForward() {
    for id in ["AC.L2-3.1.1", "IA.L2-3.5.7", "SC.L2-3.13.11"] {
      let reverse = Self.lookup.reverse(id)
      #expect(!reverse.controls.isEmpty, "\(id)")
      for mapped in reverse.controls {
        #expect(Self.lookup.forward(mapped.id, kind: .sp80053).targets.contains { $0.requirement == id })
      }
    }
    #expect(Self.lookup.reverse("IA.L2-3.5.7").controls.map(\.id).contains("IA-5(1)"))
  }

  @Test func ccisThroughTheList() throws {
    let list = try CCIList.load(from: CLIFixtures.smallCCIList)
    let lookup = IDLookup(catalog: TestCatalog.shared, cciList: list)
    let forward = lookup.forward("cci-205", kind: .cci)
    #expect(forward.normalized == "CCI-000205")
    #expect(forward.controls == ["Rev 4 IA-5(1)(a)"])
    #expect(forward.targets.map(\.requirement).contains("IA.L2-3.5.7"))
    let unmapped = lookup.forward("CCI-000054", kind: .cci)
    #expect(unmapped.targets.isEmpty && unmapped.reason != nil)
    #expect(lookup.reverse("IA.L2-3.5.7").ccis.map(\.id) == ["CCI-000205"])
    #expect(Self.lookup.forward("CCI-000205", kind: .cci).reason?.contains("U_CCI_List.xml") == true)
  }
}

@Suite struct CLIMessageTests {
  func run(_ arguments: [String], cwd: URL? = nil) throws -> CLI.Result {
    try CLI.run(arguments, cwd: cwd, environment: CLIFixtures.environment)
  }

  @Test func digestAfterTheSummary() throws {
    let gaps = try run(["gaps", CLIFixtures.digest, "--assessment-date", "2025-01-15"])
    #expect(gaps.status == 0)
    #expect(
      gaps.stderr.contains(
        "warning: 30 results map to no CMMC requirement and are not scored: AU-4(1) 12, SI-11 8, SA-11 5, … (6 in all) — `poam gaps --format json` lists them all [resolve.unmapped]"
      ))
    #expect(gaps.stderr.contains("warning: 2 results have a status word poam does not know"))
    #expect(!gaps.stderr.contains("\r"), "no progress line in a pipe")
    let quiet = try run(["gaps", CLIFixtures.digest, "--quiet"])
    #expect(quiet.status == 0 && quiet.stderr.isEmpty)
    let verbose = try run(["gaps", CLIFixtures.digest, "--verbose"])
    #expect(verbose.stderr.contains("PM-1 1") && verbose.stderr.contains("note: "))
    let both = try run(["gaps", CLIFixtures.digest, "--quiet", "--verbose"])
    #expect(both.status == 2 && both.stderr.contains("--quiet and --verbose cannot be used together"))
  }

  @Test func skippedInputsAreNamed() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path
    let analyze = try run([
      "analyze", CLIFixtures.walkthrough, CLIFixtures.brokenCKL, "--keep-going", "--out", out, "--quiet",
      "--assessment-date", "2025-01-15",
    ])
    #expect(analyze.status == 1)
    #expect(analyze.stdout.isEmpty, "--quiet prints no summary")
    // The file is named relative to the working directory (the package root), not absolutely.
    #expect(analyze.stderr.hasPrefix("error: skipped Fixtures/bad/broken-tag.ckl:"))
    #expect(!analyze.stderr.contains(CLIFixtures.brokenCKL))
    let check = try run([
      "check", CLIFixtures.walkthrough, CLIFixtures.brokenCKL, "--keep-going", "--baseline",
      out + "/gap-report.json",
    ])
    #expect(check.status == 1)
    #expect(check.stderr.contains("error: skipped Fixtures/bad/broken-tag.ckl:"))
  }

  @Test func inputsNotReadAreNamedEvenWithoutVerbose() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      atPath: CLIFixtures.walkthrough, toPath: directory.appendingPathComponent("assessment.json").path)
    try "read me".write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    try Data([0x89, 0x50, 0x4E, 0x47]).write(to: directory.appendingPathComponent("logo.png"))
    let gaps = try run(["gaps", directory.path, "--assessment-date", "2025-01-15"])
    #expect(gaps.status == 0)
    let line = try #require(gaps.stderr.split(separator: "\n").first { $0.contains("[input.skipped]") })
    #expect(line.hasPrefix("note: 2 inputs were not read: "))
    // A directory outside the working directory is named from its last component.
    #expect(line.contains(directory.lastPathComponent + "/README.md"))
    #expect(line.contains(directory.lastPathComponent + "/logo.png"))
    #expect(!gaps.stderr.contains(directory.path) && !gaps.stdout.contains(directory.path))
  }

  @Test func mistypedCommand() throws {
    let typo = try run(["anaylze", "x.csv"])
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("poam: error: unknown command 'anaylze'; did you mean analyze?"))
    let unknown = try run(["frobnicate"])
    #expect(unknown.status == 2 && !unknown.stderr.contains("did you mean"))
  }

  @Test func oneWordingForAMissingFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("missing.json").path
    let out = directory.appendingPathComponent("out").path
    let commands: [[String]] = [
      ["gaps", missing],
      ["import", missing],
      ["analyze", CLIFixtures.walkthrough, "--owners", missing, "--out", out],
      ["analyze", CLIFixtures.walkthrough, "--prior", missing, "--out", out],
      ["analyze", CLIFixtures.walkthrough, "--profile", missing, "--out", out],
      ["check", CLIFixtures.walkthrough, "--baseline", missing],
      ["diff", missing, missing],
      ["catalog", "--catalog", missing],
      ["gaps", CLIFixtures.walkthrough, "--cci-list", missing],
      ["history", "--history", missing],
    ]
    for arguments in commands {
      let result = try run(arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(
        result.stderr.contains("\(missing): cannot read: no such file or directory"), "\(arguments): \(result.stderr)")
    }
  }

  @Test func plainWordsInTheReports() throws {
    let gaps = try run(["gaps", CLIFixtures.walkthrough, "--assessment-date", "2025-01-15"])
    #expect(gaps.stdout.contains("4 points deducted from 110"))
    #expect(!gaps.stdout.contains("point(s)"))
  }

  @Test func catalogFindsAnyID() throws {
    let control = try run(["catalog", "AC-2"])
    #expect(control.status == 0)
    #expect(control.stdout.contains("NIST SP 800-53 AC-2 maps to 2 CMMC requirements:"))
    #expect(control.stdout.contains("AC.L2-3.1.1  Authorized Access Control"))
    let enhancement = try run(["catalog", "IA-5(1)(a)"])
    #expect(enhancement.stdout.contains("NIST SP 800-53 IA-5(1)(a) maps to 1 CMMC requirement:"))
    #expect(enhancement.stdout.contains("IA.L2-3.5.7[c]  Password Complexity"))
    let cci = try run(["catalog", "CCI-000205", "--cci-list", CLIFixtures.smallCCIList])
    #expect(cci.stdout.contains("CCI-000205 → NIST SP 800-53 Rev 4 IA-5(1)(a) (CCI list)"))
    #expect(cci.stdout.contains("IA.L2-3.5.7"))
    let json = try run(["catalog", "CCI-000205", "--cci-list", CLIFixtures.smallCCIList, "--format", "json"])
    #expect(json.stdout.contains("\"normalized\" : \"CCI-000205\""))
    let reverse = try run(["catalog", "IA.L2-3.5.7", "--cci-list", CLIFixtures.smallCCIList])
    #expect(reverse.stdout.hasPrefix("IA.L2-3.5.7  Password Complexity"))
    #expect(reverse.stdout.contains("NIST SP 800-53 (3): IA-5(1), IA-5(1)(a)→[c], IA-5(1)(b)→[d]"))
    #expect(reverse.stdout.contains("CCIs (1): CCI-000205"))
    let unknown = try run(["catalog", "ZZ.L9-9.9.9"])
    #expect(unknown.status == 2 && unknown.stderr.contains("a NIST SP 800-53 control (AC-2) or a CCI"))
  }

  @Test func historyFindsWhatAnalyzeRecorded() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let analyze = try run(
      ["analyze", CLIFixtures.walkthrough, "--assessment-date", "2025-01-15", "--out", "report", "--record"],
      cwd: directory)
    #expect(analyze.status == 0, "\(analyze.stderr)")
    let byOut = try run(["history", "--out", "report"], cwd: directory)
    #expect(byOut.status == 0, "\(byOut.stderr)")
    #expect(
      byOut.stderr.contains("reading the run history in ") && byOut.stderr.contains("report/.poam/history.sqlite"))
    #expect(byOut.stdout.contains("2025-01-15"))
    // With neither option: analyze's default --out (poam-out) is one of the places looked at.
    try FileManager.default.moveItem(
      at: directory.appendingPathComponent("report"), to: directory.appendingPathComponent("poam-out"))
    let found = try run(["history"], cwd: directory)
    #expect(found.status == 0, "\(found.stderr)")
    #expect(found.stderr.contains("reading the run history in poam-out/.poam/history.sqlite"))
  }
}

@Suite struct HelpManualCompletionTests {
  static let commands = ["analyze", "gaps", "check", "diff", "history", "import", "catalog", "formats"]

  /// Every subcommand's help ends with examples that fit an 80-column terminal (so they are
  /// never wrapped in the middle) and use only that command's own options.
  @Test func examplesRunAsWritten() throws {
    for command in Self.commands {
      let help = try CLI.run([command, "--help"]).stdout
      let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let start = try #require(lines.firstIndex(of: "Examples:"), "\(command) has no examples")
      let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
      #expect(examples.count >= 2, "\(command)")
      for example in examples {
        #expect(example.hasPrefix("  poam "), "\(command): '\(example)' is wrapped or not a command")
        #expect(example.count <= 80)
        let words = example.split(separator: " ").map(String.init)
        let subcommand = words[1]
        #expect(Self.commands.contains(subcommand))
        let ownHelp = subcommand == command ? help : try CLI.run([subcommand, "--help"]).stdout
        for word in words where word.hasPrefix("--") {
          #expect(ownHelp.contains(word + " ") || ownHelp.contains(word + "\n"), "\(example): \(word)")
        }
      }
    }
  }

  @Test func formatsHelpIsRight() throws {
    let help = try CLI.run(["formats", "--help"]).stdout
    #expect(help.contains("(values: text, json;"))
    #expect(help.contains("(analyze, gaps, check, import)") && !help.contains("with poam import"))
    #expect(try CLI.run(["formats", "--format", "markdown"]).status == 2)
  }

  @Test func completionScripts() throws {
    for shell in ["bash", "zsh", "fish"] {
      let script = try CLI.run(["--generate-completion-script", shell])
      #expect(script.status == 0)
      for word in ["analyze", "catalog", "cci-list", "evidence-policy"] {
        #expect(script.stdout.contains(word), "\(shell): \(word)")
      }
    }
    // The bash script is valid bash.
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("poam.bash")
    try CLI.run(["--generate-completion-script", "bash"]).stdout.write(to: file, atomically: true, encoding: .utf8)
    let bash = Process()
    bash.executableURL = URL(fileURLWithPath: "/bin/bash")
    bash.arguments = ["-n", file.path]
    try bash.run()
    bash.waitUntilExit()
    #expect(bash.terminationStatus == 0)
  }

  /// The man page in the repository is the generator's output for the current help: every
  /// command, option and abstract is in it (`.ci/run` regenerates it and compares bytes).
  @Test func manPageCoversTheCurrentHelp() throws {
    let page = try String(contentsOf: Paths.root.appendingPathComponent("docs/man/poam.1"), encoding: .utf8)
    #expect(page.contains(".Dt POAM 1"))
    #expect(page.contains(".Dd December 6, 2026"))
    let dump = try CLI.run(["--experimental-dump-help"]).stdout
    let info = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
    let root = try #require(info["command"] as? [String: Any])
    var names: [String] = []
    func walk(_ command: [String: Any]) {
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
          names.append(name["name"] as! String)
        }
      }
      for sub in command["subcommands"] as? [[String: Any]] ?? [] {
        names.append(sub["commandName"] as! String)
        walk(sub)
      }
    }
    walk(root)
    #expect(names.contains("cci-list") && names.contains("quiet"))
    for name in Set(names) {
      #expect(page.contains(name.replacingOccurrences(of: "-", with: "\\-")) || page.contains(name), "\(name)")
    }
  }
}
