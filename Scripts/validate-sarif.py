#!/usr/bin/env python3
"""Validate a SARIF 2.1.0 log written by poam.

Checks the structural requirements of the SARIF 2.1.0 standard that poam's output relies on,
stated here from the specification (OASIS SARIF v2.1.0, sections 3.13-3.30):

- the root is an object with "version" == "2.1.0", a "$schema" string and a "runs" array;
- every run has tool.driver.name (a non-empty string);
- every rule in tool.driver.rules has a unique non-empty "id";
- every result has message.text (a string);
- a result's "ruleIndex", when present, is a valid index into tool.driver.rules and the rule at
  that index has the result's "ruleId";
- a result's "level", when present, is one of none, note, warning, error;
- every location has physicalLocation.artifactLocation.uri (a string), and region.startLine,
  when present, is an integer >= 1;
- partialFingerprints, when present, maps strings to strings.

When the environment variable SARIF_SCHEMA names a copy of the official JSON schema
(sarif-schema-2.1.0.json, e.g. from the oasis-tcs/sarif-spec repository), the log is also
validated against it with the `jsonschema` package. The schema is never fetched from the network.

Usage: validate-sarif.py FILE...   Exit 0 when every file is valid, 1 otherwise.
"""

import json
import os
import sys

LEVELS = {"none", "note", "warning", "error"}


def check(log):
    problems = []

    def problem(where, text):
        problems.append(f"{where}: {text}")

    if not isinstance(log, dict):
        return ["root: expected an object"]
    if log.get("version") != "2.1.0":
        problem("version", f"expected '2.1.0', found {log.get('version')!r}")
    if not isinstance(log.get("$schema"), str) or not log["$schema"]:
        problem("$schema", "expected the schema URI")
    runs = log.get("runs")
    if not isinstance(runs, list):
        problem("runs", "expected an array")
        return problems
    for r, run in enumerate(runs):
        at = f"runs[{r}]"
        driver = (run.get("tool") or {}).get("driver") if isinstance(run, dict) else None
        if not isinstance(driver, dict) or not isinstance(driver.get("name"), str) or not driver["name"]:
            problem(f"{at}.tool.driver.name", "expected a non-empty string")
            driver = driver if isinstance(driver, dict) else {}
        rules = driver.get("rules", [])
        if not isinstance(rules, list):
            problem(f"{at}.tool.driver.rules", "expected an array")
            rules = []
        seen = set()
        for i, rule in enumerate(rules):
            rid = rule.get("id") if isinstance(rule, dict) else None
            if not isinstance(rid, str) or not rid:
                problem(f"{at}.tool.driver.rules[{i}].id", "expected a non-empty string")
            elif rid in seen:
                problem(f"{at}.tool.driver.rules[{i}].id", f"duplicate rule id {rid!r}")
            seen.add(rid)
        results = run.get("results", [])
        if not isinstance(results, list):
            problem(f"{at}.results", "expected an array")
            continue
        for k, result in enumerate(results):
            rat = f"{at}.results[{k}]"
            if not isinstance(result, dict):
                problem(rat, "expected an object")
                continue
            message = result.get("message")
            if not isinstance(message, dict) or not isinstance(message.get("text"), str):
                problem(f"{rat}.message.text", "expected a string")
            if "level" in result and result["level"] not in LEVELS:
                problem(f"{rat}.level", f"expected one of {sorted(LEVELS)}, found {result['level']!r}")
            if "ruleIndex" in result:
                index = result["ruleIndex"]
                if not isinstance(index, int) or index < 0 or index >= len(rules):
                    problem(f"{rat}.ruleIndex", f"{index!r} is not an index into {len(rules)} rules")
                elif "ruleId" in result and rules[index].get("id") != result["ruleId"]:
                    problem(
                        f"{rat}.ruleId",
                        f"{result['ruleId']!r} does not match rules[{index}].id {rules[index].get('id')!r}",
                    )
            elif "ruleId" not in result and "rule" not in result:
                problem(rat, "expected ruleId or ruleIndex")
            for j, location in enumerate(result.get("locations") or []):
                lat = f"{rat}.locations[{j}].physicalLocation"
                physical = location.get("physicalLocation") if isinstance(location, dict) else None
                artifact = physical.get("artifactLocation") if isinstance(physical, dict) else None
                if not isinstance(artifact, dict) or not isinstance(artifact.get("uri"), str) or not artifact["uri"]:
                    problem(f"{lat}.artifactLocation.uri", "expected a non-empty string")
                region = physical.get("region") if isinstance(physical, dict) else None
                if region is not None:
                    line = region.get("startLine")
                    if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 1):
                        problem(f"{lat}.region.startLine", f"expected an integer >= 1, found {line!r}")
            fingerprints = result.get("partialFingerprints")
            if fingerprints is not None and (
                not isinstance(fingerprints, dict)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in fingerprints.items())
            ):
                problem(f"{rat}.partialFingerprints", "expected an object of strings")
    return problems


def schema_problems(log, schema_path):
    try:
        import jsonschema
    except ImportError:
        return ["SARIF_SCHEMA is set but the jsonschema package is not installed (pip install jsonschema)"]
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [
        f"schema: {'/'.join(str(p) for p in error.absolute_path) or 'root'}: {error.message}"
        for error in sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
    ]


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    schema_path = os.environ.get("SARIF_SCHEMA")
    failed = False
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                log = json.load(handle)
        except (OSError, ValueError) as error:
            print(f"{path}: cannot read SARIF: {error}", file=sys.stderr)
            failed = True
            continue
        problems = check(log)
        if schema_path:
            problems += schema_problems(log, schema_path)
        for text in problems:
            print(f"{path}: {text}", file=sys.stderr)
        failed = failed or bool(problems)
        if not problems:
            results = sum(len(run.get("results", [])) for run in log["runs"])
            schema_note = " and the official schema" if schema_path else ""
            print(f"{path}: valid SARIF 2.1.0 ({results} results; structural checks{schema_note})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
