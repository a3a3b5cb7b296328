"""No "infinite loop?" for the honest on a busy machine: a call is judged by the CPU
time it used and by the time it waited (neither computing nor queued for a CPU), with a
generous wall-clock limit. The machine is made busy for real:
the sandbox's processes are pinned to one CPU next to busy processes, each in a session of
its own, so each call gets about a tenth of that CPU or less."""

import os
import subprocess
import sys

import pytest

from graders.assignment import ad_hoc
from graders.engine import grade_source
from graders.problem import get_problem
from graders.sandbox import SandboxRunner
from graders.sandbox.parent import WarmParent, _children_of
from tests.graders.sandbox.conftest import HOSTILE

BURN = 0.25  # CPU seconds of honest work per call: far below CALL_TIMEOUT, over it in wall time when starved
SLOW_BUT_HONEST = f"""
import time
import numpy as np

def sigmoid_grad(x):
    start = time.process_time()
    while time.process_time() - start < {BURN}:
        pass
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
"""
LEGENDRE = """
import torch

torch.set_default_dtype(torch.float64)


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
"""


@pytest.fixture
def torch_warm_sandbox():
    """A sandbox of its own, with the torch parent warm: the tests re-prioritise its processes."""
    runner = SandboxRunner()
    runner.self_check()
    runner.warm_up("torch")
    yield runner
    runner.close()


BUSY_SESSIONS = 9  # the sandbox's share of its CPU: about 1 / (BUSY_SESSIONS + 1)


@pytest.fixture
def starved(torch_warm_sandbox):
    """Pin every sandbox process to one CPU next to BUSY_SESSIONS busy processes, each in a
    session of its own. With autogroups on, the scheduler shares a CPU between sessions, so the
    sandbox (bwrap --new-session) gets about a tenth of it without any priority change, which
    only root could make (the sandbox's /proc files are not the worker user's to write)."""
    cpu = max(os.sched_getaffinity(0))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
            for _ in range(BUSY_SESSIONS)]
    for process in busy:
        os.sched_setaffinity(process.pid, {cpu})

    def starve(nice: int | None = None) -> None:  # again before each job: the spare child is forked after each one
        pinned = lowered = 0
        for parent in torch_warm_sandbox._all:
            if parent.process is None:
                continue
            for inner in _children_of(parent.process.pid):
                for pid in [inner, *_children_of(inner)]:
                    try:
                        os.sched_setaffinity(pid, {cpu})
                        pinned += 1
                    except OSError:
                        continue
                    if nice is None:
                        continue
                    try:
                        # Deeper still: with autogroups, nice weighs only within a session, so
                        # lower the sandbox's session (bwrap --new-session) too.
                        os.setpriority(os.PRIO_PROCESS, pid, nice)
                        with open(f"/proc/{pid}/autogroup", "w") as group:
                            group.write(str(nice))
                        lowered += 1
                    except OSError:
                        pass
        if not pinned:
            pytest.skip("cannot pin the sandbox's processes to one CPU from this user")
        if nice is not None and not lowered:
            pytest.skip("cannot lower the priority of the sandbox's session from this user (root can)")

    try:
        yield starve
    finally:
        for process in busy:
            process.kill()
            process.wait()


def _grade(runner: SandboxRunner, starve, source: str, problem: str, nice: int | None = None) -> dict:
    starve(nice)
    return grade_source(source, ad_hoc([get_problem(problem)]), runner=runner)["problems"][0]


def test_a_slow_honest_call_on_a_starved_cpu_keeps_full_marks(torch_warm_sandbox, starved, monkeypatch):
    problem = _grade(torch_warm_sandbox, starved, SLOW_BUT_HONEST, "sigmoid")
    messages = [c["message"] for c in problem["checks"] if not c["passed"]]
    assert problem["score"] == problem["max_score"], messages
    # The control, which shows the CPU really was starved (tests assert no wall-clock times):
    # judged by the wall clock alone (no reading of the process), the same honest file on the
    # same starved CPU is told it loops forever.
    monkeypatch.setattr(WarmParent, "_children_cpu", lambda self: None)
    problem = _grade(torch_warm_sandbox, starved, SLOW_BUT_HONEST, "sigmoid")
    assert problem["diagnosis"] == "timeout"


def test_legendre_p3_in_the_torch_sandbox_on_a_starved_cpu_keeps_full_marks(torch_warm_sandbox, starved):
    # legendre_p3's calls use a few hundredths of a second of CPU each: only the sandbox's session
    # at nice 10 next to the busy ones (about 1 % of the CPU) makes them take seconds of wall time.
    problem = _grade(torch_warm_sandbox, starved, LEGENDRE, "legendre_p3", nice=10)
    messages = [c["message"] for c in problem["checks"] if not c["passed"]]
    assert problem["score"] == problem["max_score"], messages
    assert not any("infinite loop" in message for message in messages)


def test_a_real_infinite_loop_is_still_stopped_by_its_cpu_time(torch_warm_sandbox):
    problem = _grade(torch_warm_sandbox, lambda nice: None, (HOSTILE / "infinite_loop.py").read_text(), "sigmoid")
    assert problem["diagnosis"] == "timeout"
    assert "CPU time" in problem["checks"][0]["message"]


def test_a_call_that_waits_is_stopped_after_ten_seconds_of_waiting(torch_warm_sandbox):
    source = "import time\ndef sigmoid_grad(x):\n    time.sleep(3600)\n"
    problem = _grade(torch_warm_sandbox, lambda nice: None, source, "sigmoid")
    assert problem["diagnosis"] == "timeout"
    assert "waited more than 10 s" in problem["checks"][0]["message"]
