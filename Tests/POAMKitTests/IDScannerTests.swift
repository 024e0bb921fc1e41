import Testing

@testable import POAMKit

/// ``IDScanner`` must read every identifier exactly as the regular expressions do: compared on
/// every catalog ID in many spellings, objectives, document names, garbage, near misses and
/// random strings.
struct IDScannerTests {
  let catalog = TestCatalog.shared
  let byHand = RequirementIDResolver(catalog: TestCatalog.shared, scansByHand: true)
  let byPattern = RequirementIDResolver(catalog: TestCatalog.shared, scansByHand: false)

  /// Catalog IDs and numbers in every spelling the resolver documents, and wrong ones.
  var spellings: [String] {
    var numbers: [String] = []
    var ids: [String] = []
    var objectives: [String: [String]] = [:]
    for requirement in catalog.requirements {
      ids.append(requirement.id)
      numbers.append(requirement.nistID)
      let own = (requirement.objectives + (requirement.odpStatements ?? [])).map(\.id)
      objectives[requirement.nistID] = ["z", "E", "odp12", "A"] + own.prefix(1) + own.suffix(1)
    }
    var texts: [String] = []
    func spell(_ number: String) -> [String] {
      var forms = [number, number.uppercased()]
      let parts = number.split(separator: ".")
      if parts.count == 3, parts.allSatisfy({ $0.first?.isNumber == true }) {
        forms.append(parts.map { $0.count == 1 ? "0" + $0 : String($0) }.joined(separator: "."))
        forms.append(parts.map { "00" + $0 }.joined(separator: "."))
      }
      return forms
    }
    for id in ids {
      texts += [id, id.lowercased(), id.uppercased(), " \(id) ", id.replacingOccurrences(of: "-", with: " - ")]
    }
    for number in numbers {
      for (index, form) in spell(number).enumerated() {
        texts += [
          form, "NIST SP 800-171 \(form)", "800-171 \(form)", "SP 800-172 \(form)", "NIST SP 800-171 Rev 3 \(form)",
          "\(form).", "\(form)..a", "\(form)[", "\(form)[]", "\(form)()", "\(form)[1]", "\(form)x1", "\(form)]",
        ]
        for objective in objectives[number] ?? [] where index < 2 || objective == "z" {
          texts += [
            "\(form)[\(objective)]", "\(form).\(objective)", "\(form)\(objective)", "\(form)(\(objective))",
            "\(form) [\(objective)]", "\(form)[\(objective)][2]", "\(form)[\(objective)][x]",
            "\(form)[\(objective)].a", "\(form)e[\(objective)]", "\(form)a.\(objective)",
          ]
        }
      }
    }
    let families = Set(catalog.requirements.map(\.family)).sorted() + ["XX", "sc", "Sp", "ni"]
    for family in families {
      for level in ["L1", "l2", "L3", "L4", "L0", "2"] {
        for number in numbers where number.hasPrefix("3.1.") || number.hasPrefix("3.13.") || number.hasPrefix("b.") {
          texts += ["\(family).\(level)-\(number)", "\(family).\(level)-\(number)[a]", "\(family).\(level)-"]
        }
      }
    }
    for practice in catalog.cmmcV1?.practices ?? [] {
      texts += [practice.id, practice.id.lowercased(), practice.id + "1"]
    }
    for entry in catalog.rev3?.requirements ?? [] {
      texts += [entry.id, entry.id + "[a]", "NIST SP 800-171 Rev 3 \(entry.id)", "NIST SP 800-171r3 \(entry.id)"]
    }
    for roman in ["i", "iv", "ix", "xv", "xvi", "XVII", "vv", "iiii"] {
      texts += [
        "52.204-21(b)(1)(\(roman))", "FAR 52.204-21(b)(1)(\(roman))", "far52.204-21 (b) (1) (\(roman))",
        "52.204-21(b)(1)(\(roman))x", "b.1.\(roman)", "B.1.\(roman)[c]", "b.1.\(roman).C", "b.1.\(roman)(c)",
        "b.1.\(roman)[c][1]", "b.2.\(roman)", "b.1.\(roman)1", "b1.\(roman)", "bb.1.\(roman)",
      ]
    }
    texts += [
      "", " ", "cui", "hello", "3", "3.1", "3.1.", "3..1.1", "3.1.1.1", "123.1.1", "3.123.1", "3.1.123",
      "03.01.01", "0.1.1", "3.1.1e", "3.1.2e", "3.1.2E", "3.4.1e[ODP1]", "3.1.3e[odp1][2]", "3.1.1[odp]",
      "3.1.1[odp1", "3.1.1(odp1)", "3.1.1ab", "3.1.1a[b]", "3.1.1e[b]", "3.1.1E.b", "NIST", "NIST SP 800-171",
      "800-17", "800-171", "800-173 3.1.1", "SP800-171r2#3.1.1", "nist800-172a 3.1.2e", "52.204-21",
      "52.204-21(b)(1)", "52.1.1", "5.2.1", "AC.1.001", "AC.2.005", "ac.1.001", "ACX.1.001", "AC.6.001",
      "AC.L2-", "AC.L2-3", "A.L2-3.1.1", "AC.L2--3.1.1", "AC.L2-3.1.1 ", "AC.L23.1.1", "AC:L2-3.1.1",
      "AC.L2-b.1.i", "AC.L1-b.1.i[a]", "ÄC.L2-3.1.1", "3.1.1\r\n", "3.1\t.1",
      "b", "b.", "b.1", "b.1.", "B.1.I", "b.1.i[", "b.1.i[ab]", "b.1.i.", "b.1.i..a", "sp", "spam", "nistful",
    ]
    return texts
  }

  @Test func scannerAgreesWithThePatternsOnEverySpelling() {
    var mismatches: [String] = []
    var decided = 0
    let spellings = self.spellings
    for (index, text) in spellings.enumerated() {
      let input = text.trimmingWhitespace
      if !input.isEmpty, let shape = IDScanner.shape(of: input) {
        decided += 1
        let expected = IDShape.match(input)
        if shape != expected { mismatches.append("shape '\(text)': \(shape) vs \(expected)") }
      }
      if !text.isEmpty, let shape = IDScanner.numberShape(of: text), shape != NumberShape.match(text) {
        mismatches.append("number '\(text)': \(shape) vs \(NumberShape.match(text))")
      }
      // Resolving shares everything after the shapes: a sample checks it end to end (failures
      // are slow, for their suggestions); the next test resolves the good spellings.
      if index % 40 == 0, byHand.resolve(text) != byPattern.resolve(text) { mismatches.append("resolve '\(text)'") }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    #expect(decided > spellings.count / 3)
  }

  @Test func resolvesEveryCatalogSpellingAsThePatternsDo() {
    var mismatches: [String] = []
    for requirement in catalog.requirements {
      let number = requirement.nistID
      let padded = number.split(separator: ".").map { $0.count == 1 ? "0" + $0 : String($0) }.joined(separator: ".")
      var texts = [requirement.id, requirement.id.lowercased(), number, number.uppercased(), padded]
      for objective in (requirement.objectives + (requirement.odpStatements ?? [])).map(\.id) {
        texts += [
          "\(requirement.id)[\(objective)]", "\(number)[\(objective)]", "\(padded).\(objective)",
          "\(number)(\(objective))", "\(number)\(objective)", "\(requirement.id.uppercased())[\(objective)][1]",
        ]
      }
      for text in texts where byHand.resolve(text) != byPattern.resolve(text) { mismatches.append(text) }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
  }

  @Test func scannerAgreesWithThePatternsOnRandomText() {
    var generator = SplitMix64(seed: 0x5EED)
    let tokens = [
      "3", "1", "01", "13", "123", "0", ".", ".", ".", "e", "a", "E", "[a]", "[ODP1]", "[odp", "]", "[2]", "(b)", "(",
      ")", "[", "b.1.", "B.1.", "i", "iv", "X", "AC", "sc", ".L2-", ".l1-", ".L3-", "-", "52.204-21", "800-171",
      "nist", "SP", "o", "dp", "9",
    ]
    let characters = Array("0123456789..[]()-abeiovxdpLACSB ")
    var mismatches: [String] = []
    var decided = 0
    for round in 0..<40_000 {
      var text = ""
      if round % 2 == 0 {
        for _ in 0..<(1 + generator.next() % 7) { text += tokens[Int(generator.next() % UInt64(tokens.count))] }
      } else {
        for _ in 0..<(1 + generator.next() % 12) {
          text.append(characters[Int(generator.next() % UInt64(characters.count))])
        }
      }
      if let shape = IDScanner.shape(of: text) {
        decided += 1
        if shape != IDShape.match(text) { mismatches.append("shape '\(text)'") }
      }
      if let shape = IDScanner.numberShape(of: text), shape != NumberShape.match(text) {
        mismatches.append("number '\(text)'")
      }
      if round < 1_500, byHand.parseNumber(text) != byPattern.parseNumber(text) {
        mismatches.append("parseNumber '\(text)'")
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    #expect(decided > 5_000)
  }

  @Test(arguments: ["3.1.7", "AC.L2-3.1.1", "3.1.1[a]", "ac.l2-3.1.1[b]", "3.01.01", "b.1.ix[c]", "3.1.3e[ODP1]"])
  func commonSpellingsNeedNoPatterns(text: String) {
    #expect(IDScanner.shape(of: text) != nil)
    if case .cmmc(_, _, let rest) = IDScanner.shape(of: text) {
      #expect(IDScanner.numberShape(of: rest) != nil)
    } else {
      #expect(IDScanner.numberShape(of: text) != nil)
    }
  }
}
