#!/usr/bin/env python3
"""Write each assessment CSV in Fixtures/assessments/ as poam's native results JSON beside it.

The CSV is the source of truth (an assessor's layout: Requirement, Title, Status, Objective,
Comments, and optionally Asset, Kind, Points); the JSON carries exactly the same rows, so the
gap engine's tests can read the fixtures before the CSV importer exists, and the two never
drift:

    python3 Scripts/assessment-csv-to-native.py            # (re)write every JSON
    python3 Scripts/assessment-csv-to-native.py --check    # exit 1 if any JSON is stale

One CSV row becomes one result: "requirement" is the Requirement cell, with "[x]" appended when
the Objective cell holds a letter (or ODPn); "status", "title" and "comments" are copied as
written; a Points cell becomes "partial_points"; Asset and Kind cells, when present, become
"asset" and "kind".
"""
import csv
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLDER = ROOT / "Fixtures" / "assessments"


def convert(path: pathlib.Path) -> str:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    results = []
    for number, row in enumerate(rows, start=2):
        requirement = (row.get("Requirement") or "").strip()
        if not requirement:
            sys.exit(f"{path.name}:{number}: empty Requirement cell")
        objective = (row.get("Objective") or "").strip()
        result = {
            "requirement": f"{requirement}[{objective}]" if objective else requirement,
            "status": (row.get("Status") or "").strip(),
            "title": (row.get("Title") or "").strip(),
            "comments": (row.get("Comments") or "").strip(),
            "kind": (row.get("Kind") or "assessor").strip() or "assessor",
        }
        if (row.get("Asset") or "").strip():
            result["asset"] = row["Asset"].strip()
        if (row.get("Points") or "").strip():
            result["partial_points"] = int(row["Points"])
        results.append(result)
    document = {
        "format": "poam-results",
        "version": 1,
        "producer": {"tool": "Scripts/assessment-csv-to-native.py", "version": "1"},
        "source": f"Fixtures/assessments/{path.name}",
        "results": results,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for path in sorted(FOLDER.glob("*.csv")):
        target = path.with_suffix(".json")
        text = convert(path)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
            count = len(json.loads(text)["results"])
            print(f"wrote {target.relative_to(ROOT)} ({count} results)")
    if stale:
        print("stale: " + ", ".join(stale) + " (run python3 Scripts/assessment-csv-to-native.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
