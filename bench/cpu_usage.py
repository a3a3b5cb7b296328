"""Where the CPU went during a benchmark run: per kind of process, from /proc.

The service benchmark is CPU-bound on two cores, so its throughput is decided by the CPU
every part spends per submission. A snapshot of every process's own and reaped children's
CPU time before and after the burst tells the parts apart: the load generator (the service
layer's `submit`), PostgreSQL, Redis, the Celery worker processes and the sandboxes.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcessTimes:
    ppid: int
    name: str
    cmdline: str
    own: float  # seconds in user + system mode
    reaped: float  # seconds of children it has waited for (short-lived sandbox jobs land here)


def snapshot() -> dict[int, ProcessTimes]:
    processes: dict[int, ProcessTimes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone between listing and reading
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is the state (field 3 in proc(5)); utime, stime, cutime, cstime are fields 14-17.
        utime, stime, cutime, cstime = (int(x) / TICKS for x in fields[11:15])
        processes[int(entry.name)] = ProcessTimes(int(fields[1]), name, cmdline, utime + stime, cutime + cstime)
    return processes


def classify(pid: int, processes: dict[int, ProcessTimes], me: int) -> str:
    process = processes[pid]
    if pid == me:
        return "load generator (submit + polling)"
    if process.name.startswith("postgres") or process.cmdline.startswith("postgres"):
        return "PostgreSQL"
    if process.name.startswith("redis"):
        return "Redis"
    if "celery" in process.cmdline and "worker" in process.cmdline:
        parent = processes.get(process.ppid)
        if parent is not None and "celery" in parent.cmdline:
            return "Celery pool processes (claim, engine, store)"
        return "Celery main processes (broker, acks, heartbeat)"
    ancestor = processes.get(process.ppid)
    for _ in range(8):  # sandbox parents and their forks descend from a pool process
        if ancestor is None:
            break
        if "celery" in ancestor.cmdline and "worker" in ancestor.cmdline:
            return "sandboxes (student code, bwrap)"
        ancestor = processes.get(ancestor.ppid)
    return "other"


def usage(before: dict[int, ProcessTimes], after: dict[int, ProcessTimes]) -> dict[str, float]:
    """CPU seconds per kind of process between two snapshots.

    A process that started and ended in between is counted through its parent's reaped time;
    one that was alive at the first snapshot and ended before the second is lost, which is
    why the snapshots bracket a run whose long-lived processes outlive it."""
    me = os.getpid()
    totals: dict[str, float] = defaultdict(float)
    for pid, now in after.items():
        then = before.get(pid)
        same = then is not None and then.name == now.name
        spent = (now.own + now.reaped) - ((then.own + then.reaped) if same else 0.0)
        if spent > 0:
            totals[classify(pid, after, me)] += spent
    return dict(totals)


def machine_busy() -> float:
    """Seconds of CPU the whole machine has spent busy, all cores together (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICKS
