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

from graders.runner import Ending, Job, JobCollector, JobResult
from graders.sandbox import seccomp_filter
from graders.sandbox.cgroup import SandboxCgroup
from graders.sandbox.errors import SandboxUnavailable
from graders.sandbox.policy import SandboxPolicy, prepare_stage, stage_and_drop, staged_paths, unprivileged_preexec

STARTUP_SECONDS = {"numpy": 20.0, "torch": 90.0}
REPLY_SECONDS = 5.0  # for the parent to report a child's exit once its pipe closed or we asked for a kill
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
        self.pending_exit = False  # the last child's exit report is still to be read
        self.owner = os.getpid()
        self.ready: dict = {}
        self.cgroup: SandboxCgroup | None = None  # memory + pids limits for the whole sandbox, when possible

    # ------------------------------------------------------------ life cycle

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        policy = self.policy
        binds = policy.read_binds(self.kind)
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
        try:
            self.process = subprocess.Popen(
                argv, env={}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                pass_fds=(theirs.fileno(), child_end.fileno(), *data_fds.values()), preexec_fn=preexec,
                start_new_session=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            handoff.close()
            errors.seek(0)
            detail = errors.read(2000).decode(errors="replace").strip()
            errors.close()
            raise SandboxUnavailable(f"cannot start bubblewrap as the sandbox user: {detail or exc}") from None
        finally:
            theirs.close()
            child_end.close()
            for fd in data_fds.values():
                os.close(fd)
        self.control = ours
        self.handoff = handoff
        self.jobs = 0
        try:
            self._send({"cmd": "init", "memory": self.memory_bytes,
                        "parent_filter": seccomp_filter.compiled_filter(False).hex(),
                        "child_filter": seccomp_filter.compiled_filter(True).hex()})
            self.ready = self._receive(STARTUP_SECONDS[self.kind])
        except (ParentFailed, OSError) as exc:
            self.stop()
            errors.seek(0)
            detail = errors.read(2000).decode(errors="replace").strip()
            raise SandboxUnavailable(f"the {self.kind} sandbox did not start: {detail or exc}") from None
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
        self.pending_exit = False
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
        anything unusual or after max_jobs."""
        self._settle_previous()
        if not self.alive:
            self.stop()
            self.start()
        payload = _sealed_memfd(job.encode())
        read_fd, write_fd = os.pipe()
        cpu = int(job.call_timeout * (len(job.calls) + 1)) + 1
        try:
            self._send({"cpu": cpu}, [payload, write_fd], self.handoff)
        except ParentFailed:
            os.close(read_fd)
            self.stop()
            raise
        finally:
            os.close(payload)
            os.close(write_fd)
        self.jobs += 1
        state = {"killed": False, "failed": False, "clean": True}

        def kill() -> None:
            state["killed"] = True
            try:
                self._send({"cmd": "kill"})
            except ParentFailed:
                state["failed"] = True

        collector = JobCollector(job, STARTUP_ALLOWANCE)
        ending = _pump(read_fd, collector, kill)
        if ending is Ending.EXITED and collector.done:
            # Every result is in: return now and let the child's teardown overlap
            # with the caller's work. The parent reports the exit (and whether the
            # scratch space is clean) before it accepts the next job.
            self.pending_exit = True
            result = collector.finish(Ending.EXITED, 0)
        else:
            result = collector.finish(ending, self._exit_code(state))
            if state["killed"] or state["failed"] or not state["clean"]:
                self.stop()  # recycled after an anomaly: the next job gets a fresh parent
        if self.jobs >= self.max_jobs:
            self.stop()
        return result

    def _exit_code(self, state: dict) -> int:
        try:
            reply = self._receive(REPLY_SECONDS)
        except ParentFailed:
            state["failed"] = True
            return -signal.SIGKILL
        if reply.get("event") != "exit" or not isinstance(reply.get("returncode"), int):
            state["failed"] = True
            return -signal.SIGKILL
        state["clean"] = bool(reply.get("clean"))
        return int(reply["returncode"])

    def _settle_previous(self) -> None:
        """Collect the exit report of the last job's child; recycle on anything odd."""
        if not self.pending_exit:
            return
        self.pending_exit = False
        state = {"failed": False, "clean": True}
        code = self._exit_code(state)
        if state["failed"] or not state["clean"] or code != 0:
            self.stop()


def _pump(read_fd: int, collector: JobCollector, kill) -> Ending:
    """Feed the result pipe to the collector until the job is done, the child
    closes the pipe, a deadline passes or it sends too much."""
    try:
        while not collector.done:
            remaining = collector.due - time.monotonic()
            if remaining <= 0:
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
