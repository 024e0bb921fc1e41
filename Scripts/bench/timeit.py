#!/usr/bin/env python3
"""Runs one command and reports its wall time, peak RSS and CPU, for Scripts/bench/run.sh.

    timeit.py RESULT_FILE STDERR_FILE [--max-rss-mb N] [--max-seconds S] -- COMMAND [ARGS...]

Standard output of the command goes to /dev/null, standard error to STDERR_FILE. One line goes
to RESULT_FILE: "wall_us maxrss_kb user_s sys_s exit killed". The wall time runs from just before
the child is spawned to the moment it is reaped (os.posix_spawn and os.wait4), so neither this
script's own start-up nor a shell's fork counts; RSS and CPU come from the child's rusage.

--max-rss-mb N is a watchdog: the child's resident set (VmRSS in /proc/PID/status) is read
every 50 ms, and the child is killed (SIGKILL) as soon as it passes N MB (10^6 bytes), so a run
that would exhaust the machine's memory stops instead. "killed" is then the number of seconds
after the spawn at which it was killed; otherwise it is "-". An address-space limit (ulimit -v)
would not do: poam's threads and allocator reserve far more address space than they touch.
--max-seconds S kills the child the same way once it has run S seconds ("killed" is then S).
"""

import os
import signal
import sys
import threading
import time


def rss_kb(pid):
    """The resident set of a live process, in KiB; None once it is gone."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return 0


def watch(pid, pidfd, limit_kb, limit_s, start, done, killed):
    while not done.wait(0.05):
        current = rss_kb(pid)
        if current is None:
            return
        over_time = limit_s is not None and time.perf_counter_ns() - start > limit_s * 1e9
        if (limit_kb is not None and current * 1024 > limit_kb * 1000) or over_time:
            # The pidfd names this child even if its PID were reused: never another process.
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            killed.append((time.perf_counter_ns() - start) / 1e9)
            return


def main():
    args = sys.argv[1:]
    limit_mb = limit_s = None
    while len(args) >= 5 and args[2] in ("--max-rss-mb", "--max-seconds"):
        if args[2] == "--max-rss-mb":
            limit_mb = int(args[3])
        else:
            limit_s = float(args[3])
        args = args[:2] + args[4:]
    if len(args) < 4 or args[2] != "--":
        sys.stderr.write(__doc__)
        return 2
    result_file, stderr_file, command = args[0], args[1], args[3:]
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
    done, killed, watcher = threading.Event(), [], None
    if limit_mb is not None or limit_s is not None:
        pidfd = os.pidfd_open(pid)
        limit_kb = limit_mb * 1000 if limit_mb is not None else None
        watcher = threading.Thread(target=watch, args=(pid, pidfd, limit_kb, limit_s, start, done, killed), daemon=True)
        watcher.start()
    _, status, usage = os.wait4(pid, 0)
    wall_us = (time.perf_counter_ns() - start) // 1000
    done.set()
    if watcher is not None:
        watcher.join()
        os.close(pidfd)
    code = os.waitstatus_to_exitcode(status)
    with open(result_file, "w") as out:
        out.write("%d %d %.3f %.3f %d %s\n" % (
            wall_us, usage.ru_maxrss, usage.ru_utime, usage.ru_stime, code, "%.1f" % killed[0] if killed else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
