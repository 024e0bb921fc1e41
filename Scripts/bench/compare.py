#!/usr/bin/env python3
"""Compares builds of poam on the same inputs, their runs interleaved.

    compare.py [--runs N] [--command "gaps --level 2"] [--no-cci-list] --poam NAME=BIN ... -- FILE ...

On a shared or virtual machine the speed drifts by tens of percent from one minute to the next
(Scripts/bench/run.sh measures each build in a run of its own, minutes apart). Here every round
runs each build once on each file, one after the other, so drift touches every build alike;
N rounds (default 25) give, per file and build, the wall time (spawn to exit, as timeit.py
measures it) at the minimum, the 10th and 25th percentiles and the median, and the CPU time
(user + system) at the minimum and the median. The first build named is the baseline: the
other builds' figures are also given as a percentage of its own.

The DISA CCI list is passed as run.sh passes it (POAM_CCI_LIST, else the copy in
../shared/samples/mapping beside the checkout) unless --no-cci-list is given. Standard output
and error of poam go to /dev/null; a run that exits non-zero stops the comparison.

Example (the small-file rows of issue 8's table, main against an older build):

    Scripts/bench/compare.py --poam old=/tmp/poam-old --poam new=.build/release/poam -- \\
        .bench/corpus/xccdf/xccdf-10MB.xml .bench/corpus/arf/arf-10MB.xml
"""

import argparse
import os
import shlex
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED_CCI_LIST = os.path.join(
    os.path.dirname(ROOT), "shared", "samples", "mapping", "DISA_U_CCI_List_2025-01-23.xml"
)


def run_once(binary, arguments, environment, null):
    """One run: wall seconds, CPU seconds (user + system) and the exit status."""
    start = time.perf_counter()
    pid = os.posix_spawn(
        binary,
        [binary] + arguments,
        environment,
        file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)],
    )
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def percentile(sorted_values, fraction):
    """The value at `fraction` of the sorted list (nearest rank, rounding down)."""
    return sorted_values[int(fraction * (len(sorted_values) - 1))]


def main():
    parser = argparse.ArgumentParser(
        description="Compare builds of poam on the same inputs, runs interleaved.",
        epilog="Example: compare.py --poam old=/tmp/poam --poam new=.build/release/poam -- FILE",
    )
    parser.add_argument("--poam", action="append", required=True, metavar="NAME=BIN",
                        help="a build to measure (the first is the baseline); give two or more")
    parser.add_argument("--runs", type=int, default=25, help="rounds (default 25)")
    parser.add_argument("--command", default="gaps --level 2",
                        help='the poam command before the file (default "gaps --level 2")')
    parser.add_argument("--no-cci-list", action="store_true", help="run without the DISA CCI list")
    parser.add_argument("files", nargs="+", metavar="FILE")
    options = parser.parse_args()

    builds = []
    for spec in options.poam:
        name, separator, binary = spec.partition("=")
        if not separator or not name or not binary:
            parser.error("--poam takes NAME=BIN, not %r" % spec)
        if not os.access(binary, os.X_OK):
            parser.error("%s: not an executable file" % binary)
        builds.append((name, os.path.abspath(binary)))
    if len(builds) < 2:
        parser.error("name at least two builds with --poam")
    if options.runs < 1:
        parser.error("--runs takes a positive number")
    for path in options.files:
        if not os.path.isfile(path):
            parser.error("%s: no such file" % path)

    environment = dict(os.environ)
    if options.no_cci_list:
        environment.pop("POAM_CCI_LIST", None)
        fallback = os.path.join(os.path.expanduser("~"), ".config", "poam", "U_CCI_List.xml")
        if os.path.isfile(fallback):
            parser.error("--no-cci-list: poam would still find %s; move it away first" % fallback)
        cci = "none"
    else:
        if not environment.get("POAM_CCI_LIST") and os.path.isfile(SHARED_CCI_LIST):
            environment["POAM_CCI_LIST"] = SHARED_CCI_LIST
        cci = environment.get("POAM_CCI_LIST") or "none found"

    command = shlex.split(options.command)
    null = os.open(os.devnull, os.O_WRONLY)
    walls = {(path, name): [] for path in options.files for name, _ in builds}
    cpus = {(path, name): [] for path in options.files for name, _ in builds}
    for round_number in range(options.runs):
        for path in options.files:
            for name, binary in builds:
                wall, cpu, status = run_once(binary, command + [path], environment, null)
                if status != 0:
                    sys.exit("compare.py: %s %s %s exited with %d" % (name, options.command, path, status))
                walls[(path, name)].append(wall)
                cpus[(path, name)].append(cpu)
        print("round %d of %d done" % (round_number + 1, options.runs), file=sys.stderr)

    try:
        load = "%.2f" % os.getloadavg()[0]
    except OSError:
        load = "unknown"
    print("`poam %s FILE`, %d interleaved rounds, CCI list: %s, load average at the end %s."
          % (options.command, options.runs, os.path.basename(cci), load))
    print("Wall time spawn to exit, CPU = user + system; in brackets, against %s." % builds[0][0])
    print()
    print("| file | build | wall min | p10 | p25 | median | CPU min | CPU median |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for path in options.files:
        base = None
        for name, _ in builds:
            wall = sorted(walls[(path, name)])
            cpu = sorted(cpus[(path, name)])
            figures = [wall[0], percentile(wall, 0.10), percentile(wall, 0.25), statistics.median(wall),
                       cpu[0], statistics.median(cpu)]
            if base is None:
                base = figures
                cells = ["%.1f ms" % (value * 1000) for value in figures]
            else:
                cells = ["%.1f ms (%+.0f%%)" % (value * 1000, (value / reference - 1) * 100)
                         for value, reference in zip(figures, base)]
            print("| %s | %s | %s |" % (os.path.basename(path), name, " | ".join(cells)))


if __name__ == "__main__":
    main()
