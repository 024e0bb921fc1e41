#!/usr/bin/env python3
"""Runs one command and reports its wall time, peak RSS and CPU, for Scripts/bench/run.sh.

    timeit.py RESULT_FILE STDERR_FILE -- COMMAND [ARGS...]

Standard output of the command goes to /dev/null, standard error to STDERR_FILE. One line goes
to RESULT_FILE: "wall_us maxrss_kb user_s sys_s exit". The wall time runs from just before the
child is spawned to the moment it is reaped (os.posix_spawn and os.wait4), so neither this
script's own start-up nor a shell's fork counts; RSS and CPU come from the child's rusage.
"""

import os
import sys
import time


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.stderr.write(__doc__)
        return 2
    result_file, stderr_file, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    devnull = os.open(os.devnull, os.O_WRONLY)
    errors = os.open(stderr_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, errors, 2)]
    path = command[0]
    if os.sep not in path:
        for folder in os.environ.get("PATH", "").split(os.pathsep):
            candidate = os.path.join(folder, path)
            if os.access(candidate, os.X_OK):
                path = candidate
                break
    start = time.perf_counter_ns()
    pid = os.posix_spawn(path, command, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall_us = (time.perf_counter_ns() - start) // 1000
    code = os.waitstatus_to_exitcode(status)
    with open(result_file, "w") as out:
        out.write("%d %d %.3f %.3f %d\n" % (wall_us, usage.ru_maxrss, usage.ru_utime, usage.ru_stime, code))
    return 0


if __name__ == "__main__":
    sys.exit(main())
