"""Running a job of student calls in a separate process: the one small interface
between the trusted engine and untrusted code.

`Runner.run(job)` returns a `JobResult` with one `CallResult` per call. How the
child is isolated is the runner's business (`graders.sandbox` hardens it); how
its message stream is read, timed and interpreted is shared here.
"""

from __future__ import annotations

import io
import math
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

import numpy as np

from graders import wire
from graders.harness import HarnessKind

CALL_TIMEOUT = 2.0  # seconds of CPU time per call (and for loading the module)
# A call is stopped once it has used CALL_TIMEOUT of CPU, or has waited WALL_BACKSTOP times
# that long (sleeping, reading, blocked: wall time neither on a CPU nor queued for one, so a
# busy machine never counts against it), or has run HARD_LIMIT times that long by the wall
# clock whatever it did. Without a reading of the process, the wall clock alone decides.
WALL_BACKSTOP = 5.0
HARD_LIMIT = 30.0


@dataclass(frozen=True)
class ProcessClock:
    """What the kernel says a process used: CPU seconds (all its threads) and seconds its
    main thread spent runnable but waiting for a CPU (0 where the kernel does not say)."""

    cpu: float
    queued: float = 0.0


@dataclass(frozen=True)
class Call:
    key: str
    function: str
    args: tuple[tuple[str, Any], ...]  # (parameter name, ndarray | float | int), in call order
    harness: HarnessKind = HarnessKind.CALL
    # A hidden trial's call: what it prints is not shown (it could print its inputs).
    hidden: bool = False


@dataclass(frozen=True)
class Budget:
    """A submission's wall-clock budget: `total` seconds in all, `left` for this job."""

    total: float
    left: float


class SubmissionClock:
    """What is left of one submission's wall-clock budget across its jobs. Only
    time in jobs counts: starting a warm parent or computing references is the
    grader's, not the submission's."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.left = total

    def budget(self) -> Budget:
        return Budget(self.total, self.left)

    def spend(self, seconds: float) -> None:
        self.left -= seconds

    @property
    def exhausted(self) -> bool:
        return self.left <= 0


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
    budget: Budget | None = None  # trusted side only: when to stop the whole job

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
            calls.append({"key": call.key, "function": call.function, "harness": call.harness, "args": args,
                          "hidden": call.hidden})
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
BUDGET = "budget"  # extra["reason"] of a call not run because the submission used its time budget
STOPPED = "stopped"  # extra["reason"] of a call not run because an earlier call of its job failed


@dataclass
class CallResult:
    key: str
    status: str
    value: Any = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def budget_spent(key: str, budget: Budget) -> CallResult:
    """A call that did not run (or was stopped) because the submission's time ran out."""
    return CallResult(key, "not_run", message=f"the submission used its whole time budget ({budget.total:g} s)",
                      extra={"reason": BUDGET})


@dataclass
class JobResult:
    calls: dict[str, CallResult]
    stdout: str = ""
    seconds: float = 0.0
    # Why this result may not be the submission's doing (the child for the job was
    # killed or stopped from outside, the sandbox died): the runner runs it again.
    disturbed: str = ""


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
    due, and turns the whole into a JobResult however the child ended.

    Everything here comes from code the grader does not trust: each message is
    checked against the job (known keys, known statuses, in order) and every field
    is capped, so a forged stream ends as a diagnosis, never as an exception.
    """

    def __init__(self, job: Job, startup_allowance: float = 0.0,
                 cpu_probe: Callable[[], ProcessClock | None] | None = None) -> None:
        self.job = job
        # What the job's process used so far, read by the trusted side (None: unknown).
        self.cpu_probe = cpu_probe
        self.keys = [call.key for call in job.calls]
        self.reader = wire.MessageReader()
        self.messages = 0
        self.max_messages = 3 * len(job.calls) + 8  # loaded, begin + result per call, done
        self.results: dict[str, CallResult] = {}
        self.current: str | None = None
        self.loaded = False
        self.load_failure: CallResult | None = None
        self.done = False
        self.stdout = ""
        self.protocol_error = ""
        self.started = time.monotonic()
        start = self.started + startup_allowance
        # However many "begin" messages a child sends, the job as a whole ends here.
        per_call = HARD_LIMIT if cpu_probe is not None else 1.0
        self.hard_due = start + job.call_timeout * per_call * (len(job.calls) + 1)
        self.budget_due = start + max(job.budget.left, 0.0) if job.budget is not None else math.inf
        self.hard_due = min(self.hard_due, self.budget_due)
        self.due = min(start + job.call_timeout, self.hard_due)
        self.call_started = start  # when the running call (or the load) began, by our clock
        # The child's CPU and queued time then, as it reported them (its own business: a
        # forged reading can only buy it what it could get by sleeping, up to the limits).
        self.cpu_base = 0.0
        self.queued_base = 0.0
        self.stopped_for = ""  # "cpu", "wait" or "wall": why the running call was stopped

    def feed(self, data: bytes) -> bool:
        """Take bytes from the child. False once it has sent more than allowed or
        something malformed (then `protocol_error` says what)."""
        if self.reader.received + len(data) > wire.MAX_RESULT_BYTES:
            return False
        try:
            messages = self.reader.feed(data)
        except wire.WireError as exc:
            self.protocol_error = str(exc)
            return False
        for message in messages:
            self.messages += 1
            if self.messages > self.max_messages:
                self.protocol_error = "more messages than the job has calls"
                return False
            problem = self._take(message)
            if problem:
                self.protocol_error = problem
                return False
            if self.done:
                break
        return True

    def _take(self, message: wire.Message) -> str:
        """Apply one message; a non-empty string says why it is not acceptable."""
        header = message.header
        event = header.get("event")
        now = time.monotonic()
        if event == "loaded":
            self.loaded = True
        elif event == "load_failed":
            self.load_failure = _load_failure(header)
            self.done = True
        elif event in ("begin", "result"):
            key = header.get("key")
            if not isinstance(key, str) or key not in self.keys:
                return f"a message for an unknown call {wire.capped_text(repr(key), 60)}"
            if key in self.results:
                return f"a second result for {key}"
            if event == "begin":
                self.current = key
                self.cpu_base = _seconds(header.get("cpu"), self.cpu_base)
                self.queued_base = _seconds(header.get("queued"), self.queued_base)
            else:
                self.results[key] = _call_result(key, header, message.blobs)
                self.current = None
            self.call_started = now
            self.due = min(now + self.job.call_timeout, self.hard_due)
        elif event == "done":
            self.stdout = wire.capped_text(header.get("stdout", ""), wire.MAX_STDOUT)
            self.done = True
        else:
            return f"an unknown event {wire.capped_text(repr(event), 60)}"
        return ""

    def overdue(self) -> bool:
        """At `due`: whether to stop the child now. A call is stopped once it has used
        `call_timeout` seconds of CPU, or waited WALL_BACKSTOP times that (time neither on
        a CPU nor queued for one), or run HARD_LIMIT times that by the wall clock; until
        then, a call slowed down by a busy machine gets its deadline moved on."""
        now = time.monotonic()
        if self.cpu_probe is None:
            return True
        if now >= self.hard_due:
            self.stopped_for = "wall"
            return True
        limit = self.job.call_timeout
        elapsed = now - self.call_started
        if elapsed >= limit * HARD_LIMIT:
            self.stopped_for = "wall"
            return True
        reading = self.cpu_probe()
        if reading is None:
            return True
        used = max(reading.cpu - self.cpu_base, 0.0)
        if used >= limit:
            self.stopped_for = "cpu"
            return True
        waited = elapsed - used - max(reading.queued - self.queued_base, 0.0)
        if waited >= limit * WALL_BACKSTOP:
            self.stopped_for = "wait"
            return True
        # The earliest either limit can be reached from here.
        step = max(min(limit - used, limit * WALL_BACKSTOP - waited), 0.05)
        self.due = min(now + step, self.call_started + limit * HARD_LIMIT, self.hard_due)
        return False

    def finish(self, ending: Ending, returncode: int | None = None, sandbox_failure: str = "") -> JobResult:
        """The job's result. `sandbox_failure` says the sandbox itself failed under
        the job (not the submission): calls without a result are then told so."""
        budget_spent_now = ending is Ending.TIMED_OUT and self.due >= self.budget_due and self.job.budget is not None
        if sandbox_failure:
            status, message = "crashed", (f"the grader's sandbox failed while running your code ({sandbox_failure}); "
                                          "this is not your code's fault: please submit again")
        else:
            status, message = self._containment(ending, returncode)
        # Calls run in order, so the first one without a result is the one that was
        # running, even if its "begin" never reached us.
        running = self.current or next((key for key in self.keys if key not in self.results), None)
        results: dict[str, CallResult] = {}
        for key in self.keys:
            if self.load_failure is not None:
                failure = self.load_failure
                results[key] = CallResult(key, failure.status, message=failure.message, extra=dict(failure.extra))
            elif key in self.results:
                results[key] = self.results[key]
            elif budget_spent_now:
                results[key] = budget_spent(key, self.job.budget)
            elif status is not None and not self.loaded:
                # The file never finished loading: that is what ran too long or crashed,
                # not a function (which the file may not even define).
                results[key] = CallResult(key, status, message=message, extra={"phase": "load"})
            elif status is not None and key == running:
                results[key] = CallResult(key, status, message=message)
            elif status is not None:
                # The call never started: say what stopped the job, never blame this call.
                results[key] = CallResult(key, "not_run", message=f"an earlier call {message}",
                                          extra={"reason": STOPPED, "cause": status})
            else:
                results[key] = CallResult(key, "crashed", message="the process ended before returning a result")
        return JobResult(results, self.stdout, time.monotonic() - self.started)

    def _containment(self, ending: Ending, returncode: int | None) -> tuple[str | None, str]:
        if ending is Ending.TIMED_OUT:
            limit = self.job.call_timeout
            if self.stopped_for == "cpu":
                return "timeout", f"used more than {limit:g} s of CPU time: an infinite loop?"
            if self.stopped_for == "wait":
                return "timeout", (f"waited more than {limit * WALL_BACKSTOP:g} s without computing "
                                   "(time.sleep? input()? a lock?)")
            if self.stopped_for == "wall":
                return "timeout", f"ran longer than {limit * HARD_LIMIT:g} s: an infinite loop?"
            return "timeout", f"ran longer than {limit:g} s: an infinite loop?"
        if ending is Ending.TOO_MUCH_OUTPUT:
            if self.protocol_error:
                return "crashed", f"sent a malformed result ({wire.capped_text(self.protocol_error, 300)})"
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


def _extras(header: dict[str, Any]) -> dict[str, Any]:
    """The optional fields a call's result may carry, each checked and capped."""
    extra: dict[str, Any] = {}
    if "module" in header:
        extra["module"] = wire.capped_text(header["module"], 200)
    if "gradcheck" in header:
        report = header["gradcheck"]
        if isinstance(report, dict):
            extra["gradcheck"] = {"passed": report.get("passed") is True,
                                  "message": wire.capped_text(report.get("message", ""))}
        else:
            extra["gradcheck"] = {"passed": False, "message": "the gradcheck report could not be read"}
    return extra


def _status(header: dict[str, Any]) -> str | None:
    status = header.get("status", "crashed")
    return status if isinstance(status, str) and status in CHILD_STATUSES else None


def _load_failure(header: dict[str, Any]) -> CallResult:
    status = _status(header)
    if status is None or status == "ok":
        return CallResult("", "crashed", message="reported an unknown status while loading the file",
                          extra={"phase": "load"})
    extra = {"phase": "load", **{k: v for k, v in _extras(header).items() if k == "module"}}
    message = wire.capped_text(header.get("message", extra.get("module", "")))
    return CallResult("", status, message=message, extra=extra)


def _call_result(key: str, header: dict[str, Any], blobs: list[bytes]) -> CallResult:
    status = _status(header)
    if status is None:
        return CallResult(key, "crashed", message=f"reported an unknown status {wire.capped_text(repr(header.get('status')), 40)}")
    extra = _extras(header)
    if status != "ok":
        return CallResult(key, status, message=wire.capped_text(header.get("message", "")), extra=extra)
    try:
        value = wire.decode_value(header.get("value"), blobs)
    except wire.WireError as exc:
        return CallResult(key, "wrong_type", message=f"the returned value could not be read: {wire.capped_text(str(exc), 300)}")
    return CallResult(key, "ok", value=value, extra=extra)


class Runner(Protocol):
    """Runs a job in a process the trusted engine does not share."""

    def run(self, job: Job) -> JobResult: ...


def await_exit(collector: JobCollector, exited: Callable[[float], bool], kill: Callable[[], None]) -> Ending:
    """The child closed its result pipe before its results were all in, but that does not
    mean it has ended: a job can close the pipe and go on computing or sleeping. Wait for
    it to end on the job's own clock (`exited(seconds)` waits at most that long and says
    whether it did), and stop it at the running call's deadline as if the pipe were still
    open: an infinite loop is a timeout, never a grader that stopped answering."""
    while True:
        remaining = collector.due - time.monotonic()
        if remaining <= 0:
            if not collector.overdue():
                continue
            kill()
            return Ending.TIMED_OUT
        if exited(remaining):
            return Ending.EXITED


def collect(process_fd: int, collector: JobCollector, kill: Any, wait: Any,
            exited: Callable[[float], bool] | None = None) -> JobResult:
    """Pump a result pipe into the collector until the child ends, times out or
    sends too much; `kill()` kills the child's whole process group, `wait()`
    returns its exit code, `exited(seconds)` waits at most that long for the child
    to end once it has closed the pipe early (see `await_exit`)."""
    ending = Ending.EXITED
    while True:
        remaining = collector.due - time.monotonic()
        if remaining <= 0:
            if not collector.overdue():
                continue
            ending = Ending.TIMED_OUT
            kill()
            break
        ready, _, _ = select.select([process_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(process_fd, 1 << 20)
        if not chunk:
            if not collector.done and exited is not None:
                ending = await_exit(collector, exited, kill)
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

        held: set[signal.Signals] = set()

        def limits() -> None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # the caller's mask, not the one held for the fork
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        with tempfile.TemporaryDirectory(prefix="nablagrade-job-") as scratch:
            env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                   "MKL_NUM_THREADS": "1", "HOME": scratch, "PYTHONHASHSEED": "0"}
            # A Ctrl-C that lands in the fork's at-fork hooks would be printed and dropped
            # ("Exception ignored in ..."), and the grading would go on: hold it until the fork is over.
            held.update(signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}))
            try:
                process = subprocess.Popen(
                    [sys.executable, "-I", "-m", "graders.harness", str(write_fd)],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    pass_fds=(write_fd,), preexec_fn=limits, start_new_session=True, env=env, cwd=scratch,
                )
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(write_fd)
            try:
                process.stdin.write(payload)
                process.stdin.close()
            except BrokenPipeError:
                pass
            # A fresh interpreter imports numpy (and torch, seconds on a loaded machine) before the
            # submission is even read: that is not the submission's time.
            startup = 10.0 if job.needs_torch else 2.0

            def kill() -> None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            def exited(seconds: float) -> bool:
                try:
                    process.wait(timeout=seconds)
                except subprocess.TimeoutExpired:
                    return False
                return True

            result = collect(read_fd, JobCollector(job, startup, lambda: process_clock(process.pid)),
                             kill, process.wait, exited)
            kill()  # whatever the child left running in its group goes too
            return result


_TICKS = os.sysconf("SC_CLK_TCK")


def _seconds(value: Any, default: float) -> float:
    """A reading the child sent: a plain, finite, non-negative number of seconds, or `default`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1e9:
        return float(value)
    return default


def process_clock(pid: int) -> ProcessClock | None:
    """A live process's CPU time (user + system, all threads: /proc/<pid>/stat) and its main
    thread's time queued for a CPU (/proc/<pid>/schedstat); None if it is gone. Both files
    show these numbers to any uid, even for a process that is not dumpable."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2:].split()  # after the command name, which may hold spaces
    try:
        cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime: fields 14 and 15 of stat
    except (IndexError, ValueError):
        return None
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as handle:
            queued = int(handle.read().split()[1]) / 1e9  # ns runnable but not running
    except (OSError, IndexError, ValueError):
        queued = 0.0  # the kernel keeps no scheduler statistics: waiting is then judged generously
    return ProcessClock(cpu, queued)
