"""Peak resident memory of a process tree, sampled from /proc (Linux).

The tree's RSS counts a page once per process that maps it: the libraries
every Python process loads (numpy, lxml, llvmlite's code) are counted in the
flow, the server and each cleaning worker. PSS (proportional set size, from
/proc/PID/smaps_rollup) splits each shared page between the processes that
share it, so the tree's PSS is what the machine actually holds. Both are
reported; the targets are written in RSS.

CPU seconds (user + system, from /proc/PID/stat) are kept per process at
its last sample, and summed by role: on 2 cores, which process spends them
says whether a change must cut total CPU or the flow's critical path.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _tree(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        stack += _children(p)
    return pids


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        # fields after the parenthesised command name, which may hold spaces
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def role(pid: int) -> str:
    """What a process of a sift run is, from its command line."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "uvicorn" in cmd or "prefect.server" in cmd:
        return "prefect server"
    if "cleaners.worker" in cmd:
        return "call worker" if "# call worker" in cmd else "cleaning worker"
    if "flows.cli" in cmd:
        return "flow"
    return cmd.split(" ")[0].rsplit("/", 1)[-1] or "other"


class PeakSampler:
    """Samples a process tree's RSS (and PSS) every `interval` seconds until stopped.

    `peak` and `peak_pss` are the tree's peaks (bytes); `at_peak` what each
    role's processes held together at the RSS peak and `peak_at` when it came
    (seconds from the start); `by_role` the peak RSS of the largest process of
    each role (flow, prefect server, cleaning worker, call worker);
    `cpu_by_role` the CPU seconds of all processes of each role (up to one
    interval is lost for a process that exits between samples). PSS is read
    every `pss_every` samples: smaps_rollup walks page tables.
    """

    def __init__(self, pid: int, interval: float = 0.2, pss_every: int = 5) -> None:
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak = self.peak_pss = 0
        self.at_peak: dict[str, int] = {}
        self.peak_at = 0.0
        self.by_role: dict[str, int] = {}
        self._cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        n, started = 0, time.monotonic()
        while not self._stop.is_set():
            pids = _tree(self.pid)
            sizes = {p: _rss(p) for p in pids}
            together: dict[str, int] = {}
            for p, size in sizes.items():  # not cached: a forked child is its parent until it execs
                if not size:
                    continue  # exited between the listing and the read
                name = role(p)
                together[name] = together.get(name, 0) + size
                self.by_role[name] = max(self.by_role.get(name, 0), size)
                self._cpu[p] = (name, _cpu_seconds(p))
            total = sum(sizes.values())
            if total > self.peak:
                self.peak, self.at_peak, self.peak_at = total, together, time.monotonic() - started
            if n % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
            n += 1
            self._stop.wait(self.interval)

    @property
    def cpu_by_role(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for name, seconds in self._cpu.values():
            totals[name] = totals.get(name, 0.0) + seconds
        return totals

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
