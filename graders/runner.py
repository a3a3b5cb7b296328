"""Running a job of student calls in a separate process: the one small interface
between the trusted engine and untrusted code.

`Runner.run(job)` returns a `JobResult` with one `CallResult` per call. How the
child is isolated is the runner's business (`graders.sandbox` hardens it); how
its message stream is read, timed and interpreted is shared here.
"""

from __future__ import annotations

import io
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

import numpy as np

from graders import wire
from graders.harness import HarnessKind

CALL_TIMEOUT = 2.0  # seconds of wall time per call (and for loading the module)


@dataclass(frozen=True)
class Call:
    key: str
    function: str
    args: tuple[tuple[str, Any], ...]  # (parameter name, ndarray | float | int), in call order
    harness: HarnessKind = HarnessKind.CALL


@dataclass(frozen=True)
class Job:
    """Everything one child process needs; one submission's calls only."""

    source: str
    calls: tuple[Call, ...]
    allowed: frozenset[str]
    poison: frozenset[str] = frozenset()
    seed: int = 0
    needs_torch: bool = False
    call_timeout: float = CALL_TIMEOUT

    def encode(self) -> bytes:
        blobs: list[bytes] = []
        calls = []
        for call in self.calls:
            args = []
            for name, value in call.args:
                if isinstance(value, np.ndarray):
                    blobs.append(wire.array_to_npy(value))
                    args.append([name, {"t": "array", "blob": len(blobs) - 1}])
                elif isinstance(value, int) and not isinstance(value, bool):
                    args.append([name, {"t": "int", "v": value}])
                else:
                    args.append([name, {"t": "scalar", "v": float(value)}])
            calls.append({"key": call.key, "function": call.function, "harness": call.harness, "args": args})
        header = {
            "source": self.source,
            "calls": calls,
            "allowed": sorted(self.allowed),
            "poison": sorted(self.poison),
            "seed": self.seed,
        }
        buffer = io.BytesIO()
        wire.write_message(buffer, header, blobs)
        return buffer.getvalue()


# Statuses a call can end with. The first group comes from the child itself; the
# second from how the runner saw the process end.
CHILD_STATUSES = {"ok", "missing_function", "exception", "forbidden_import", "wrong_type",
                  "syntax_error", "output_limit", "memory_limit", "forbidden_operation"}
CONTAINMENT_STATUSES = {"timeout", "memory_limit", "crashed", "forbidden_operation", "output_limit"}


@dataclass
class CallResult:
    key: str
    status: str
    value: Any = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class JobResult:
    calls: dict[str, CallResult]
    stdout: str = ""
    seconds: float = 0.0


class Ending(Enum):
    EXITED = "exited"  # the process ended by itself (look at the return code)
    TIMED_OUT = "timed_out"  # we killed it at the wall-clock deadline
    TOO_MUCH_OUTPUT = "too_much_output"  # we killed it for sending more than the cap


_SIGNAL_STATUS = {
    signal.SIGXCPU: ("timeout", "used more than its CPU time: an infinite loop?"),
    signal.SIGSYS: ("forbidden_operation", "tried an operation the sandbox forbids (a process, a socket, ...)"),
    signal.SIGXFSZ: ("output_limit", "wrote a file larger than allowed"),
    signal.SIGKILL: ("memory_limit", "was killed, most likely for using too much memory"),
}


class JobCollector:
    """Reads a child's message stream as it arrives, knows when the next message is
    due, and turns the whole into a JobResult however the child ended."""

    def __init__(self, job: Job, startup_allowance: float = 0.0) -> None:
        self.job = job
        self.buffer = bytearray()
        self.offset = 0
        self.results: dict[str, CallResult] = {}
        self.current: str | None = None
        self.loaded = False
        self.load_failure: dict[str, Any] | None = None
        self.done = False
        self.stdout = ""
        self.protocol_error = ""
        self.started = time.monotonic()
        self.due = self.started + startup_allowance + job.call_timeout
        # However many "begin" messages a child sends, the job as a whole ends here.
        self.hard_due = self.started + startup_allowance + job.call_timeout * (len(job.calls) + 1)

    def feed(self, data: bytes) -> bool:
        """Take bytes from the child. False once it has sent more than allowed."""
        self.buffer += data
        if len(self.buffer) > wire.MAX_RESULT_BYTES:
            return False
        try:
            messages, consumed = wire.parse_messages(bytes(self.buffer[self.offset :]))
        except wire.WireError as exc:
            self.protocol_error = str(exc)
            return False
        self.offset += consumed
        for message in messages:
            self._take(message)
        return True

    def _take(self, message: wire.Message) -> None:
        header = message.header
        event = header.get("event")
        now = time.monotonic()
        if event == "loaded":
            self.loaded = True
        elif event == "load_failed":
            self.load_failure = header
            self.done = True
        elif event == "begin":
            self.current = str(header.get("key"))
            self.due = min(now + self.job.call_timeout, self.hard_due)
        elif event == "result":
            key = str(header.get("key"))
            self.results[key] = _call_result(key, header, message.blobs)
            self.current = None
            self.due = min(now + self.job.call_timeout, self.hard_due)
        elif event == "done":
            self.stdout = str(header.get("stdout", ""))[: 64 * 1024]
            self.done = True

    def finish(self, ending: Ending, returncode: int | None = None) -> JobResult:
        status, message = self._containment(ending, returncode)
        keys = [call.key for call in self.job.calls]
        # Calls run in order, so the first one without a result is the one that was
        # running, even if its "begin" never reached us.
        running = self.current or next((key for key in keys if key not in self.results), None)
        results: dict[str, CallResult] = {}
        for key in keys:
            if self.load_failure is not None:
                failure = self.load_failure
                results[key] = CallResult(key, str(failure.get("status", "exception")),
                                          message=str(failure.get("message", failure.get("module", ""))),
                                          extra={"phase": "load", **{k: v for k, v in failure.items() if k == "module"}})
            elif key in self.results:
                results[key] = self.results[key]
            elif status is not None and (key == running or not self.loaded):
                results[key] = CallResult(key, status, message=message)
            elif status is not None:
                results[key] = CallResult(key, "not_run", message=f"not run: an earlier call {message}")
            else:
                results[key] = CallResult(key, "crashed", message="the process ended before returning a result")
        return JobResult(results, self.stdout, time.monotonic() - self.started)

    def _containment(self, ending: Ending, returncode: int | None) -> tuple[str | None, str]:
        if ending is Ending.TIMED_OUT:
            return "timeout", f"ran longer than {self.job.call_timeout:g} s: an infinite loop?"
        if ending is Ending.TOO_MUCH_OUTPUT:
            if self.protocol_error:
                return "crashed", f"sent a malformed result ({self.protocol_error})"
            return "output_limit", f"returned more than {wire.MAX_RESULT_BYTES // (1024 * 1024)} MiB of results"
        if returncode is not None and returncode < 0:
            sig = -returncode
            if sig in _SIGNAL_STATUS:
                return _SIGNAL_STATUS[sig]
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return "crashed", f"crashed with {name}"
        if self.done:
            return None, ""
        return "crashed", "exited before returning (os._exit or sys.exit?)"


def _call_result(key: str, header: dict[str, Any], blobs: list[bytes]) -> CallResult:
    status = str(header.get("status", "crashed"))
    if status not in CHILD_STATUSES:
        return CallResult(key, "crashed", message=f"reported an unknown status {status[:40]!r}")
    extra = {k: header[k] for k in ("gradcheck", "module") if k in header}
    if status != "ok":
        return CallResult(key, status, message=str(header.get("message", ""))[:4096], extra=extra)
    try:
        value = wire.decode_value(header.get("value"), blobs)
    except wire.WireError as exc:
        return CallResult(key, "wrong_type", message=f"the returned value could not be read: {exc}")
    return CallResult(key, "ok", value=value, extra=extra)


class Runner(Protocol):
    """Runs a job in a process the trusted engine does not share."""

    def run(self, job: Job) -> JobResult: ...


def collect(process_fd: int, collector: JobCollector, kill: Any, wait: Any) -> JobResult:
    """Pump a result pipe into the collector until the child ends, times out or
    sends too much; `kill()` kills the child's whole process group, `wait()`
    returns its exit code."""
    ending = Ending.EXITED
    while True:
        remaining = collector.due - time.monotonic()
        if remaining <= 0:
            ending = Ending.TIMED_OUT
            kill()
            break
        ready, _, _ = select.select([process_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(process_fd, 1 << 20)
        if not chunk:
            break
        if not collector.feed(chunk):
            ending = Ending.TOO_MUCH_OUTPUT
            kill()
            break
    os.close(process_fd)
    return collector.finish(ending, wait())


class SubprocessRunner:
    """A fresh interpreter per job, with rlimits and no isolation of the filesystem
    or network. Only for `nablagrade check --no-sandbox` and as the benchmark's
    baseline; the service always uses `graders.sandbox`."""

    def __init__(self, memory_bytes: int = 4 << 30) -> None:
        self.memory_bytes = memory_bytes

    def run(self, job: Job) -> JobResult:
        read_fd, write_fd = os.pipe()
        payload = job.encode()
        cpu = int(job.call_timeout * (len(job.calls) + 1)) + 5
        memory = self.memory_bytes

        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        with tempfile.TemporaryDirectory(prefix="nablagrade-job-") as scratch:
            env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                   "MKL_NUM_THREADS": "1", "HOME": scratch, "PYTHONHASHSEED": "0"}
            process = subprocess.Popen(
                [sys.executable, "-I", "-m", "graders.harness", str(write_fd)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(write_fd,), preexec_fn=limits, start_new_session=True, env=env, cwd=scratch,
            )
            os.close(write_fd)
            try:
                process.stdin.write(payload)
                process.stdin.close()
            except BrokenPipeError:
                pass
            startup = 3.0 if job.needs_torch else 1.0

            def kill() -> None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            result = collect(read_fd, JobCollector(job, startup), kill, process.wait)
            kill()  # whatever the child left running in its group goes too
            return result
