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
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/.bench"
CORPUS="$BENCH/corpus"
QUICK=0
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --corpus) CORPUS="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# ---- prerequisites (nothing is installed by this script) ---------------------------------
missing=()
command -v xmllint >/dev/null || missing+=("xmllint (apt-get install libxml2-utils)")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
command -v python3 >/dev/null || missing+=("python3 (apt-get install python3)")
command -v swift >/dev/null || missing+=("swift (a Swift 6.1+ toolchain on PATH)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

mkdir -p "$BENCH"
RAW="$BENCH/raw.jsonl"
OUTDIR="$BENCH/out"
: > "$RAW"
say() { echo "bench: $*" >&2; }

# ---- build and corpus ----------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  say "swift build -c release"
  (cd "$ROOT" && swift build -c release 2>&1 | tail -3) >&2 || { echo "run.sh: release build failed" >&2; exit 2; }
fi
POAM="$ROOT/.build/release/poam"
[ -x "$POAM" ] || { echo "run.sh: $POAM not found (build first or drop --no-build)" >&2; exit 2; }

GEN_ARGS=("$CORPUS")
[ "$QUICK" = 1 ] && GEN_ARGS+=(--quick)
say "corpus in $CORPUS (generated when missing)"
python3 "$ROOT/Scripts/bench/generate_corpus.py" "${GEN_ARGS[@]}" || { echo "run.sh: corpus generation failed" >&2; exit 2; }

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
  local best="" rss=0 user=0 sys=0 rc=0 tfile err
  tfile="$(mktemp)"; err="$(mktemp)"
  for ((i = 0; i < runs; i++)); do
    local start end wall
    start=$(date +%s%N)
    /usr/bin/time -f '%e %M %U %S' -o "$tfile" "$@" >/dev/null 2>"$err"
    rc=$?
    end=$(date +%s%N)
    wall=$(( (end - start) / 1000 ))
    read -r _ m u s < <(tail -n 1 "$tfile")
    [ "$m" -gt "$rss" ] && rss=$m
    if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then best=$wall; user=$u; sys=$s; fi
    [ "$rc" -ne 0 ] && break
  done
  local stderr_line
  stderr_line="$(grep -v '^\s*$' "$err" | grep -iv 'warning\|note:' | head -n 1)"
  printf '{"group":%s,"label":%s,"bytes":%s,"files":%s,"runs":%s,"wall_us":%s,"rss_kb":%s,"user":%s,"sys":%s,"exit":%s,"command":%s,"stderr":%s}\n' \
    "$(json_escape "$group")" "$(json_escape "$label")" "$bytes" "$files" "$runs" "$best" "$rss" "$user" "$sys" "$rc" \
    "$(json_escape "$(echo "$*" | sed "s#$ROOT/##g; s#$CORPUS/##g")")" "$(json_escape "$stderr_line")" >> "$RAW"
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

# ---- 1. import throughput vs xmllint -------------------------------------------------------
if [ "$QUICK" = 1 ]; then SIZES="10MB"; else SIZES="10MB 100MB 1GB"; fi
for kind in xccdf arf; do
  for size in $SIZES; do
    f="$CORPUS/$kind/$kind-$size.xml"
    [ -f "$f" ] || continue
    bytes=$(size_of "$f"); runs=$(runs_for "$bytes"); label="$(echo "$kind" | tr a-z A-Z) $size"
    warm "$f"
    measure xmllint "$label" "$bytes" 1 "$runs" -- xmllint --stream --noout "$f"
    if has_command import; then
      measure import "$label" "$bytes" 1 "$runs" -- "$POAM" import "$f" --format json
    else
      skip import "$label" "poam import is not in this build yet" "$bytes"
    fi
  done
done

CKLS=( "$CORPUS"/ckl/*.ckl )
NCKL=${#CKLS[@]}
ckl_bytes=$(size_of "${CKLS[@]}")
warm "${CKLS[@]}"
measure xmllint "$NCKL CKL files" "$ckl_bytes" "$NCKL" 1 -- xmllint --stream --noout "${CKLS[@]}"
if has_command import; then
  measure import "$NCKL CKL files" "$ckl_bytes" "$NCKL" 1 -- "$POAM" import "$CORPUS/ckl" --format json
else
  skip import "$NCKL CKL files" "poam import is not in this build yet" "$ckl_bytes"
fi

CKLBS=( "$CORPUS"/cklb/*.cklb )
HDF=$(ls "$CORPUS"/hdf/*.json | head -n 1)
if [ "$QUICK" = 1 ]; then CSV_BIG="$CORPUS/csv/assessment-100k.csv"; else CSV_BIG="$CORPUS/csv/assessment-1M.csv"; fi
for entry in "cklb|${#CKLBS[@]} CKLB files|$CORPUS/cklb" "hdf|HDF $(basename "$HDF" .json | sed 's/hdf-//')|$HDF" "csv|CSV $(basename "$CSV_BIG" .csv | sed 's/assessment-//') rows|$CSV_BIG"; do
  IFS='|' read -r kind label target <<< "$entry"
  bytes=$(size_of "$target"); files=1
  [ -d "$target" ] && files=$(ls "$target" | wc -l)
  warm "$target"/* 2>/dev/null || warm "$target"
  if has_command import; then
    measure import "$label" "$bytes" "$files" "$(runs_for "$bytes")" -- "$POAM" import "$target" --format json
  else
    skip import "$label" "poam import is not in this build yet" "$bytes"
  fi
done

# ---- 2. analyze end to end -----------------------------------------------------------------
rm -rf "$OUTDIR"; mkdir -p "$OUTDIR"
if has_command analyze; then
  measure analyze "$NCKL CKL files" "$ckl_bytes" "$NCKL" 1 -- "$POAM" analyze "$CORPUS/ckl" --out "$OUTDIR/ckl"
  ALL=("$CORPUS/xccdf" "$CORPUS/arf" "$CORPUS/ckl" "$CORPUS/cklb" "$CORPUS/hdf" "$CSV_BIG")
  all_files=$(( $(ls "$CORPUS/xccdf" "$CORPUS/arf" "$CORPUS/ckl" "$CORPUS/cklb" "$CORPUS/hdf" | grep -c '\.') + 1 ))
  measure analyze "whole corpus" "$(size_of "${ALL[@]}")" "$all_files" 1 -- "$POAM" analyze "${ALL[@]}" --out "$OUTDIR/all"
else
  skip analyze "$NCKL CKL files" "poam analyze is not in this build yet"
  skip analyze "whole corpus" "poam analyze is not in this build yet"
fi

# ---- 3. start-up: poam gaps on a small file ------------------------------------------------
SMALL="$CORPUS/csv/assessment-small.csv"
gaps_ok=0
if has_command gaps; then
  "$POAM" gaps "$SMALL" >/dev/null 2>"$BENCH/gaps.err"; rc=$?
  # 0 = gaps found and reported; any other code means the run itself failed.
  if [ "$rc" -eq 0 ]; then gaps_ok=1; else skip startup "poam gaps (110-row CSV)" "poam gaps exited $rc: $(head -n 1 "$BENCH/gaps.err")"; fi
fi
if [ "$gaps_ok" = 1 ]; then
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs 30 --export-json "$BENCH/hyperfine-gaps.json" "$POAM gaps $SMALL" >/dev/null 2>&1
    python3 - "$BENCH/hyperfine-gaps.json" "$RAW" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
times = sorted(r["times"])
with open(sys.argv[2], "a") as out:
    out.write(json.dumps({"group": "startup", "label": "poam gaps (110-row CSV)", "tool": "hyperfine",
                          "times_ms": [t * 1000 for t in times], "command": "poam gaps csv/assessment-small.csv"}) + "\n")
EOF
  else
    times=()
    for ((i = 0; i < 33; i++)); do
      start=$(date +%s%N); "$POAM" gaps "$SMALL" >/dev/null 2>&1; end=$(date +%s%N)
      [ "$i" -ge 3 ] && times+=( $(( (end - start) / 1000 )) )   # 3 warm-up runs
    done
    printf '{"group":"startup","label":"poam gaps (110-row CSV)","tool":"loop","times_ms":[%s],"command":"poam gaps csv/assessment-small.csv"}\n' \
      "$(printf '%s\n' "${times[@]}" | awk '{printf "%s%.3f", (NR>1?",":""), $1/1000}')" >> "$RAW"
  fi
  say "gaps start-up measured"
elif ! has_command gaps; then
  skip startup "poam gaps (110-row CSV)" "poam gaps is not in this build yet"
fi
# Reference point: process start plus catalog decoding, without any input.
times=()
for ((i = 0; i < 23; i++)); do
  start=$(date +%s%N); "$POAM" catalog AC.L2-3.1.1 >/dev/null 2>&1; end=$(date +%s%N)
  [ "$i" -ge 3 ] && times+=( $(( (end - start) / 1000 )) )
done
printf '{"group":"startup","label":"poam catalog AC.L2-3.1.1","tool":"loop","times_ms":[%s],"command":"poam catalog AC.L2-3.1.1"}\n' \
  "$(printf '%s\n' "${times[@]}" | awk '{printf "%s%.3f", (NR>1?",":""), $1/1000}')" >> "$RAW"

# ---- 4. linearity: 10x inputs --------------------------------------------------------------
DERIVED="$BENCH/derived"; mkdir -p "$DERIVED"
if [ "$QUICK" = 1 ]; then CSV_SMALL="$DERIVED/assessment-10k.csv"; SMALL_ROWS=10000; else CSV_SMALL="$CORPUS/csv/assessment-100k.csv"; SMALL_ROWS=100000; fi
if [ ! -f "$CSV_SMALL" ]; then
  python3 - "$CSV_BIG" "$CSV_SMALL" "$SMALL_ROWS" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as src, open(sys.argv[2], "w", newline="", encoding="utf-8") as dst:
    reader, writer = csv.reader(src), csv.writer(dst)
    for index, row in enumerate(reader):
        if index > int(sys.argv[3]):
            break
        writer.writerow(row)
EOF
fi
TENTH=$(( NCKL / 10 ))
CKL_TENTH="$DERIVED/ckl-$TENTH"
if [ ! -d "$CKL_TENTH" ] || [ "$(ls "$CKL_TENTH" | wc -l)" -ne "$TENTH" ]; then
  rm -rf "$CKL_TENTH"; mkdir -p "$CKL_TENTH"
  ln "${CKLS[@]:0:$TENTH}" "$CKL_TENTH"/ 2>/dev/null || cp "${CKLS[@]:0:$TENTH}" "$CKL_TENTH"/
fi
if has_command analyze; then
  big_rows=$(( SMALL_ROWS * 10 ))
  measure linear "CSV $SMALL_ROWS rows" "$(size_of "$CSV_SMALL")" 1 1 -- "$POAM" analyze "$CSV_SMALL" --out "$OUTDIR/lin-csv-small"
  measure linear "CSV $big_rows rows" "$(size_of "$CSV_BIG")" 1 1 -- "$POAM" analyze "$CSV_BIG" --out "$OUTDIR/lin-csv-big"
  # The 10x CKL run is the "$NCKL CKL files" analyze measured above.
  measure linear "$TENTH CKL files" "$(size_of "$CKL_TENTH")" "$TENTH" 1 -- "$POAM" analyze "$CKL_TENTH" --out "$OUTDIR/lin-ckl-small"
else
  skip linear "CSV rows 1x/10x" "poam analyze is not in this build yet"
  skip linear "CKL files 1x/10x" "poam analyze is not in this build yet"
fi

# ---- report ----------------------------------------------------------------------------------
LOAD_END="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)"
export BENCH_LOAD="$LOAD_START at start, $LOAD_END at end"
COMMAND="Scripts/bench/run.sh$([ "$QUICK" = 1 ] && echo ' --quick')"
python3 "$ROOT/Scripts/bench/report.py" "$RAW" "$COMMAND" "$POAM" "$CORPUS" > "$BENCH/results.md"
cat "$BENCH/results.md"
