#!/usr/bin/env bash
# poam performance benchmark (issue 8). The one command:
#
#   Scripts/bench/run.sh [--quick] [--no-build] [--corpus DIR]
#
# Builds poam in release mode, generates the corpus if it is missing (Scripts/bench/
# generate_corpus.py, deterministic), then measures on the same machine in the same run:
#   - import throughput (MB/s) and peak RSS of `poam import` on each XCCDF/ARF size, the CKL
#     set, the CKLB set, the HDF file and the 1M-row CSV, next to `xmllint --stream --noout`
#     on the same XML (ratio poam/xmllint);
#   - `poam analyze` end to end on the 1,000 CKLs (wall time, CPU use = (user+sys)/wall, RSS)
#     and on the whole corpus;
#   - start-up: `poam gaps` on a 110-row CSV, repeated (hyperfine when installed, else a loop);
#   - linearity of gap engine + POA&M drafting: analyze on 10x inputs (CSV rows, CKL files).
# Writes .bench/results.md (and prints it). --quick uses the small sizes only (smoke run).
# Files are read from a warm page cache (each is read once before it is timed).
#
#   Scripts/bench/run.sh --hosts N [--corpus DIR] [--cache cold|warm] [--max-rss-mb M] [--max-seconds S] [--poam BIN]
#
# Distinct-host mode (issue 16), instead of the above: generates N checklists with distinct
# HOST_NAMEs (2 MB each, N=10000 is 20 GB: put the corpus outside the repository with --corpus)
# and measures `poam analyze` on N/10 and on N of them: wall time, CPU, peak RSS and the size of
# every file it writes. --cache cold (default) drops the page cache before each run (needs
# root; otherwise the run says the cache state is unknown), --cache warm reads the files once
# first; either way the share of the input in the page cache at the start is measured
# (fincore). A run is killed when its RSS passes --max-rss-mb (default 12000) or it has run
# --max-seconds (default 1800). Writes
# .bench/hosts-results.md. --poam BIN measures another build (skips the build).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/.bench"
CORPUS="$BENCH/corpus"
QUICK=0
BUILD=1
HOSTS=0
CACHE=cold
MAX_RSS_MB=12000
MAX_SECONDS=1800
POAM_BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --corpus) CORPUS="$2"; shift ;;
    --hosts) HOSTS="$2"; shift ;;
    --cache) CACHE="$2"; shift ;;
    --max-rss-mb) MAX_RSS_MB="$2"; shift ;;
    --max-seconds) MAX_SECONDS="$2"; shift ;;
    --poam) POAM_BIN="$2"; BUILD=0; shift ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$HOSTS" in ''|*[!0-9]*) echo "run.sh: --hosts takes a number of checklists, not '$HOSTS'" >&2; exit 2 ;; esac
case "$CACHE" in cold|warm) ;; *) echo "run.sh: --cache takes cold or warm, not '$CACHE'" >&2; exit 2 ;; esac
case "$MAX_RSS_MB" in ''|*[!0-9]*) echo "run.sh: --max-rss-mb takes a number of MB, not '$MAX_RSS_MB'" >&2; exit 2 ;; esac
case "$MAX_SECONDS" in ''|*[!0-9]*) echo "run.sh: --max-seconds takes a number of seconds, not '$MAX_SECONDS'" >&2; exit 2 ;; esac
if [ "$HOSTS" -gt 0 ] && [ "$HOSTS" -lt 10 ]; then echo "run.sh: --hosts needs at least 10 checklists" >&2; exit 2; fi

# ---- prerequisites (nothing is installed by this script) ---------------------------------
missing=()
command -v xmllint >/dev/null || missing+=("xmllint (apt-get install libxml2-utils)")
command -v python3 >/dev/null || missing+=("python3 (apt-get install python3)")
command -v swift >/dev/null || missing+=("swift (a Swift 6.1+ toolchain on PATH)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

mkdir -p "$BENCH"
RAW="$BENCH/raw.jsonl"
[ "$HOSTS" -gt 0 ] && RAW="$BENCH/hosts-raw.jsonl"
OUTDIR="$BENCH/out"
: > "$RAW"
say() { echo "bench: $*" >&2; }

# ---- build and corpus ----------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  say "swift build -c release --static-swift-stdlib (the shipped build, see README)"
  (cd "$ROOT" && swift build -c release --static-swift-stdlib 2>&1 | tail -3) >&2 || { echo "run.sh: release build failed" >&2; exit 2; }
fi
POAM="${POAM_BIN:-$ROOT/.build/release/poam}"
[ -x "$POAM" ] || { echo "run.sh: $POAM not found (build first or drop --no-build)" >&2; exit 2; }

if [ "$HOSTS" = 0 ]; then
  GEN_ARGS=("$CORPUS")
  [ "$QUICK" = 1 ] && GEN_ARGS+=(--quick)
  say "corpus in $CORPUS (generated when missing)"
  python3 "$ROOT/Scripts/bench/generate_corpus.py" "${GEN_ARGS[@]}" || { echo "run.sh: corpus generation failed" >&2; exit 2; }
fi

# The DISA CCI list lets CKL/XCCDF CCIs resolve to CMMC requirements, as a user would set it up.
CCI_LIST="$(dirname "$ROOT")/shared/samples/mapping/DISA_U_CCI_List_2025-01-23.xml"
if [ -z "${POAM_CCI_LIST:-}" ] && [ -f "$CCI_LIST" ]; then export POAM_CCI_LIST="$CCI_LIST"; fi

SUBCOMMANDS="$("$POAM" --help 2>/dev/null | sed -n '/^SUBCOMMANDS:/,$p' | awk 'NF && $1 !~ /:$/ {print $1}')"
has_command() { printf '%s\n' "$SUBCOMMANDS" | grep -qx "$1"; }

# ---- measuring -----------------------------------------------------------------------------
# measure GROUP LABEL BYTES FILES RUNS -- command...
# Runs the command RUNS times (stdout discarded), keeps the fastest wall time and the largest
# peak RSS, and appends one JSON line to $RAW.
json_escape() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
measure() {
  local group="$1" label="$2" bytes="$3" files="$4" runs="$5"; shift 6
  local best="" rss=0 user=0 sys=0 rc=0 killed="-" tfile err watchdog=()
  tfile="$(mktemp)"; err="$(mktemp)"
  [ -n "${MEASURE_MAX_RSS_MB:-}" ] && watchdog=(--max-rss-mb "$MEASURE_MAX_RSS_MB")
  [ -n "${MEASURE_MAX_SECONDS:-}" ] && watchdog+=(--max-seconds "$MEASURE_MAX_SECONDS")
  for ((i = 0; i < runs; i++)); do
    local wall m u s k
    # timeit.py times the child alone (spawn to reap), with its peak RSS and CPU from rusage.
    python3 "$ROOT/Scripts/bench/timeit.py" "$tfile" "$err" "${watchdog[@]}" -- "$@" || { echo "run.sh: cannot run $1" >&2; exit 2; }
    read -r wall m u s rc k < "$tfile"
    [ "$k" != "-" ] && killed="$k"
    [ "$m" -gt "$rss" ] && rss=$m
    if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then best=$wall; user=$u; sys=$s; fi
    [ "$rc" -ne 0 ] && break
  done
  local stderr_line
  stderr_line="$(grep -v '^\s*$' "$err" | grep -iv 'warning\|note:' | head -n 1)"
  printf '{"group":%s,"label":%s,"bytes":%s,"files":%s,"runs":%s,"wall_us":%s,"rss_kb":%s,"user":%s,"sys":%s,"exit":%s,"killed_s":%s,"command":%s,"stderr":%s%s}\n' \
    "$(json_escape "$group")" "$(json_escape "$label")" "$bytes" "$files" "$runs" "$best" "$rss" "$user" "$sys" "$rc" \
    "$([ "$killed" = "-" ] && echo null || echo "$killed")" \
    "$(json_escape "$(echo "$*" | sed "s#$ROOT/##g; s#$CORPUS/##g")")" "$(json_escape "$stderr_line")" "${MEASURE_EXTRA:-}" >> "$RAW"
  rm -f "$tfile" "$err"
  say "$label: $(awk -v w="$best" 'BEGIN{printf "%.3f s", w/1e6}') (exit $rc)"
}
skip() { # GROUP LABEL REASON [BYTES]
  printf '{"group":%s,"label":%s,"skipped":%s,"bytes":%s}\n' "$(json_escape "$1")" "$(json_escape "$2")" "$(json_escape "$3")" "${4:-0}" >> "$RAW"
  say "$2: skipped ($3)"
}
size_of() { du -cb "$@" 2>/dev/null | tail -n 1 | cut -f1; }
warm() { cat "$@" > /dev/null; }
runs_for() { if [ "$1" -lt 50000000 ]; then echo 5; elif [ "$1" -lt 300000000 ]; then echo 3; else echo 1; fi; }

# Other work on the machine inflates wall times: record the load and warn.
LOAD_START="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)"
echo "$LOAD_START" > "$BENCH/load-start"
if awk -v l="$LOAD_START" 'BEGIN{exit !(l > 0.5)}'; then
  say "WARNING: load average is $LOAD_START; other processes will slow the measurements"
fi

# ---- the inputs of this run -----------------------------------------------------------------
# subset DIR N NAME: DIR itself when it holds N files or fewer, else a directory of hard links
# to its first N files (sorted), so --quick and the 1x linearity runs read real corpus files.
DERIVED="$CORPUS.derived"; mkdir -p "$DERIVED"   # subsets made from this corpus
subset() {
  local dir="$1" n="$2" name="$3" files
  files=( $(ls "$dir" | sort | head -n "$n") )
  if [ "$(ls "$dir" | wc -l)" -le "$n" ]; then echo "$dir"; return; fi
  local out="$DERIVED/$name"
  if [ ! -d "$out" ] || [ "$(ls "$out" | wc -l)" -ne "${#files[@]}" ]; then
    rm -rf "$out"; mkdir -p "$out"
    for f in "${files[@]}"; do ln "$dir/$f" "$out/$f" 2>/dev/null || cp "$dir/$f" "$out/$f"; done
  fi
  echo "$out"
}

# ---- distinct-host mode (--hosts N) -----------------------------------------------------------
if [ "$HOSTS" -gt 0 ]; then
  has_command analyze || { echo "run.sh: $POAM has no analyze command" >&2; exit 2; }
  say "distinct-host checklists in $CORPUS/hosts (generated when missing)"
  gen_start=$(date +%s.%N)
  python3 "$ROOT/Scripts/bench/generate_corpus.py" "$CORPUS" --only hosts --hosts-count "$HOSTS" \
    || { echo "run.sh: corpus generation failed" >&2; exit 2; }
  say "corpus ready in $(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f s", b-a}') (instant when it existed)"
  # cached_share DIR: bytes of DIR's files in the page cache / their size, 0.000-1.000 (fincore).
  cached_share() {
    if ! command -v fincore >/dev/null; then echo null; return; fi
    find "$1" -maxdepth 1 -type f -print0 | xargs -0 fincore -b -n -o RES,SIZE 2>/dev/null \
      | awk '{r += $1; s += $2} END {if (s > 0) printf "%.3f", r / s; else print "null"}'
  }
  MEASURE_MAX_RSS_MB="$MAX_RSS_MB"; MEASURE_MAX_SECONDS="$MAX_SECONDS"
  mkdir -p "$OUTDIR"
  for n in $(( HOSTS / 10 )) "$HOSTS"; do
    dir="$(subset "$CORPUS/hosts" "$n" "hosts-$n")"
    count=$(find "$dir" -maxdepth 1 -type f -name '*.ckl' | wc -l)
    [ "$count" -eq "$n" ] || { echo "run.sh: $dir holds $count checklists, expected $n" >&2; exit 2; }
    bytes=$(find "$dir" -maxdepth 1 -type f -name '*.ckl' -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
    out="$OUTDIR/hosts-$n"
    rm -rf "$out"
    if [ "$CACHE" = cold ]; then
      if [ "$(id -u)" = 0 ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
        cache="cold: page cache dropped (sync; echo 3 > /proc/sys/vm/drop_caches) before the run"
      else
        cache="cold requested, but the page cache could not be dropped (not root): the input may be partly cached"
      fi
    else
      say "reading the $n checklists once (warm page cache)"
      find "$dir" -maxdepth 1 -type f -name '*.ckl' -print0 | xargs -0 cat > /dev/null
      cache="warm: every file read once before the run"
    fi
    share=$(cached_share "$dir")
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    MEASURE_EXTRA=",\"cache\":$(json_escape "$cache"),\"cached_share\":$share,\"load_before\":$(json_escape "$load_before"),\"max_rss_mb\":$MAX_RSS_MB,\"max_seconds\":$MAX_SECONDS"
    measure hosts "$n checklists" "$bytes" "$n" 1 -- "$POAM" analyze "$dir" --out "$out"
    load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
    # Every file the run wrote (the six outputs, any evidence file, and poam's own .poam/ files).
    python3 - "$out" "$n" "$load_after" >> "$RAW" <<'PY'
import json, os, sys
out, n, load = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = {}
for folder, _, names in os.walk(out):
    for name in names:
        path = os.path.join(folder, name)
        files[os.path.relpath(path, out)] = os.path.getsize(path)
print(json.dumps({"group": "hosts-outputs", "label": "%d checklists" % n, "files": dict(sorted(files.items())), "load_after": load}))
PY
  done
  unset MEASURE_EXTRA MEASURE_MAX_RSS_MB MEASURE_MAX_SECONDS
  export BENCH_LOAD="see each run"
  COMMAND="Scripts/bench/run.sh --hosts $HOSTS --cache $CACHE --max-rss-mb $MAX_RSS_MB --max-seconds $MAX_SECONDS"
  python3 "$ROOT/Scripts/bench/report.py" --hosts "$RAW" "$COMMAND" "$POAM" "$CORPUS" > "$BENCH/hosts-results.md"
  cat "$BENCH/hosts-results.md"
  exit 0
fi

if [ "$QUICK" = 1 ]; then
  SIZES="10MB"; NCKL=100; NCKLB=20; CSV_ROWS=100k; CSV_TENTH_ROWS=10000; HDF="$CORPUS/hdf/hdf-10MB.json"
else
  SIZES="10MB 100MB 1GB"; NCKL=1000; NCKLB=200; CSV_ROWS=1M; CSV_TENTH_ROWS=100000; HDF="$CORPUS/hdf/hdf-100MB.json"
fi
CKL_DIR="$(subset "$CORPUS/ckl" "$NCKL" "ckl-$NCKL")"
NCKL=$(ls "$CKL_DIR" | wc -l)
CKL_TENTH="$(subset "$CORPUS/ckl" $(( NCKL / 10 )) "ckl-$(( NCKL / 10 ))")"
CKLB_DIR="$(subset "$CORPUS/cklb" "$NCKLB" "cklb-$NCKLB")"
NCKLB=$(ls "$CKLB_DIR" | wc -l)
CSV_BIG="$CORPUS/csv/assessment-$CSV_ROWS.csv"
CSV_TENTH="$CORPUS/csv/assessment-100k.csv"
if [ "$QUICK" = 1 ]; then
  CSV_TENTH="$DERIVED/assessment-10k.csv"
  if [ ! -f "$CSV_TENTH" ]; then
    python3 - "$CSV_BIG" "$CSV_TENTH" "$CSV_TENTH_ROWS" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as src, open(sys.argv[2], "w", newline="", encoding="utf-8") as dst:
    writer = csv.writer(dst)
    for index, row in enumerate(csv.reader(src)):
        if index > int(sys.argv[3]):
            break
        writer.writerow(row)
PY
  fi
fi
XML_FILES=()
for kind in xccdf arf; do for size in $SIZES; do XML_FILES+=("$CORPUS/$kind/$kind-$size.xml"); done; done

# ---- 1. reading: poam import and poam gaps next to xmllint --stream --------------------------
# `poam import --format json` prints every observation; `poam gaps` reads and scores the same
# input but prints a one-screen summary, so it shows the reading without the printing.
read_input() { # LABEL FILES TARGET [XMLLINT-FILES...]
  local label="$1" files="$2" target="$3"; shift 3
  local bytes runs
  bytes=$(size_of "$target"); runs=$(runs_for "$bytes")
  if [ -d "$target" ]; then warm "$target"/*; else warm "$target"; fi
  if [ $# -gt 0 ]; then measure xmllint "$label" "$bytes" "$files" "$runs" -- xmllint --stream --noout "$@"; fi
  for command in import gaps; do
    if ! has_command "$command"; then skip "$command" "$label" "poam $command is not in this build" "$bytes"; continue; fi
    if [ "$command" = import ]; then
      measure import "$label" "$bytes" "$files" "$runs" -- "$POAM" import "$target" --format json
    else
      measure gaps "$label" "$bytes" "$files" "$runs" -- "$POAM" gaps "$target"
    fi
  done
}
for f in "${XML_FILES[@]}"; do
  [ -f "$f" ] || continue
  label="$(basename "$f" .xml | tr a-z A-Z | sed 's/-/ /; s/MB$/ MB/; s/GB$/ GB/')"
  read_input "$label" 1 "$f" "$f"
done
# A Nessus scan, when the corpus has one (generate_corpus.py --only nessus): same XML target.
for f in "$CORPUS"/nessus/*.nessus; do
  [ -f "$f" ] || continue
  read_input "Nessus $(basename "$f" .nessus | sed 's/^scan-//; s/MB$/ MB/; s/GB$/ GB/')" 1 "$f" "$f"
done
read_input "$NCKL CKL files" "$NCKL" "$CKL_DIR" "$CKL_DIR"/*
read_input "$NCKLB CKLB files" "$NCKLB" "$CKLB_DIR"
read_input "HDF $(basename "$HDF" .json | sed 's/hdf-//; s/MB$/ MB/')" 1 "$HDF"
read_input "CSV $CSV_ROWS rows" 1 "$CSV_BIG"

# ---- 2. analyze end to end -----------------------------------------------------------------
rm -rf "$OUTDIR"; mkdir -p "$OUTDIR"
ALL=("${XML_FILES[@]}" "$CKL_DIR" "$CKLB_DIR" "$HDF" "$CSV_BIG")
all_files=$(( ${#XML_FILES[@]} + NCKL + NCKLB + 2 ))
if has_command analyze; then
  measure analyze "$NCKL CKL files" "$(size_of "$CKL_DIR")" "$NCKL" 1 -- "$POAM" analyze "$CKL_DIR" --out "$OUTDIR/ckl"
  measure analyze "whole corpus" "$(size_of "${ALL[@]}")" "$all_files" 1 -- "$POAM" analyze "${ALL[@]}" --out "$OUTDIR/all"
else
  skip analyze "$NCKL CKL files" "poam analyze is not in this build"
  skip analyze "whole corpus" "poam analyze is not in this build"
fi

# ---- 3. start-up: poam gaps on a small file ------------------------------------------------
SMALL="$CORPUS/csv/assessment-small.csv"
gaps_ok=0
if has_command gaps; then
  "$POAM" gaps "$SMALL" >/dev/null 2>"$BENCH/gaps.err"; rc=$?
  if [ "$rc" -eq 0 ]; then gaps_ok=1; else skip startup "poam gaps (110-row CSV)" "poam gaps exited $rc: $(head -n 1 "$BENCH/gaps.err")"; fi
else
  skip startup "poam gaps (110-row CSV)" "poam gaps is not in this build"
fi
loop_times() { # LABEL COMMAND... : 3 warm-up runs, then 30 timed runs
  local label="$1"; shift
  local times=() tfile wall
  tfile="$(mktemp)"
  for ((i = 0; i < 33; i++)); do
    python3 "$ROOT/Scripts/bench/timeit.py" "$tfile" /dev/null -- "$@" || { echo "run.sh: cannot run $1" >&2; exit 2; }
    read -r wall _ < "$tfile"
    [ "$i" -ge 3 ] && times+=( "$wall" )
  done
  rm -f "$tfile"
  printf '{"group":"startup","label":%s,"tool":"loop","times_ms":[%s],"command":%s}\n' "$(json_escape "$label")" \
    "$(printf '%s\n' "${times[@]}" | awk '{printf "%s%.3f", (NR>1?",":""), $1/1000}')" \
    "$(json_escape "$(echo "$*" | sed "s#$POAM#poam#; s#$CORPUS/##g")")" >> "$RAW"
}
if [ "$gaps_ok" = 1 ]; then
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs 30 --export-json "$BENCH/hyperfine-gaps.json" "$POAM gaps $SMALL" >/dev/null 2>&1
    python3 - "$BENCH/hyperfine-gaps.json" "$RAW" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
with open(sys.argv[2], "a") as out:
    out.write(json.dumps({"group": "startup", "label": "poam gaps (110-row CSV)", "tool": "hyperfine",
                          "times_ms": [t * 1000 for t in sorted(r["times"])],
                          "command": "poam gaps csv/assessment-small.csv"}) + "\n")
PY
  else
    loop_times "poam gaps (110-row CSV)" "$POAM" gaps "$SMALL"
  fi
  say "gaps start-up measured"
fi
# Reference points: the bare process, and process plus catalog decoding.
loop_times "poam --version" "$POAM" --version
loop_times "poam catalog AC.L2-3.1.1" "$POAM" catalog AC.L2-3.1.1

# ---- 4. linearity: 10x inputs --------------------------------------------------------------
if has_command analyze; then
  measure linear "CSV $CSV_TENTH_ROWS rows" "$(size_of "$CSV_TENTH")" 1 1 -- "$POAM" analyze "$CSV_TENTH" --out "$OUTDIR/lin-csv-small"
  measure linear "CSV $CSV_ROWS rows" "$(size_of "$CSV_BIG")" 1 1 -- "$POAM" analyze "$CSV_BIG" --out "$OUTDIR/lin-csv-big"
  # The 10x CKL run is the "$NCKL CKL files" analyze measured above.
  measure linear "$(( NCKL / 10 )) CKL files" "$(size_of "$CKL_TENTH")" $(( NCKL / 10 )) 1 -- "$POAM" analyze "$CKL_TENTH" --out "$OUTDIR/lin-ckl-small"
else
  skip linear "CSV rows 1x/10x" "poam analyze is not in this build"
  skip linear "CKL files 1x/10x" "poam analyze is not in this build"
fi

# ---- report ----------------------------------------------------------------------------------
LOAD_END="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)"
export BENCH_LOAD="$LOAD_START at start, $LOAD_END at end"
COMMAND="Scripts/bench/run.sh$([ "$QUICK" = 1 ] && echo ' --quick')"
python3 "$ROOT/Scripts/bench/report.py" "$RAW" "$COMMAND" "$POAM" "$CORPUS" > "$BENCH/results.md"
cat "$BENCH/results.md"
