"""`SandboxRunner`: the `Runner` the CLI and the Celery worker share. It keeps
warm parents per kind (numpy, torch), checks itself before first use, and
hands each job to an idle parent."""

from __future__ import annotations

import atexit
import os
import queue
import threading
from typing import TYPE_CHECKING

from graders.sandbox.errors import SandboxUnavailable
from graders.sandbox.parent import ParentFailed, WarmParent
from graders.sandbox.policy import SandboxPolicy, find_bwrap, sandbox_identity

if TYPE_CHECKING:
    from graders.runner import Job, JobResult


class SandboxRunner:
    """Runs every job in a fresh child of a warm parent inside bubblewrap.

    `parents` warm parents per kind (one per worker slot); the torch parents
    start only when a job needs torch. `bwrap` and `uid` override discovery
    (tests use them, and `extra_bwrap_args`, to prove the sandbox refuses to
    start without isolation).
    """

    def __init__(self, parents: int = 1, *, bwrap: str | None = None, uid: int | None = None,
                 memory_bytes: int = 1 << 30, max_jobs: int = 500, extra_bwrap_args: tuple[str, ...] = ()) -> None:
        identity = sandbox_identity(uid)
        if uid == 0 or (identity is not None and (identity.uid == 0 or identity.gid == 0)):
            raise SandboxUnavailable("cannot drop privileges: the sandbox would run as uid/gid 0 (root); "
                                     "create the nablagrade-sandbox user (scripts/install-system-packages.sh)")
        self.policy = SandboxPolicy(find_bwrap(bwrap), identity, extra_args=extra_bwrap_args)
        self.count = parents
        self.memory_bytes = memory_bytes
        self.max_jobs = max_jobs
        self.owner = os.getpid()
        self._idle: dict[str, queue.Queue[WarmParent]] = {}
        self._all: list[WarmParent] = []
        self._lock = threading.Lock()

    def _pool(self, kind: str) -> queue.Queue[WarmParent]:
        with self._lock:
            if kind not in self._idle:
                pool: queue.Queue[WarmParent] = queue.Queue()
                for _ in range(self.count):
                    parent = WarmParent(self.policy, kind, self.memory_bytes, self.max_jobs)
                    self._all.append(parent)
                    pool.put(parent)
                self._idle[kind] = pool
            return self._idle[kind]

    def run(self, job: Job) -> JobResult:
        pool = self._pool("torch" if job.needs_torch else "numpy")
        parent = pool.get()
        try:
            try:
                result = parent.run(job)
            except ParentFailed:
                parent.stop()  # one retry on a fresh parent: the job never started
                return parent.run(job)
            if result.disturbed:
                # Something outside the submission ended or stopped its process: run it
                # once more in a fresh parent, where no earlier job can have touched
                # anything, and report that run whatever it says.
                parent.stop()
                result = parent.run(job)
            return result
        finally:
            pool.put(parent)

    def warm_up(self, kind: str = "numpy") -> None:
        """Start every parent of a kind now rather than on the first job."""
        pool = self._pool(kind)
        parents = [pool.get() for _ in range(self.count)]
        try:
            for parent in parents:
                if not parent.alive:
                    parent.start()
        finally:
            for parent in parents:
                pool.put(parent)

    def self_check(self) -> None:
        """Start the numpy parents (their start-up checks run inside and outside
        the sandbox), then prove a job runs and a forbidden syscall is stopped."""
        self.warm_up("numpy")
        # Imported only now: graders.runner loads numpy, and a sandbox started in a thread
        # (graders.cli.SandboxAhead) is meant to launch while the caller imports it.
        from graders.runner import Call, Job

        probes = {  # name: (source, the status it must end with)
            "ok": ("def probe():\n    return 1.0\n", "ok"),
            "fork": ("import os\ndef probe():\n    os.fork()\n    return 1.0\n", "forbidden_operation"),
        }
        for name, (source, expected) in probes.items():
            job = Job(source=source, calls=(Call(name, "probe", ()),), allowed=frozenset({"os"}), seed=0)
            result = self.run(job).calls[name]
            got = "ok" if result.status == "ok" and result.value == 1.0 else result.status
            if got != expected:
                raise SandboxUnavailable(f"sandbox self-check failed: the {name} probe ended {got!r} "
                                         f"({result.message}), expected {expected!r}")

    def close(self) -> None:
        if os.getpid() != self.owner:
            return
        for parent in self._all:
            parent.stop()


_RUNNERS: dict[int, SandboxRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def sandbox_runner() -> SandboxRunner:
    """The process-wide sandbox runner, created and self-checked on first use.

    Keyed by pid: a Celery prefork child inherits its parent's object (and its
    sockets), which it must neither use nor tear down, so it builds its own.
    """
    pid = os.getpid()
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(pid)
        if runner is None:
            runner = SandboxRunner()
            try:
                runner.self_check()
            except BaseException:
                runner.close()
                raise
            _RUNNERS[pid] = runner
        return runner


def verify_sandbox() -> None:
    """Prove isolation can be set up here (the self-check), then tear the probe down:
    what a service runs at start-up so that it fails closed, early and loudly."""
    runner = SandboxRunner()
    try:
        runner.self_check()
    finally:
        runner.close()


def _forget_inherited() -> None:
    _RUNNERS.clear()  # the parent process's runners stay its own


@atexit.register
def close_process_runner() -> None:
    """Tear down this process's runner, if it made one (its parents, and as root their cgroups)."""
    runner = _RUNNERS.pop(os.getpid(), None)
    if runner is not None:
        runner.close()


os.register_at_fork(after_in_child=_forget_inherited)
