#!/usr/bin/env python3
"""Turns the raw measurements of Scripts/bench/run.sh into the Markdown results table.

    report.py RAW.jsonl COMMAND POAM_BINARY CORPUS_DIR > results.md
    report.py --hosts HOSTS-RAW.jsonl COMMAND POAM_BINARY CORPUS_DIR > hosts-results.md
"""

import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

MB = 1_000_000


def sh(*args):
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=30)
        return (out.stdout + out.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(poam):
    cpu = re.search(r"Model name:\s*(.+)", sh("lscpu"))
    mem = re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read()) if os.path.exists("/proc/meminfo") else None
    osname = ""
    if os.path.exists("/etc/os-release"):
        found = re.search(r'PRETTY_NAME="([^"]+)"', open("/etc/os-release").read())
        osname = found.group(1) if found else ""
    swift = re.search(r"Swift version (\S+)", sh("swift", "--version"))
    libxml = re.search(r"using libxml version (\d+)", sh("xmllint", "--version"))
    libxml_version = ""
    if libxml:
        number = int(libxml.group(1))
        libxml_version = "%d.%d.%d" % (number // 10000, number // 100 % 100, number % 100)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    commit = sh("git", "-C", root, "rev-parse", "--short", "HEAD")
    dirty = sh("git", "-C", root, "status", "--porcelain", "--untracked-files=no")
    return [
        ("CPU", "%s, %s cores (nproc)" % (cpu.group(1).strip() if cpu else platform.processor() or "?", os.cpu_count())),
        ("memory", "%.1f GiB" % (int(mem.group(1)) / 1024 / 1024) if mem else "?"),
        ("OS", "%s, Linux %s" % (osname, platform.release())),
        ("toolchain", "Swift %s (release build), libxml2 %s" % (swift.group(1) if swift else "?", libxml_version or "?")),
        ("poam", "commit %s%s, `%s`" % (commit or "?", " (uncommitted changes)" if dirty else "", os.path.basename(poam))),
        ("load average", os.environ.get("BENCH_LOAD", "?") + " (1-minute; the machine's own work during the run)"),
    ]


def seconds(row):
    return row["wall_us"] / 1e6


def mbps(row):
    return row["bytes"] / MB / seconds(row) if row["wall_us"] else 0.0


def rss(row):
    return "%.0f MB" % (row["rss_kb"] / 1024)


def size(nbytes):
    if nbytes >= 1000 * MB:
        return "%.2f GB" % (nbytes / 1000 / MB)
    return "%.1f MB" % (nbytes / MB)


def failed(row):
    return row.get("exit", 0) != 0


def cell(row, text):
    if row is None:
        return "not measured"
    if "skipped" in row:
        return "not measured (%s)" % row["skipped"]
    if failed(row):
        return "FAILED (exit %d: %s)" % (row["exit"], row.get("stderr", "")[:80])
    return text


OUTPUT_ORDER = ["gap-report.json", "poam.json", "poam.csv", "poam.xlsx", "report.md", "report.html"]


def hosts_report(raw, command, poam, corpus):
    """The distinct-host runs (run.sh --hosts N): one table of the runs, one of the output sizes."""
    rows = [json.loads(line) for line in open(raw) if line.strip()]
    runs = [r for r in rows if r["group"] == "hosts"]
    outputs = {r["label"]: r for r in rows if r["group"] == "hosts-outputs"}
    out = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out.append("# poam analyze on distinct-host checklists\n")
    out.append("Measured %s with `%s` (release build; MB = 10^6 bytes; RSS = peak resident set of the child; "
               "wall = spawn to exit; CPU = (user+sys)/wall, 2.00 = both cores busy; a run the watchdog killed shows the "
               "time and RSS when it was killed). Each checklist is a 2 MB "
               "STIG Viewer CKL with its own HOST_NAME, so N checklists are N assets. Corpus: `%s/hosts`.\n"
               % (now, command, corpus))
    out.append("| machine | |\n|---|---|")
    for key, value in machine(poam):
        if key != "load average":
            out.append("| %s | %s |" % (key, value))
    out.append("")
    out.append("| checklists | input | wall | CPU | peak RSS | result | page cache at start | load average (1, 5, 15 min) before → after |")
    out.append("|---:|---:|---:|---:|---:|---|---|---|")
    for row in runs:
        wall = seconds(row)
        cpu = (float(row["user"]) + float(row["sys"])) / wall if wall else 0
        if row.get("killed_s") is not None:
            limit = row.get("max_seconds")
            if limit is not None and row["killed_s"] >= limit:
                result = "**did not finish**: killed by the watchdog after %.0f s (time limit)" % row["killed_s"]
            else:
                limit = "{:,} MB".format(row["max_rss_mb"]) if row.get("max_rss_mb") else "the watchdog's limit"
                result = "**did not finish**: killed when RSS passed %s, %.0f s after the start" % (limit, row["killed_s"])
        elif failed(row):
            result = "FAILED (exit %d: %s)" % (row["exit"], row.get("stderr", "")[:80])
        else:
            result = "finished"
        share = row.get("cached_share")
        cached = ("%.0f%% of the input cached" % (100 * share)) if share is not None else "unknown (no fincore)"
        after = outputs.get(row["label"], {}).get("load_after", "?")
        out.append("| {:,} | {} | {:.1f} s | {:.2f} | {:,} MB | {} | {}; {} | {} → {} |".format(
            row["files"], size(row["bytes"]), wall, cpu, round(row["rss_kb"] * 1024 / MB), result,
            row.get("cache", "?"), cached, row.get("load_before", "?"), after))
    out.append("")
    if len(runs) == 2 and not any(failed(r) or r.get("killed_s") is not None for r in runs):
        small, big = runs
        out.append("10× the checklists: %.1f× the time, %.2f× the peak RSS.\n" % (
            seconds(big) / seconds(small), big["rss_kb"] / small["rss_kb"]))
    names = []
    for label in [r["label"] for r in runs]:
        for name in outputs.get(label, {}).get("files", {}):
            if name not in names:
                names.append(name)
    names.sort(key=lambda n: (OUTPUT_ORDER.index(n) if n in OUTPUT_ORDER else len(OUTPUT_ORDER), n.startswith("."), n))
    out.append("Every file written into the output folder (bytes; `.poam/` is poam's own record of the set):\n")
    labels = [r["label"] for r in runs]
    out.append("| file | " + " | ".join(labels) + " |")
    out.append("|---|" + "---:|" * len(labels))
    for name in names:
        cells = []
        for label in labels:
            found = outputs.get(label, {}).get("files", {})
            cells.append("{:,}".format(found[name]) if name in found else "—")
        out.append("| %s | %s |" % (name, " | ".join(cells)))
    if not names:
        out.append("| (no output written) |" + " |" * len(labels))
    out.append("")
    print("\n".join(out))


def main():
    if sys.argv[1] == "--hosts":
        hosts_report(*sys.argv[2:6])
        return
    raw, command, poam, corpus = sys.argv[1:5]
    rows = [json.loads(line) for line in open(raw) if line.strip()]

    def find(group, label):
        for row in rows:
            if row["group"] == group and row["label"] == label:
                return row
        return None

    out = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out.append("# poam performance\n")
    out.append("Measured %s with `%s` (release build; every file read once before it is timed, so the page cache is warm; "
               "MB = 10^6 bytes; RSS = peak resident set (`ru_maxrss` of the child, via Scripts/bench/timeit.py); wall = spawn to exit of the command alone).\n" % (now, command))
    out.append("| machine | |\n|---|---|")
    for key, value in machine(poam):
        out.append("| %s | %s |" % (key, value))
    out.append("")

    # Reading
    out.append("## Reading: throughput and memory\n")
    out.append("`poam import INPUT --format json` prints every observation; `poam gaps INPUT` reads and scores the "
               "same input and prints a one-screen summary (so it is the reading without the printing); "
               "`xmllint --stream --noout` reads the same XML with libxml2's streaming reader and does nothing else. "
               "Output goes to /dev/null. Best of 5 runs below 50 MB, of 3 below 300 MB, 1 run above. "
               "poam reads many files two at a time (one reader per core); xmllint reads them one after the other.\n")
    out.append("| input | size | xmllint --stream | MB/s | poam import | MB/s | peak RSS | vs xmllint | poam gaps | MB/s | peak RSS | vs xmllint |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    labels = []
    for row in rows:
        if row["group"] in ("import", "xmllint", "gaps") and row["label"] not in labels:
            labels.append(row["label"])
    ratios = {}

    def ok(row):
        return row is not None and "skipped" not in row and not failed(row)

    for label in labels:
        ref, imp, gap = find("xmllint", label), find("import", label), find("gaps", label)
        nbytes = max((r or {}).get("bytes", 0) or 0 for r in (ref, imp, gap))
        cells = [label, size(nbytes) if nbytes else "?"]
        cells += [cell(ref, "%.3f s" % seconds(ref)) if ok(ref) else ("—" if ref is None else cell(ref, "")),
                  "%.0f" % mbps(ref) if ok(ref) else "—"]
        for name, row in (("import", imp), ("gaps", gap)):
            if ok(row):
                ratio = "—"
                if ok(ref):
                    ratios[(name, label)] = mbps(row) / mbps(ref)
                    ratio = "%.2f×" % ratios[(name, label)]
                cells += ["%.3f s" % seconds(row), "%.0f" % mbps(row), rss(row), ratio]
            else:
                cells += [cell(row, ""), "—", "—", "—"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    # Marginal throughput: what each extra MB costs, with every fixed cost (process start, catalog,
    # CCI list, scoring, report) taken out by differencing two sizes of the same kind of file.
    marginal = []
    for kind in ("XCCDF", "ARF"):
        sized = sorted({r["bytes"]: r["label"] for r in rows if r["label"].startswith(kind + " ") and r.get("bytes")}.items())
        for (small_bytes, small), (big_bytes, big) in zip(sized, sized[1:]):
            cells = ["%s %s → %s" % (kind, small.split(" ", 1)[1], big.split(" ", 1)[1])]
            rates = {}
            for name in ("xmllint", "import", "gaps"):
                a, b = find(name, small), find(name, big)
                if ok(a) and ok(b) and b["wall_us"] > a["wall_us"]:
                    rates[name] = (big_bytes - small_bytes) / MB / ((b["wall_us"] - a["wall_us"]) / 1e6)
            for name in ("xmllint", "import", "gaps"):
                if name not in rates:
                    cells.append("—")
                elif name == "xmllint" or "xmllint" not in rates:
                    cells.append("%.0f MB/s" % rates[name])
                else:
                    cells.append("%.0f MB/s (%.2f×)" % (rates[name], rates[name] / rates["xmllint"]))
            marginal.append("| " + " | ".join(cells) + " |")
    if marginal:
        out.append("### Marginal throughput\n")
        out.append("The same files, differenced: (bytes of the larger − bytes of the smaller) / (time of the larger − time "
                   "of the smaller). This is what each extra megabyte costs once the fixed costs are paid (for poam: process "
                   "start, catalog, CCI list, scoring and the report; for xmllint: its start). It does not replace the "
                   "end-to-end ratios above, which include those costs.\n")
        out.append("| files | xmllint --stream | poam import | poam gaps |")
        out.append("|---|---:|---:|---:|")
        out.extend(marginal)
        out.append("")

    # Analyze
    out.append("## End to end: `poam analyze`\n")
    out.append("All outputs written (gap report, OSCAL POA&M, CSV, XLSX, Markdown, HTML). CPU = (user+sys)/wall; 2.00 means both cores busy the whole time.\n")
    out.append("| input | files | size | wall | CPU | peak RSS |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        if row["group"] != "analyze":
            continue
        ok = "skipped" not in row and not failed(row)
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            row["label"], row.get("files", "—"), size(row["bytes"]) if row.get("bytes") else "—",
            cell(row, "%.2f s" % seconds(row) if ok else ""),
            "%.2f" % ((float(row["user"]) + float(row["sys"])) / seconds(row)) if ok else "—", rss(row) if ok else "—"))
    out.append("")

    # Start-up
    out.append("## Start-up\n")
    out.append("| command | runs | median | mean | min | max |")
    out.append("|---|---:|---:|---:|---:|---:|")
    startup = {}
    for row in rows:
        if row["group"] != "startup":
            continue
        if "skipped" in row:
            out.append("| %s | not measured (%s) | | | | |" % (row["label"], row["skipped"]))
            continue
        times = row["times_ms"]
        startup[row["label"]] = statistics.median(times)
        out.append("| `%s` (%s) | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |" % (
            row["command"], row.get("tool", "loop"), len(times), statistics.median(times), statistics.mean(times), min(times), max(times)))
    out.append("")

    # Linearity
    out.append("## Linearity: 10× the input\n")
    out.append("`poam analyze` (import, resolve, gap engine, POA&M drafting, all exports) on an input and on ten times that input. "
               "A linear pipeline gives a ratio near 10 (a little under, because start-up is paid once).\n")
    out.append("| input | 1× | 10× | ratio |")
    out.append("|---|---:|---:|---:|")
    linear = {}
    pairs = []
    lin_rows = [r for r in rows if r["group"] == "linear"]
    csv_rows = [r for r in lin_rows if r["label"].startswith("CSV")]
    if len(csv_rows) == 2:
        pairs.append(("assessment CSV rows", csv_rows[0], csv_rows[1]))
    ckl_small = [r for r in lin_rows if r["label"].endswith("CKL files")]
    ckl_big = [r for r in rows if r["group"] == "analyze" and r["label"].endswith("CKL files")]
    if ckl_small and ckl_big:
        pairs.append(("CKL files", ckl_small[0], ckl_big[0]))
    for name, small, big in pairs:
        ok = all("skipped" not in r and not failed(r) for r in (small, big))
        ratio = seconds(big) / seconds(small) if ok else None
        if ratio:
            linear[name] = ratio
        out.append("| %s: %s → %s | %s | %s | %s |" % (
            name, small["label"].split(" ")[1] if name.startswith("assessment") else small["label"].split(" ")[0],
            big["label"].split(" ")[1] if name.startswith("assessment") else big["label"].split(" ")[0],
            cell(small, "%.2f s" % seconds(small) if ok else ""), cell(big, "%.2f s" % seconds(big) if ok else ""),
            "%.1f" % ratio if ratio else "—"))
    for row in lin_rows:
        if "skipped" in row:
            out.append("| %s | not measured (%s) | | |" % (row["label"], row["skipped"]))
    out.append("")

    # Targets
    out.append("## Targets (issue 8)\n")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")

    def verdict(ok):
        return "yes" if ok else "**no**"

    def xml(label):
        return label.startswith(("XCCDF", "ARF", "Nessus")) or "CKL files" in label and "CKLB" not in label

    for name, what in (("gaps", "`poam gaps` (read and score)"), ("import", "`poam import` (read and print every observation)")):
        found = {label: value for (kind, label), value in ratios.items() if kind == name and xml(label)}
        if found:
            worst = min(found, key=found.get)
            listed = ", ".join("%s %.2f×" % (label, value) for label, value in found.items())
            out.append("| XML import ≥ 0.6× `xmllint --stream`: %s | %s | %s |" % (
                what, listed, verdict(found[worst] >= 0.6) + ("" if found[worst] >= 0.6 else " (lowest: %s)" % worst)))
        else:
            out.append("| XML import ≥ 0.6× `xmllint --stream`: %s | not measured | — |" % what)
    arf = {r["label"]: r for r in rows if r["group"] == "gaps" and r["label"].startswith("ARF") and "skipped" not in r and not failed(r)}
    if "ARF 1 GB" in arf:
        peak = max(r["rss_kb"] for r in rows if r["label"] == "ARF 1 GB" and r["group"] in ("gaps", "import") and "rss_kb" in r) / 1024
        growth = ", ".join("%s %s" % (k.split(" ", 1)[1], rss(v)) for k, v in sorted(arf.items(), key=lambda kv: kv[1]["bytes"]))
        out.append("| peak RSS < 150 MB on the 1 GB ARF, flat in file size | `poam gaps`: %s; highest (gaps or import) %.0f MB | %s |" % (growth, peak, verdict(peak < 150)))
    else:
        out.append("| peak RSS < 150 MB on the 1 GB ARF | %s | — |" % ("not measured (--quick)" if arf else "not measured"))
    ckl = next((r for r in rows if r["group"] == "analyze" and r["label"].endswith("CKL files")), None)
    if ckl and "skipped" not in ckl and not failed(ckl):
        cpu = (float(ckl["user"]) + float(ckl["sys"])) / seconds(ckl)
        out.append("| %s analyzed < 30 s, both cores busy | %.1f s, CPU %.2f | %s |" % (
            ckl["label"], seconds(ckl), cpu, verdict(seconds(ckl) < 30 and cpu >= 1.5 and ckl["files"] >= 1000)
            if ckl["files"] >= 1000 else "— (only %d files in --quick)" % ckl["files"]))
    else:
        out.append("| 1,000 CKL analyzed < 30 s | not measured | — |")
    if linear:
        text = ", ".join("%s %.1f" % (k, v) for k, v in linear.items())
        out.append("| gap engine + POA&M linear (10× input ≈ 10× time) | ratios %s | %s |" % (text, verdict(all(v <= 12 for v in linear.values()))))
    else:
        out.append("| gap engine + POA&M linear | not measured | — |")
    gaps = next((v for k, v in startup.items() if k.startswith("poam gaps")), None)
    if gaps is not None:
        out.append("| `poam gaps` on a small file < 100 ms | median %.1f ms | %s |" % (gaps, verdict(gaps < 100)))
    else:
        out.append("| `poam gaps` on a small file < 100 ms | not measured | — |")
    out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
