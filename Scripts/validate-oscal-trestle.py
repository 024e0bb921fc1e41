#!/usr/bin/env python3
"""Validates OSCAL POA&M documents with compliance-trestle, plus the rules of NIST's POA&M
model that its JSON schema does not express.

    python3 Scripts/validate-oscal-trestle.py FILE.json...

For each file:
1. trestle loads it as a `plan-of-action-and-milestones` (its pydantic model checks every
   field) and `trestle validate` runs its registered validators in a scratch workspace;
2. the POA&M has an `import-ssp` or a `system-id` (NIST's model requires one; the JSON schema
   cannot say "one of");
3. references resolve: observation `subjects` name inventory items or components of
   `local-definitions`; origin actors of type `tool` name a component; `responsible-parties`
   and task `responsible-roles` name defined roles and parties.

Exit codes: 0 every file is valid; 1 a file is invalid (each problem printed as
`file: problem`); 3 trestle is not installed (pip install compliance-trestle).
"""
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

try:
    from trestle.oscal.poam import PlanOfActionAndMilestones
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("validate-oscal-trestle: compliance-trestle is missing (pip install compliance-trestle)\n")
    sys.exit(3)


def walk(node, key=None):
    """Yields (key, value) for every member of every object, depth first."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)


def model_rules(poam):
    problems = []
    if not poam.get("import-ssp") and not poam.get("system-id"):
        problems.append("neither import-ssp nor system-id: NIST's POA&M model requires one")
    local = poam.get("local-definitions", {})
    components = {c["uuid"] for c in local.get("components", [])}
    inventory = {i["uuid"] for i in local.get("inventory-items", [])}
    metadata = poam.get("metadata", {})
    roles = {r["id"] for r in metadata.get("roles", [])}
    parties = {p["uuid"] for p in metadata.get("parties", [])}
    for key, value in walk(poam):
        if key == "subjects":
            for subject in value:
                kind, ref = subject.get("type"), subject.get("subject-uuid")
                known = inventory if kind == "inventory-item" else components if kind == "component" else None
                if known is not None and ref not in known:
                    problems.append(f"subject {ref} ({kind}) is not in local-definitions")
        elif key == "actors":
            for actor in value:
                if actor.get("type") == "tool" and actor.get("actor-uuid") not in components:
                    problems.append(f"tool actor {actor.get('actor-uuid')} is not a local-definitions component")
                if actor.get("type") == "party" and actor.get("actor-uuid") not in parties:
                    problems.append(f"party actor {actor.get('actor-uuid')} is not a metadata party")
        elif key in ("responsible-parties", "responsible-roles"):
            for entry in value:
                if entry.get("role-id") not in roles:
                    problems.append(f"{key}: role {entry.get('role-id')!r} is not defined in metadata.roles")
                for party in entry.get("party-uuids", []):
                    if party not in parties:
                        problems.append(f"{key}: party {party} is not in metadata.parties")
    return problems


def main(paths):
    if not paths:
        sys.stderr.write(__doc__)
        return 2
    failed = False
    trestle = shutil.which("trestle") or str(pathlib.Path(sys.executable).parent / "trestle")
    for path in paths:
        problems = []
        try:
            PlanOfActionAndMilestones.oscal_read(pathlib.Path(path))
        except Exception as error:  # trestle reports pydantic errors as various types
            problems.append(f"trestle cannot load it: {error}")
        with tempfile.TemporaryDirectory() as workspace:
            subprocess.run([trestle, "init"], cwd=workspace, check=True, capture_output=True)
            target = pathlib.Path(workspace, "plan-of-action-and-milestones", "poam")
            target.mkdir(parents=True)
            shutil.copy(path, target / "plan-of-action-and-milestones.json")
            result = subprocess.run(
                [trestle, "validate", "-f", str(target / "plan-of-action-and-milestones.json")],
                cwd=workspace, capture_output=True, text=True)
            if result.returncode != 0 or "VALID" not in result.stdout:
                problems.append("trestle validate: " + (result.stdout + result.stderr).strip())
        with open(path, encoding="utf-8") as handle:
            problems += model_rules(json.load(handle)["plan-of-action-and-milestones"])
        for problem in problems:
            print(f"{path}: {problem}")
        if problems:
            failed = True
        else:
            print(f"{path}: valid (trestle, import-ssp/system-id, references)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
