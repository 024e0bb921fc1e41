#!/usr/bin/env python3
"""Validates OSCAL JSON documents against an OSCAL JSON schema (draft-07).

    python3 Scripts/validate-oscal.py [--schema SCHEMA.json] FILE.json...

The schema's regular expressions use Unicode property classes such as \\p{L} and \\p{N},
which Python's `re` rejects. Patterns are therefore matched with the `regex` module (PyPI
`regex`) when it is installed; without it, \\p{L} and \\p{N} are translated to the nearest
`re` classes ([^\\W\\d_] and \\d) and a note says so. Formats (date-time, uri, email) are
checked where jsonschema has a checker for them.

Exit codes: 0 every file is valid; 1 a file is invalid (each error printed as
`file: $.json.path: message`); 2 bad usage or unreadable file; 3 python3 lacks jsonschema.
"""
import argparse
import json
import os
import re
import sys

try:
    import jsonschema
    from jsonschema import validators
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("validate-oscal: the jsonschema module is missing (pip install jsonschema regex)\n")
    sys.exit(3)

try:
    import regex as unicode_re
except ImportError:  # pragma: no cover - depends on the machine
    unicode_re = None

DEFAULT_SCHEMA = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "..", "shared", "samples", "schemas", "oscal-1.1.3_poam_schema.json")


def translate(pattern):
    """\\p{L} / \\p{N} into classes Python's re understands (used only without `regex`)."""
    return pattern.replace("\\p{L}", "[^\\W\\d_]").replace("\\p{N}", "\\d")


_compiled = {}


def search(pattern, text):
    key = pattern
    if key not in _compiled:
        _compiled[key] = unicode_re.compile(pattern) if unicode_re else re.compile(translate(pattern))
    return _compiled[key].search(text) is not None


def pattern_keyword(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield jsonschema.ValidationError("%r does not match %r" % (instance, pattern))


def make_validator(schema):
    base = validators.validator_for(schema, default=jsonschema.Draft7Validator)
    cls = validators.extend(base, {"pattern": pattern_keyword})
    return cls(schema, format_checker=base.FORMAT_CHECKER)


def path_of(error):
    path = "$"
    for part in error.absolute_path:
        path += "[%d]" % part if isinstance(part, int) else "." + str(part)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=DEFAULT_SCHEMA)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    try:
        with open(args.schema, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as error:
        sys.stderr.write("validate-oscal: cannot read schema %s: %s\n" % (args.schema, error))
        return 2
    if unicode_re is None:
        sys.stderr.write("validate-oscal: note: the regex module is missing; \\p{L}/\\p{N} approximated for re\n")
    validator = make_validator(schema)
    invalid = False
    for name in args.files:
        try:
            with open(name, encoding="utf-8") as f:
                document = json.load(f)
        except (OSError, ValueError) as error:
            sys.stderr.write("%s: cannot read: %s\n" % (name, error))
            return 2
        errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            print("%s: %s: %s" % (name, path_of(error), error.message))
        if errors:
            invalid = True
        else:
            print("%s: valid" % name)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
