"""The trusted side of the runner survives any result stream: forged frames, lying
npy headers, huge shapes and megabytes of text become diagnoses in a document of
bounded size, never an exception in the trusted process.

The fuzz test drives the real engine (`grade_source`) with a runner whose child is
replaced by a random, seeded generator of hostile streams: every frame a sandboxed
child could write, well-formed or not, goes through `JobCollector` as the sandbox's
own does."""

from __future__ import annotations

import io
import json
import random
import struct

import numpy as np
import pytest

from graders import wire
from graders.assignment import Assignment, ProblemConfig
from graders.engine import grade_source
from graders.problem import get_problem
from graders.runner import Budget, Call, CallResult, Ending, Job, JobCollector, JobResult, await_exit

MAX_DOCUMENT = 256 * 1024  # one problem; what the hostile suite holds every document to
TEXT = 4 * 1024


def _frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


def _npy_header(shape_text: str, descr: str = "<f8") -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}"
    header += " " * (117 - len(header) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()


def _message(header: dict, blobs: list[bytes] = ()) -> bytes:
    text = json.dumps(dict(header, blobs=len(blobs)))
    for depth in (5, 50, 5000):  # nesting too deep for json.dumps itself: spliced in as text
        text = text.replace(f'"DEEP{depth}"', '{"t": "list", "items": [' * depth + '{"t": "none"}' + "]}" * depth)
    return _frame(text.encode()) + b"".join(_frame(b) for b in blobs)


class Forger:
    """Random hostile result streams for a job: valid messages, each possibly
    mutated, forged values, lying arrays and oversized fields."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def text(self) -> object:
        choice = self.rng.randrange(6)
        if choice == 0:
            return "x" * self.rng.choice([10, 5000, 3 * 1024 * 1024])
        if choice == 1:
            return {"nested": ["deep"] * 1000}
        if choice == 2:
            return 10**self.rng.randrange(1, 4000)
        if choice == 3:
            return None
        if choice == 4:
            return "\u2028\x00" * 3000
        return [1, 2, 3]

    def array_blob(self) -> bytes:
        choice = self.rng.randrange(10)
        if choice == 9:  # within the wire's limits, yet 1.5 million empty rows as a list
            return _npy_header("(1500000, 0)")
        if choice == 0:
            return _npy_header("(1099511627776, 0)")  # np.empty((2**40, 0))
        if choice == 1:
            return _npy_header("(3000000, 0)")
        if choice == 2:
            return _npy_header("(" + "1, " * 65 + ")")
        if choice == 3:
            return _npy_header("(18446744073709551617, 0)")  # overflows int64
        if choice == 4:
            return _npy_header("(-3, 4)")
        if choice == 5:
            return _npy_header("(2, 2)", descr="|O") + b"\x80\x04N."  # a pickle
        if choice == 6:
            return _npy_header("(3, 4)") + b"\0" * self.rng.choice([0, 8, 96, 200])
        if choice == 7:
            return bytes(self.rng.randrange(256) for _ in range(self.rng.randrange(1, 64)))
        buffer = io.BytesIO()
        shape = tuple(self.rng.randrange(0, 5) for _ in range(self.rng.randrange(0, 4)))
        np.save(buffer, np.full(shape, self.rng.choice([0.25, np.nan, np.inf, -1e308])), allow_pickle=False)
        return buffer.getvalue()

    def value(self, blobs: list[bytes], depth: int = 0) -> object:
        choice = self.rng.randrange(10)
        if choice == 0 or depth > 3:
            blobs.append(self.array_blob())
            return {"t": "array", "blob": len(blobs) - 1 + self.rng.choice([0, 0, 0, 1, -100])}
        if choice == 1:
            return {"t": "scalar", "v": self.rng.choice([1.5, 10**400, float("nan"), True, "1", None])}
        if choice == 2:
            return {"t": self.rng.choice(["list", "tuple"]), "items": [self.value(blobs, depth + 1)
                                                                     for _ in range(self.rng.randrange(4))]}
        if choice == 3:
            return {"t": "list", "items": [{"t": "none"}] * self.rng.choice([10, 200_000])}
        if choice == 4:
            return {"t": "dict", "items": [["k" * self.rng.choice([1, 10_000]), self.value(blobs, depth + 1)]]}
        if choice == 5:
            return {"t": "other", "type": self.text()}
        if choice == 6:
            return {"t": self.text()}
        if choice == 7:
            return [1, 2]
        return f"DEEP{self.rng.choice([5, 50, 5000])}"

    def result(self, key: object) -> bytes:
        status = self.rng.choice(["ok", "ok", "ok", "exception", "forbidden_import", "wrong_type", "bogus",
                                  "timeout", None, 7])
        header: dict = {"event": "result", "key": key, "status": status}
        blobs: list[bytes] = []
        if status == "ok":
            header["value"] = self.value(blobs)
        for name in ("message", "module"):
            if self.rng.random() < 0.4:
                header[name] = self.text()
        if self.rng.random() < 0.3:
            header["gradcheck"] = self.rng.choice([{"passed": True, "message": self.text()}, [1], "yes",
                                                   {"passed": "true"}])
        return _message(header, blobs)

    def stream(self, job: Job) -> bytes:
        keys = [call.key for call in job.calls]
        parts = []
        if self.rng.random() < 0.15:
            parts.append(_message({"event": "load_failed", "status": self.rng.choice(["exception", "ok", "zzz", None]),
                                   "message": self.text(), "module": self.text(), "stdout": self.text()}))
        else:
            parts.append(_message({"event": "loaded"}))
            for key in keys:
                forged = self.rng.choice([key, key, key, "x" * 100_000, None, keys[0]])
                if self.rng.random() < 0.8:
                    parts.append(_message({"event": "begin", "key": forged}))
                parts.append(self.result(forged))
            parts.append(_message({"event": self.rng.choice(["done", "done", "nonsense"]), "stdout": self.text()}))
        data = b"".join(parts)
        mutation = self.rng.randrange(6)
        if mutation == 0 and data:  # flip bytes
            data = bytearray(data)
            for _ in range(self.rng.randrange(1, 8)):
                data[self.rng.randrange(len(data))] = self.rng.randrange(256)
            data = bytes(data)
        elif mutation == 1:  # cut it short, as a killed child would
            data = data[: self.rng.randrange(len(data) + 1)]
        elif mutation == 2:  # a frame that claims to be enormous
            data += struct.pack(">I", 0xFFFFFFF0) + b"{"
        return data


class ForgedRunner:
    """A runner whose 'child' is the forger: the stream crosses JobCollector in
    random pieces, and the job ends in a random way."""

    def __init__(self, seed: int) -> None:
        self.forger = Forger(random.Random(seed))
        self.rng = random.Random(seed + 1)

    def run(self, job: Job) -> JobResult:
        collector = JobCollector(job)
        data = self.forger.stream(job)
        ending = Ending.EXITED
        pos = 0
        while pos < len(data) and not collector.done:
            step = self.rng.choice([1, 7, 4096, 1 << 20])
            if not collector.feed(data[pos : pos + step]):
                ending = Ending.TOO_MUCH_OUTPUT
                break
            pos += step
        if ending is Ending.EXITED and self.rng.random() < 0.2:
            ending = Ending.TIMED_OUT
        return collector.finish(ending, self.rng.choice([0, 0, -9, -11, -31, -24, 1]))


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("problem_id", ["sigmoid", "one_layer_net", "legendre_p3", "gd_trajectory"])
def test_forged_result_streams_end_as_diagnoses_in_a_bounded_document(problem_id):
    assignment = Assignment("fuzz", "fuzz", (ProblemConfig(get_problem(problem_id)),))
    source = f"def {get_problem(problem_id).function}(*args):\n    return 0\n"
    for seed in range(150):
        document = grade_source(source, assignment, runner=ForgedRunner(seed * 7919 + len(problem_id)))
        text = json.dumps(document, allow_nan=False)
        assert len(text) <= MAX_DOCUMENT, (seed, len(text))
        problem = document["problems"][0]
        assert 0 <= problem["score"] <= problem["max_score"]
        for string in _strings(document):
            assert len(string) <= 2 * TEXT or string == document.get("output"), (seed, string[:200])


class ConstantRunner:
    """Every call returns the same value, as a well-behaved child would send it."""

    def __init__(self, value: object) -> None:
        self.value = value

    def run(self, job: Job) -> JobResult:
        return JobResult({call.key: CallResult(call.key, "ok", value=self.value) for call in job.calls})


@pytest.mark.parametrize("shape", [(1_500_000, 0), (0, 1_500_000), (2000, 0, 700)])
def test_an_empty_array_with_a_huge_shape_keeps_the_document_small(shape):
    assignment = Assignment("t", "t", (ProblemConfig(get_problem("sigmoid")),))
    document = grade_source("def sigmoid_grad(x):\n    return x\n", assignment, runner=ConstantRunner(np.empty(shape)))
    assert document["problems"][0]["diagnosis"] == "wrong_shape"
    assert len(json.dumps(document)) <= MAX_DOCUMENT


class FilledRunner:
    """Every call returns an array of its input's shape filled with one value."""

    def __init__(self, value: object, dtype: type = np.float64) -> None:
        self.value, self.dtype = value, dtype

    def run(self, job: Job) -> JobResult:
        return JobResult({call.key: CallResult(call.key, "ok", value=np.full(np.shape(call.args[0][1]), self.value,
                                                                             dtype=self.dtype))
                          for call in job.calls})


@pytest.mark.parametrize(("value", "dtype"), [(1e308, np.float64), (-1e308, np.float64), (1e300, np.float64),
                                              (np.longdouble("1e4000"), np.longdouble)],
                         ids=["1e308", "-1e308", "1e300", "long-double-1e4000"])
def test_values_at_float64s_limits_are_judged_without_a_warning_in_the_trusted_process(value, dtype):
    # The suite turns warnings into errors: numpy's overflow and invalid-value warnings about
    # a value the student chose (a long double past float64, a vdot that overflows) would be
    # an exception here, and noise on a worker's stderr.
    assignment = Assignment("t", "t", (ProblemConfig(get_problem("sigmoid")),))
    document = grade_source("def sigmoid_grad(x):\n    return x\n", assignment, runner=FilledRunner(value, dtype))
    assert document["problems"][0]["diagnosis"] in ("wrong_value", "not_finite")
    assert document["score"] < document["max_score"]


# ---------------------------------------------------------------- the collector, case by case


def _job(calls: int = 2, **kwargs) -> Job:
    return Job(source="", calls=tuple(Call(f"p/{i}", "f", ()) for i in range(calls)), allowed=frozenset(), **kwargs)


def _collect(job: Job, data: bytes, ending: Ending = Ending.EXITED, returncode: int = 0) -> JobResult:
    collector = JobCollector(job)
    if not collector.feed(data):
        ending = Ending.TOO_MUCH_OUTPUT
    return collector.finish(ending, returncode)


def test_megabytes_of_text_in_a_load_failure_are_capped():
    huge = "A" * (3 * 1024 * 1024)
    result = _collect(_job(), _message({"event": "load_failed", "status": "forbidden_import", "message": huge,
                                        "module": huge}))
    for call in result.calls.values():
        assert call.status == "forbidden_import"
        assert len(call.message) <= TEXT and len(call.extra["module"]) <= 200


def test_an_unknown_load_status_is_a_crash_not_a_pass():
    result = _collect(_job(), _message({"event": "load_failed", "status": "ok"}))
    assert {call.status for call in result.calls.values()} == {"crashed"}


@pytest.mark.parametrize("shape", ["(1099511627776, 0)", "(3000000, 0)", "(" + "1, " * 65 + ")",
                                   "(18446744073709551617, 0)", "(9, 9, 9, 9, 9, 9, 9, 9, 9)"])
def test_arrays_with_huge_or_odd_shapes_are_refused_before_allocation(shape):
    data = _message({"event": "result", "key": "p/0", "status": "ok", "value": {"t": "array", "blob": 0}},
                    [_npy_header(shape)])
    call = _collect(_job(1), data).calls["p/0"]
    assert call.status == "wrong_type"
    assert "could not be read" in call.message and len(call.message) < 500


def test_forged_keys_and_second_results_are_a_malformed_stream():
    forged = _message({"event": "result", "key": "p/9", "status": "ok", "value": {"t": "none"}})
    result = _collect(_job(), _message({"event": "loaded"}) + forged)
    assert result.calls["p/0"].status == "crashed" and "unknown call" in result.calls["p/0"].message
    twice = _message({"event": "result", "key": "p/0", "status": "ok", "value": {"t": "scalar", "v": 1.0}})
    result = _collect(_job(), _message({"event": "loaded"}) + twice + twice)
    assert result.calls["p/0"].value == 1.0  # the first result stands
    assert result.calls["p/1"].status in ("crashed", "not_run")


def test_a_flood_of_messages_is_cut_off():
    begin = _message({"event": "begin", "key": "p/0"})
    result = _collect(_job(), _message({"event": "loaded"}) + begin * 1000)
    assert result.calls["p/0"].status == "crashed" and "more messages" in result.calls["p/0"].message


def test_gradcheck_reports_are_checked():
    for report, passed in (([1], False), ({"passed": "true"}, False), ({"passed": True, "message": "x" * 10**6}, True)):
        data = _message({"event": "result", "key": "p/0", "status": "ok", "value": {"t": "none"}, "gradcheck": report})
        extra = _collect(_job(1), data).calls["p/0"].extra["gradcheck"]
        assert extra["passed"] is passed and len(extra["message"]) <= TEXT


def test_stdout_is_capped_at_64_kib():
    result = _collect(_job(0), _message({"event": "loaded"}) + _message({"event": "done", "stdout": "y" * 10**6}))
    assert len(result.stdout) <= wire.MAX_STDOUT


def test_a_stream_read_one_byte_at_a_time_gives_the_same_result():
    data = (_message({"event": "loaded"}) + _message({"event": "begin", "key": "p/0"})
            + _message({"event": "result", "key": "p/0", "status": "ok", "value": {"t": "array", "blob": 0}},
                       [wire.array_to_npy(np.arange(6.0).reshape(2, 3))])
            + _message({"event": "done", "stdout": "hi"}))
    collector = JobCollector(_job(1))
    for i in range(len(data)):
        assert collector.feed(data[i : i + 1])
    assert collector.done
    result = collector.finish(Ending.EXITED, 0)
    np.testing.assert_array_equal(result.calls["p/0"].value, np.arange(6.0).reshape(2, 3))
    assert result.stdout == "hi"


def test_a_spent_time_budget_is_not_blamed_on_the_running_call():
    job = _job(3, budget=Budget(total=30.0, left=0.0))
    collector = JobCollector(job)
    collector.feed(_message({"event": "loaded"}) + _message({"event": "begin", "key": "p/0"}))
    assert collector.due <= collector.budget_due
    result = collector.finish(Ending.TIMED_OUT, -9)
    for call in result.calls.values():
        assert call == CallResult(call.key, "not_run", message="the submission used its whole time budget (30 s)",
                                  extra={"reason": "budget"})


def _cpu_job(calls: int = 2) -> Job:
    return Job(source="", calls=tuple(Call(f"sigmoid/{i}", "sigmoid_grad", ()) for i in range(calls)),
               allowed=frozenset(), call_timeout=2.0)


def _clocked(monkeypatch, calls: int = 2):
    from graders import runner

    clock = {"now": 1000.0, "cpu": 0.0, "queued": 0.0}
    monkeypatch.setattr(runner.time, "monotonic", lambda: clock["now"])
    collector = JobCollector(_cpu_job(calls), 0.0, lambda: runner.ProcessClock(clock["cpu"], clock["queued"]))
    return clock, collector


def test_a_call_starved_of_cpu_gets_its_deadline_moved_on(monkeypatch):
    clock, collector = _clocked(monkeypatch)
    begin = _message({"event": "begin", "key": "sigmoid/0", "cpu": 0.1, "queued": 0.2})
    assert collector.feed(_message({"event": "loaded"}) + begin)
    clock.update(now=1002.0, cpu=0.6, queued=1.7)  # 2 s of wall: 0.5 s computing, 1.5 s queued for a CPU
    assert not collector.overdue()
    assert collector.due == pytest.approx(1003.5)  # what is left of its 2 s of CPU comes first
    clock.update(now=1040.0, cpu=1.9, queued=38.0)  # a very busy machine: still not the call's fault
    assert not collector.overdue()
    clock["now"] = 1060.0  # 30 x 2 s by the wall clock: stopped whatever the readings say
    assert collector.overdue() and collector.stopped_for == "wall"


def test_a_call_that_waits_is_stopped_after_ten_seconds_of_waiting(monkeypatch):
    clock, collector = _clocked(monkeypatch)
    assert collector.feed(_message({"event": "loaded"}) + _message({"event": "begin", "key": "sigmoid/0", "cpu": 0.1}))
    clock.update(now=1002.0, cpu=0.1)
    assert not collector.overdue()
    assert collector.due == pytest.approx(1002.0 + 2.0)  # its CPU limit could be reached first
    clock.update(now=1009.9)
    assert not collector.overdue()
    clock.update(now=1010.0)  # 10 s neither computing nor queued
    assert collector.overdue() and collector.stopped_for == "wait"
    result = collector.finish(Ending.TIMED_OUT, -9)
    assert "waited more than 10 s" in result.calls["sigmoid/0"].message


def test_a_call_that_used_its_cpu_time_is_stopped_and_told_so(monkeypatch):
    clock, collector = _clocked(monkeypatch)
    assert collector.feed(_message({"event": "loaded"}) + _message({"event": "begin", "key": "sigmoid/0", "cpu": 0.1}))
    clock.update(now=1002.0, cpu=2.1)
    assert collector.overdue() and collector.stopped_for == "cpu"
    assert "2 s of CPU time" in collector.finish(Ending.TIMED_OUT, -9).calls["sigmoid/0"].message


def test_without_a_cpu_reading_the_wall_clock_decides(monkeypatch):
    from graders import runner

    clock = {"now": 1000.0}
    monkeypatch.setattr(runner.time, "monotonic", lambda: clock["now"])
    for probe in (None, lambda: None):
        collector = JobCollector(_cpu_job(), 0.0, probe)
        clock["now"] = 1002.0
        assert collector.overdue()
        clock["now"] = 1000.0


def test_forged_readings_buy_no_more_than_the_limits(monkeypatch):
    clock, collector = _clocked(monkeypatch)
    clock.update(cpu=50.0, queued=0.0)
    forged = _message({"event": "begin", "key": "sigmoid/0", "cpu": 1e8, "queued": -5.0})  # "I used nothing"
    assert collector.feed(_message({"event": "loaded"}) + forged)
    clock["now"] = 1009.9
    assert not collector.overdue()
    clock["now"] = 1010.0  # it did not compute (by its own account) and was not queued: waiting
    assert collector.overdue() and collector.stopped_for == "wait"
    # and the job as a whole never outlives (calls + 1) x 30 x 2 s
    assert collector.hard_due <= 1000.0 + 3 * 60.0


def test_a_pipe_closed_early_is_waited_out_on_the_calls_clock(monkeypatch):
    # A child can close its result pipe and go on computing: the end of the pipe is not the
    # end of the child, which is stopped at the running call's deadline like any other.
    clock, collector = _clocked(monkeypatch)
    assert collector.feed(_message({"event": "loaded"}) + _message({"event": "begin", "key": "sigmoid/0", "cpu": 0.0}))
    waits, kills = [], []

    def exited(seconds: float) -> bool:
        waits.append(seconds)
        clock.update(now=clock["now"] + seconds, cpu=clock["cpu"] + seconds)  # it computes all along
        return False

    assert await_exit(collector, exited, lambda: kills.append(1)) is Ending.TIMED_OUT
    assert kills == [1] and collector.stopped_for == "cpu" and sum(waits) == pytest.approx(2.0)
    assert "2 s of CPU time" in collector.finish(Ending.TIMED_OUT, -9).calls["sigmoid/0"].message


def test_a_child_that_ends_after_closing_its_pipe_is_not_killed(monkeypatch):
    clock, collector = _clocked(monkeypatch)
    assert collector.feed(_message({"event": "loaded"}) + _message({"event": "begin", "key": "sigmoid/0", "cpu": 0.1}))
    kills = []
    assert await_exit(collector, lambda seconds: True, lambda: kills.append(1)) is Ending.EXITED
    assert not kills
    assert "exited before returning" in collector.finish(Ending.EXITED, 0).calls["sigmoid/0"].message
