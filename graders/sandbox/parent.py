"""The trusted side of one warm parent: starts bubblewrap as the unprivileged
uid, hands it the seccomp filters, and runs jobs through it.

A job crosses as a sealed memfd (in) and a pipe (out), handed on the hand-off
socket straight to the child the parent forked ahead for it; the control socket
carries only small JSON messages (kill, exit reports). The trusted side keeps
the clock: at a call's deadline it asks the parent to kill the child's process
group, and if the parent does not answer, the whole sandbox is torn down.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import socket
import subprocess
import tempfile
import time
from typing import TYPE_CHECKING

from graders.sandbox import seccomp_filter
from graders.sandbox.cgroup import SandboxCgroup
from graders.sandbox.errors import SandboxUnavailable
from graders.sandbox.masked_proc import explain
from graders.sandbox.policy import SandboxPolicy, prepare_stage, stage_and_drop, staged_paths, unprivileged_preexec

# graders.runner (and numpy with it) is imported where a job runs, not here: starting a warm parent
# needs neither, and graders.cli starts one in a thread while the caller imports numpy.
if TYPE_CHECKING:
    from graders.runner import Ending, Job, JobCollector, JobResult, ProcessClock

STARTUP_SECONDS = {"numpy": 20.0, "torch": 90.0}
REPLY_SECONDS = 5.0  # for the parent to report a child's exit once its pipe closed or we asked for a kill
# A child that sent all its results has nothing left to do but exit: after this long it is
# killed, so a child that refuses to end (os._exit replaced, exit_group filtered) costs the
# next job this, not REPLY_SECONDS.
SETTLE_SECONDS = 1.0
STARTUP_ALLOWANCE = 0.5  # fork + rlimits + seccomp, before the per-call clock starts
_F_ADD_SEALS, _F_SEAL_SEAL, _F_SEAL_SHRINK, _F_SEAL_GROW, _F_SEAL_WRITE = 1033, 1, 2, 4, 8


class ParentFailed(Exception):
    """The warm parent stopped answering or broke the protocol."""


class WarmParent:
    """One bubblewrap sandbox with a warm interpreter inside; not thread-safe."""

    def __init__(self, policy: SandboxPolicy, kind: str, memory_bytes: int = 1 << 30, max_jobs: int = 500) -> None:
        self.policy = policy
        self.kind = kind
        self.memory_bytes = memory_bytes
        self.max_jobs = max_jobs
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None  # JSON messages with the warm parent
        self.handoff: socket.socket | None = None  # a job's fds, straight to the child forked for it
        self.jobs = 0
        self.serial = 0  # numbers the jobs handed to this parent, so exit reports match their job
        self.pending: int | None = None  # the job whose exit report is still to be read
        self.anomaly = False  # a report about a child that had no job: recycle after this job
        self.oom_seen = 0
        self.owner = os.getpid()
        self.ready: dict = {}
        self.cgroup: SandboxCgroup | None = None  # memory + pids limits for the whole sandbox, when possible
        self.inner_parent: list[int] = []  # host pid of the warm parent inside bwrap, once looked up

    # ------------------------------------------------------------ life cycle

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        policy = self.policy
        binds = policy.binds(self.kind).read_only
        policy.check_readable(self.kind)
        if policy.identity is not None:
            prepare_stage()
            staged = staged_paths(binds)
            self.cgroup = SandboxCgroup(self.memory_bytes + (2 << 30 if self.kind == "torch" else 1 << 30))
            attach = self.cgroup.attach if self.cgroup.create() else None
            preexec = stage_and_drop(binds, policy.identity, attach)
        else:
            staged, preexec = {}, unprivileged_preexec()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        handoff, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        data_fds = {inside: _sealed_memfd(content) for inside, content in policy.app_files().items()}
        argv = policy.bwrap_argv(self.kind, theirs.fileno(), child_end.fileno(), data_fds, staged)
        errors = tempfile.TemporaryFile()
        # A Ctrl-C that lands in the fork's at-fork hooks would be printed and dropped: hold it
        # until the fork is over (the child gets the caller's mask back before anything else).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

        def unblocked_preexec() -> None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            preexec()

        try:
            self.process = subprocess.Popen(
                argv, env={}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                pass_fds=(theirs.fileno(), child_end.fileno(), *data_fds.values()), preexec_fn=unblocked_preexec,
                start_new_session=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            handoff.close()
            errors.seek(0)
            detail = errors.read(2000).decode(errors="replace").strip()
            errors.close()
            raise SandboxUnavailable(f"cannot start bubblewrap as the sandbox user: {explain(detail) or exc}") from None
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            theirs.close()
            child_end.close()
            for fd in data_fds.values():
                os.close(fd)
        self.control = ours
        self.handoff = handoff
        self.inner_parent = []
        self.jobs = self.serial = 0
        self.oom_seen = (self.cgroup.oom_kills() or 0) if self.cgroup is not None else 0
        try:
            self._send({"cmd": "init", "memory": self.memory_bytes,
                        "parent_filter": seccomp_filter.compiled_filter(False).hex(),
                        "child_filter": seccomp_filter.compiled_filter(True).hex(),
                        "cpu_lock": seccomp_filter.compiled_cpu_lock().hex()})
            self.ready = self._receive(STARTUP_SECONDS[self.kind])
        except (ParentFailed, OSError) as exc:
            self.stop()
            errors.seek(0)
            detail = errors.read(2000).decode(errors="replace").strip()
            raise SandboxUnavailable(f"the {self.kind} sandbox did not start: {explain(detail) or exc}") from None
        finally:
            errors.close()
        problems = list(self.ready.get("problems", []))
        problems += self._host_view_problems()
        if self.ready.get("event") != "ready" or problems:
            self.stop()
            raise SandboxUnavailable("sandbox self-check failed: " + "; ".join(problems or ["no ready message"]))

    def _host_view_problems(self) -> list[str]:
        """What the host sees: the sandbox processes must not be root."""
        problems = []
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith(("Uid:", "Gid:")) and "0" in line.split()[1:]:
                        problems.append(f"bubblewrap runs with host {line.split(':')[0].lower()} 0")
        except OSError:
            problems.append("bubblewrap exited during start-up")
        return problems

    def stop(self) -> None:
        """Tear the sandbox down (only from the process that started it)."""
        if os.getpid() != self.owner:
            return
        self.pending = None
        self.anomaly = False
        for channel in (self.control, self.handoff):
            if channel is not None:
                channel.close()
        self.control = self.handoff = None
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.process = None
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None

    # ------------------------------------------------------------ protocol

    def _send(self, message: dict, fds: list[int] = (), channel: socket.socket | None = None) -> None:
        channel = channel or self.control
        if channel is None:
            raise ParentFailed("no control channel")
        try:
            socket.send_fds(channel, [json.dumps(message).encode()], list(fds))
        except OSError as exc:
            raise ParentFailed(f"cannot reach the warm parent: {exc}") from None

    def _receive(self, timeout: float) -> dict:
        if self.control is None:
            raise ParentFailed("no control channel")
        self.control.settimeout(timeout)
        try:
            data = self.control.recv(1 << 16)
        except (OSError, TimeoutError) as exc:
            raise ParentFailed(f"the warm parent did not answer: {exc}") from None
        if not data:
            raise ParentFailed("the warm parent exited")
        try:
            message = json.loads(data)
        except ValueError:
            raise ParentFailed("the warm parent sent garbage") from None
        if not isinstance(message, dict):
            raise ParentFailed("the warm parent sent garbage")
        return message

    # ------------------------------------------------------------ jobs

    def run(self, job: Job) -> JobResult:
        """Run one job in a fresh child of this parent; recycles the parent after
        anything unusual or after max_jobs. A result whose `disturbed` is set may
        not be the submission's doing (see `_judge`): the caller runs it again."""
        from graders.runner import Ending, JobCollector, await_exit

        self._settle_previous()
        if not self.alive:
            self.stop()
            self.start()
        self.serial += 1
        number = self.serial
        payload = _sealed_memfd(job.encode())
        read_fd, write_fd = os.pipe()
        cpu = int(job.call_timeout * (len(job.calls) + 1)) + 1
        try:
            self._send({"cpu": cpu, "job": number}, [payload, write_fd], self.handoff)
        except ParentFailed:
            os.close(read_fd)
            self.stop()
            raise
        finally:
            os.close(payload)
            os.close(write_fd)
        self.jobs += 1
        state = {"killed": False, "failed": False}

        def kill() -> None:
            state["killed"] = True
            try:
                # Whatever child runs now: the one for this job may never have taken it (stopped
                # from outside), and then only killing it makes the parent report the job dropped.
                self._send({"cmd": "kill"})
            except ParentFailed:
                state["failed"] = True

        collector = JobCollector(job, STARTUP_ALLOWANCE, self._children_cpu)
        ending = _pump(read_fd, collector, kill)
        if ending is Ending.EXITED and not collector.done and not state["failed"]:
            # The pipe closed early: the child may still run. The parent's exit report
            # (or its own end) makes the control socket readable.
            ending = await_exit(collector, self._readable, kill)
        if ending is Ending.EXITED and collector.done:
            # Every result is in: return now and let the child's teardown overlap
            # with the caller's work. The parent reports the exit (and whether the
            # scratch space is clean) before it accepts the next job.
            self.pending = number
            result = collector.finish(Ending.EXITED, 0)
        else:
            report = None if state["failed"] else self._exit_report(number)
            result = self._judge(collector, ending, report, state["killed"], cpu)
            if state["killed"] or report is None or not report.get("clean") or result.disturbed:
                self.stop()  # recycled after an anomaly: the next job gets a fresh parent
        if self.jobs >= self.max_jobs or self.anomaly:
            self.stop()
        return result

    def _judge(self, collector: JobCollector, ending: Ending, report: dict | None, killed: bool, cpu: int) -> JobResult:
        """The result of a job that did not end with all its results in. Whatever
        the submission cannot have caused is `disturbed`, never blamed on it."""
        if report is None:
            reason = "the sandbox stopped while it ran"
        elif report["job"] != report["number"]:
            reason = "the process for this job was killed before it started"
        elif report["stopped"]:
            reason = "the process running this job was stopped from outside"
        else:
            code = report["returncode"]
            disturbed = ""
            if code == -signal.SIGKILL and not killed:
                if report["cpu"] >= cpu:
                    code = -signal.SIGXCPU  # the hard CPU limit (the job ignored SIGXCPU)
                elif not self._oom_killed():
                    # Not ours, not the CPU limit, no out-of-memory kill seen: run it
                    # again; if it happens again, it is reported as memory.
                    disturbed = "killed by a signal the grader did not send"
            result = collector.finish(ending, code)
            result.disturbed = disturbed
            return result
        result = collector.finish(ending, -signal.SIGKILL, sandbox_failure=reason)
        result.disturbed = reason
        return result

    def _readable(self, seconds: float) -> bool:
        """Whether the warm parent has something to say (an exit report, or its own end)
        within `seconds`; True without a channel, as there is nothing left to wait for."""
        if self.control is None:
            return True
        ready, _, _ = select.select([self.control], [], [], seconds)
        return bool(ready)

    def _children_cpu(self) -> ProcessClock | None:
        """What the warm parent's children used: the job's child, plus the spare one forked
        for the next job, which has not run anything (its counters start at its fork).
        Read from the host's /proc, only when a call is past a deadline."""
        from graders.runner import ProcessClock, process_clock

        if self.process is None:
            return None
        parent = self.inner_parent or _children_of(self.process.pid)[:1]
        if not parent:
            return None
        self.inner_parent = parent
        readings = [reading for reading in map(process_clock, _children_of(parent[0])) if reading is not None]
        if not readings:
            return None
        return ProcessClock(sum(r.cpu for r in readings), sum(r.queued for r in readings))

    def _oom_killed(self) -> bool:
        """Whether the cgroup's out-of-memory killer struck since we last looked."""
        kills = self.cgroup.oom_kills() if self.cgroup is not None else None
        if kills is None or kills <= self.oom_seen:
            return False
        self.oom_seen = kills
        return True

    def _exit_report(self, number: int, timeout: float = REPLY_SECONDS) -> dict | None:
        """The parent's report on job `number` (its exit, or that it was dropped
        untaken); None if the parent failed. Reports about other children (one that
        died waiting for a job) mark this parent for recycling."""
        for _ in range(8):
            try:
                reply = self._receive(timeout)
            except ParentFailed:
                return None
            report = _exit_fields(reply)
            if report is None:
                return None
            if report["job"] == number or number in report["dropped"]:
                report["number"] = number
                return report
            self.anomaly = True
        return None

    def _settle_previous(self) -> None:
        """Collect the exit report of the last job's child; recycle on anything odd."""
        if self.pending is None:
            return
        number, self.pending = self.pending, None
        report = self._exit_report(number, SETTLE_SECONDS)
        if report is None and self.alive:
            try:  # still there after its last result: end it rather than wait for it
                self._send({"cmd": "kill", "job": number})
                report = self._exit_report(number)
            except ParentFailed:
                report = None
        if report is None or report["job"] != number or not report["clean"] or report["returncode"] != 0:
            self.stop()


def _exit_fields(reply: dict) -> dict | None:
    """An exit report from the warm parent, checked (it runs inside the sandbox)."""
    if reply.get("event") != "exit":
        return None
    job, dropped, code = reply.get("job"), reply.get("dropped"), reply.get("returncode")
    if job is not None and not isinstance(job, int) or not isinstance(code, int) or not isinstance(dropped, list):
        return None
    cpu = reply.get("cpu")
    return {"job": job, "dropped": [n for n in dropped if isinstance(n, int)], "returncode": code,
            "clean": reply.get("clean") is True, "stopped": reply.get("stopped") is True,
            "cpu": float(cpu) if isinstance(cpu, (int, float)) else 0.0}


def _children_of(pid: int) -> list[int]:
    """Host pids whose parent is `pid` (one pass over /proc: a few milliseconds)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2:].split()
        if len(fields) > 1 and fields[1] == str(pid).encode():
            found.append(int(name))
    return sorted(found)


def _pump(read_fd: int, collector: JobCollector, kill) -> Ending:
    """Feed the result pipe to the collector until the job is done, the child
    closes the pipe, a deadline passes or it sends too much."""
    from graders.runner import Ending

    try:
        while not collector.done:
            remaining = collector.due - time.monotonic()
            if remaining <= 0:
                if not collector.overdue():
                    continue
                kill()
                return Ending.TIMED_OUT
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                return Ending.EXITED
            if not collector.feed(chunk):
                kill()
                return Ending.TOO_MUCH_OUTPUT
        return Ending.EXITED
    finally:
        os.close(read_fd)


def _sealed_memfd(content: bytes) -> int:
    """An fd with `content` that nobody can change once handed over."""
    fd = os.memfd_create("nablagrade", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view):]
    fcntl.fcntl(fd, _F_ADD_SEALS, _F_SEAL_SHRINK | _F_SEAL_GROW | _F_SEAL_WRITE | _F_SEAL_SEAL)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
