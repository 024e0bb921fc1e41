import Foundation
import Testing
import Yams

/// The example CI files are parsed (YAML, via Yams) so they cannot rot: each must install the
/// system libraries, build poam once, run `poam check` with --sarif and --junit, and hand both
/// reports to the CI system.
struct CIRecipeTests {
  static func load(_ file: String) throws -> Node {
    let text = try String(contentsOf: Paths.root.appendingPathComponent(file), encoding: .utf8)
    return try #require(try Yams.compose(yaml: text), "\(file) is empty")
  }

  /// The value after `option` in a shell command (`--sarif reports/poam.sarif`).
  static func value(of option: String, in command: String) -> String? {
    let words = command.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" }).map(String.init)
    guard let index = words.firstIndex(of: option), index + 1 < words.count else { return nil }
    return words[index + 1]
  }

  static func scalars(_ node: Node?) -> [String] {
    guard let node else { return [] }
    if let text = node.string { return [text] }
    return node.sequence.map { $0.compactMap(\.string) } ?? []
  }

  @Test func githubActionsWorkflow() throws {
    let workflow = try Self.load("Examples/github-actions.yml")
    // `on` is a YAML 1.1 boolean to some parsers: look it up as a plain key.
    #expect(workflow["on"]?["pull_request"] != nil)
    #expect(workflow["on"]?["push"] != nil)
    #expect(workflow["permissions"]?["security-events"]?.string == "write")
    let jobs = try #require(workflow["jobs"]?.mapping)
    #expect(jobs.count == 1)
    let steps = try #require(jobs.values.first?["steps"]?.sequence)
    let runs = steps.compactMap { $0["run"]?.string }
    let uses = steps.compactMap { $0["uses"]?.string }

    let install = try #require(runs.first { $0.contains("apt-get install") })
    for package in ["libxml2-dev", "libsqlite3-dev", "pkg-config"] { #expect(install.contains(package)) }

    let builds = steps.filter { $0["run"]?.string?.contains("swift build") == true }
    #expect(builds.count == 1, "poam is built exactly once")
    let build = try #require(builds.first)
    #expect(build["run"]?.string?.contains("-c release") == true)
    #expect(build["if"]?.string?.contains("cache-hit") == true, "the build is skipped when the cached binary exists")
    #expect(uses.contains { $0.hasPrefix("actions/cache@") })

    let checks = runs.filter { $0.contains("poam check") }
    #expect(checks.count == 1)
    let check = try #require(checks.first)
    let sarif = try #require(Self.value(of: "--sarif", in: check))
    let junit = try #require(Self.value(of: "--junit", in: check))
    #expect(Self.value(of: "--baseline", in: check) != nil)

    let upload = try #require(
      steps.first { $0["uses"]?.string?.hasPrefix("github/codeql-action/upload-sarif@") == true })
    #expect(upload["with"]?["sarif_file"]?.string == sarif)
    #expect(upload["if"]?.string?.contains("always()") == true, "the SARIF is uploaded when the gate fails too")
    let publish = try #require(steps.first { $0["uses"]?.string?.hasPrefix("mikepenz/action-junit-report@") == true })
    #expect(publish["with"]?["report_paths"]?.string == junit)
    #expect(publish["if"]?.string?.contains("always()") == true)

    // Order: install, build, check, then upload and publish.
    let index = { (predicate: (Node) -> Bool) in steps.firstIndex(where: predicate) ?? -1 }
    let installAt = index { $0["run"]?.string?.contains("apt-get install") == true }
    let buildAt = index { $0["run"]?.string?.contains("swift build") == true }
    let checkAt = index { $0["run"]?.string?.contains("poam check") == true }
    let uploadAt = index { $0["uses"]?.string?.hasPrefix("github/codeql-action/upload-sarif@") == true }
    #expect(installAt < buildAt && buildAt < checkAt && checkAt < uploadAt)
  }

  @Test func gitlabPipeline() throws {
    let pipeline = try Self.load("Examples/gitlab-ci.yml")
    #expect(Self.scalars(pipeline["stages"]) == ["build", "compliance"])
    let jobs = try #require(pipeline.mapping).filter { $0.value["script"] != nil }
    let script = { (job: Node) in Self.scalars(job["script"]).joined(separator: "\n") }

    let builders = jobs.filter { script($0.value).contains("swift build") }
    #expect(builders.count == 1, "poam is built exactly once")
    let builder = try #require(builders.first)
    let buildScript = script(builder.value)
    #expect(buildScript.contains("apt-get install") && buildScript.contains("libxml2-dev"))
    #expect(buildScript.contains("libsqlite3-dev") && buildScript.contains("-c release"))
    #expect(builder.value["cache"]?["key"]?.string?.contains("POAM_VERSION") == true)

    let checkers = jobs.filter { script($0.value).contains("poam check") }
    #expect(checkers.count == 1)
    let checker = try #require(checkers.first)
    let checkScript = script(checker.value)
    let junit = try #require(Self.value(of: "--junit", in: checkScript))
    let sarif = try #require(Self.value(of: "--sarif", in: checkScript))
    #expect(Self.scalars(checker.value["needs"]).contains(builder.key.string ?? "?"))
    let artifacts = try #require(checker.value["artifacts"])
    #expect(artifacts["when"]?.string == "always")
    #expect(artifacts["reports"]?["junit"]?.string == junit)
    #expect(Self.scalars(artifacts["paths"]).contains { sarif.hasPrefix($0) })
  }
}
