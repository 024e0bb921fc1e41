#!/usr/bin/env bash
# Builds poam's fuzz targets with libFuzzer and AddressSanitizer and runs each one.
#   Fuzz/run.sh                       CI: every target, fixed seed, fixed run count (reproducible)
#   Fuzz/run.sh --time 3600 FuzzCSV   a longer run of one target (seconds), corpus kept in .fuzz/
# Options: --runs N (default: per target, about 40 s each on a CI core), --time SECONDS (instead
# of --runs), --seed N (default 1).
# Exits non-zero when a target crashes, leaks or times out; the input is left in .fuzz/crashes/.
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=""
seconds=""
seed=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --time) seconds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(FuzzXML FuzzCSV FuzzXLSX FuzzJSONDetect FuzzIDResolver FuzzPrior)

# SwiftPM keeps a path dependency's list of source files until the dependent manifest changes:
# touch it so files added to poam since the last fuzz build are compiled.
touch Fuzz/Package.swift
(cd Fuzz && swift build -c debug --build-path "$root/.build-fuzz" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

# Seed corpora: the project's own fixtures, by what each target reads.
seeds() {
  case "$1" in
    FuzzXML) ls Fixtures/ckl/* Fixtures/xccdf/* Fixtures/oscal/*.xml Fixtures/bad/*.ckl Fixtures/bad/*.xml ;;
    FuzzCSV) ls Fixtures/csv/* Fixtures/assessments/*.csv Fixtures/bad/*.csv ;;
    FuzzXLSX) ls Fixtures/xlsx/* Fixtures/zip/* ;;
    FuzzJSONDetect) ls Fixtures/cklb/* Fixtures/hdf/* Fixtures/oscal/*.json Fixtures/assessments/*.json Fixtures/bad/*.json Fixtures/bad/*.cklb ;;
    FuzzIDResolver) ls Fixtures/assessments/*.csv ;;
    FuzzPrior) ls Fixtures/check/* Fixtures/assessments/*.csv Fixtures/xlsx/* ;;
  esac
}

mkdir -p .fuzz/crashes
# Leak reports are about Swift's lazily built global caches (regexes, catalogs), not bugs; Swift's
# own crash handler fights AddressSanitizer's, so libFuzzer reports crashes alone.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export SWIFT_BACKTRACE="enable=no"
status=0
for target in "${targets[@]}"; do
  corpus=".fuzz/corpus/$target"
  seed_dir=$(mktemp -d)
  if [ -z "$seconds" ]; then
    # CI: start from the seeds alone each time, so the run is the same on every machine.
    corpus=$(mktemp -d)
  fi
  mkdir -p "$corpus"
  if [ "$target" = FuzzIDResolver ]; then
    # One ID spelling per seed file.
    i=0
    for id in AC.L2-3.1.1 "3.1.1[a]" "AC.L2-3.1.1[b]" "NIST SP 800-171 3.13.11" "3.5.3.a" "AC.L3-3.1.2e" "IA.L1-b.1.v" "SC.L2-3.13.16" "ac-2(1)" "CCI-000015"; do
      printf '%s' "$id" > "$seed_dir/id$i"; i=$((i + 1))
    done
  else
    for file in $(seeds "$target" 2>/dev/null); do cp "$file" "$seed_dir/"; done
  fi
  # Inputs per target in CI: the targets differ a lot in speed (debug build with AddressSanitizer).
  case "$target" in
    FuzzCSV) default_runs=4000 ;;
    FuzzIDResolver) default_runs=1500 ;;
    *) default_runs=10000 ;;
  esac
  limit=(-runs="${runs:-$default_runs}")
  [ -n "$seconds" ] && limit=(-max_total_time="$seconds")
  start=$(date +%s)
  if ! ".build-fuzz/debug/$target" -seed="$seed" "${limit[@]}" -max_len=65536 -timeout=20 -rss_limit_mb=3072 -detect_leaks=0 \
      -artifact_prefix=".fuzz/crashes/$target-" -print_final_stats=1 "$corpus" "$seed_dir" \
      > ".fuzz/$target.log" 2>&1; then
    echo "$target: FAILED (see .fuzz/$target.log and .fuzz/crashes/)" >&2
    tail -40 ".fuzz/$target.log" >&2
    status=1
  fi
  end=$(date +%s)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' ".fuzz/$target.log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' ".fuzz/$target.log" | tail -1 || true)
  echo "$target: $((end - start)) s, $execs inputs, $cov"
  rm -rf "$seed_dir"
  [ -z "$seconds" ] && rm -rf "$corpus"
done
exit $status
