#!/usr/bin/env python3
"""Validate a JUnit XML report written by poam against the common JUnit shape.

The shape is the one Jenkins (junit-10.xsd), GitLab and most CI systems read:

- the root is <testsuites> (attributes name, tests, failures, errors, time) or a lone <testsuite>;
- every <testsuite> has name, tests, failures and errors; skipped and time are optional;
  its children are <properties>, <testcase>, <system-out>, <system-err> or nested <testsuite>;
- every <property> has name and value;
- every <testcase> has name (classname and time optional); its children are <failure>, <error>,
  <skipped>, <system-out> or <system-err>; <failure>/<error>/<skipped> may carry message and type;
- counts agree: a suite's tests equals its <testcase> count, failures its testcases with a
  <failure>, errors those with an <error>, skipped those with a <skipped>; the root's totals
  equal the sums over its suites; time values are non-negative numbers.

When the environment variable JUNIT_XSD names a copy of a JUnit XSD (such as Jenkins'
junit-10.xsd) and xmllint is installed, the file is also validated against it.

Usage: validate-junit.py FILE...   Exit 0 when every file is valid, 1 otherwise.
"""

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SUITE_CHILDREN = {"properties", "testcase", "system-out", "system-err", "testsuite"}
CASE_CHILDREN = {"failure", "error", "skipped", "system-out", "system-err"}


def number(value):
    try:
        return float(value) >= 0
    except (TypeError, ValueError):
        return False


def check_suite(suite, where, problems):
    for attribute in ("name", "tests", "failures", "errors"):
        if attribute not in suite.attrib:
            problems.append(f"{where}: <testsuite> lacks the {attribute} attribute")
    if "time" in suite.attrib and not number(suite.attrib["time"]):
        problems.append(f"{where}: time {suite.attrib['time']!r} is not a non-negative number")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for index, child in enumerate(suite):
        at = f"{where}/{child.tag}[{index}]"
        if child.tag not in SUITE_CHILDREN:
            problems.append(f"{at}: unexpected element in <testsuite>")
        elif child.tag == "properties":
            for prop in child:
                if prop.tag != "property" or "name" not in prop.attrib or "value" not in prop.attrib:
                    problems.append(f"{at}: expected <property name=... value=...>")
        elif child.tag == "testsuite":
            nested = check_suite(child, at, problems)
            for key in counts:
                counts[key] += nested[key]
        elif child.tag == "testcase":
            counts["tests"] += 1
            if not child.attrib.get("name"):
                problems.append(f"{at}: <testcase> lacks a name")
            if "time" in child.attrib and not number(child.attrib["time"]):
                problems.append(f"{at}: time {child.attrib['time']!r} is not a non-negative number")
            tags = [grandchild.tag for grandchild in child]
            for tag in tags:
                if tag not in CASE_CHILDREN:
                    problems.append(f"{at}: unexpected <{tag}> in <testcase>")
            counts["failures"] += "failure" in tags
            counts["errors"] += "error" in tags
            counts["skipped"] += "skipped" in tags
    for key in ("tests", "failures", "errors", "skipped"):
        if key == "skipped" and key not in suite.attrib:
            continue
        declared = suite.attrib.get(key)
        if declared is not None and declared != str(counts[key]):
            problems.append(f"{where}: {key}={declared!r} but the suite holds {counts[key]}")
    return counts


def check(root):
    problems = []
    if root.tag == "testsuite":
        check_suite(root, "testsuite", problems)
        return problems
    if root.tag != "testsuites":
        return [f"root: expected <testsuites> or <testsuite>, found <{root.tag}>"]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for index, suite in enumerate(root):
        if suite.tag != "testsuite":
            problems.append(f"testsuites/{suite.tag}[{index}]: expected <testsuite>")
            continue
        counts = check_suite(suite, f"testsuites/testsuite[{index}]", problems)
        for key in totals:
            totals[key] += counts[key]
    for key in ("tests", "failures", "errors"):
        declared = root.attrib.get(key)
        if declared is not None and declared != str(totals[key]):
            problems.append(f"testsuites: {key}={declared!r} but the suites hold {totals[key]}")
    if "time" in root.attrib and not number(root.attrib["time"]):
        problems.append(f"testsuites: time {root.attrib['time']!r} is not a non-negative number")
    return problems


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    xsd = os.environ.get("JUNIT_XSD")
    failed = False
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            print(f"{path}: not well-formed XML: {error}", file=sys.stderr)
            failed = True
            continue
        problems = check(root)
        if xsd:
            if shutil.which("xmllint"):
                run = subprocess.run(
                    ["xmllint", "--noout", "--nonet", "--schema", xsd, path], capture_output=True, text=True
                )
                if run.returncode != 0:
                    problems.append(f"xsd: {run.stderr.strip()}")
            else:
                problems.append("JUNIT_XSD is set but xmllint is not installed")
        for text in problems:
            print(f"{path}: {text}", file=sys.stderr)
        failed = failed or bool(problems)
        if not problems:
            cases = len(root.findall(".//testcase"))
            print(f"{path}: valid JUnit XML ({cases} test cases)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
