#!/usr/bin/env bash
# Writes docs/man/poam.1 from the current help with swift-argument-parser's GenerateManual
# plugin (the package's own dependency, 1.8.2). The date is pinned so the page is
# reproducible: change MANUAL_DATE when you mean to date a new edition.
#   Scripts/generate-manual.sh           regenerate docs/man/poam.1
#   Scripts/generate-manual.sh --check   exit 1 when docs/man/poam.1 differs from the current help
set -euo pipefail
cd "$(dirname "$0")/.."
MANUAL_DATE=2026-12-06
# Old pages out of the way, so the one found below is this run's.
find .build/plugins -name poam.1 -delete 2>/dev/null || true
swift package --allow-writing-to-package-directory generate-manual \
  --configuration debug --date "$MANUAL_DATE" >/dev/null
generated=$(find .build/plugins -name poam.1 2>/dev/null | head -1)
if [ -z "$generated" ]; then
  echo "the GenerateManual plugin wrote no poam.1" >&2
  exit 1
fi
if [ "${1:-}" = "--check" ]; then
  if ! diff -u docs/man/poam.1 "$generated"; then
    echo "docs/man/poam.1 does not match the current help: run Scripts/generate-manual.sh" >&2
    exit 1
  fi
  echo "docs/man/poam.1 matches the current help"
else
  cp "$generated" docs/man/poam.1
  echo "wrote docs/man/poam.1"
fi
