"""No blame on the honest: when something outside a submission's code ends or stops
its process (the child forked for its job, the warm parent), the job runs again in
a fresh parent, and the student is never told "infinite loop?" or "used more
memory than allowed". Each disturbance is real: this test process signals the
sandbox's processes from outside, as an attacker or the kernel would."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from graders.runner import Call, Job
from graders.sandbox import SandboxRunner
from graders.sandbox.parent import REPLY_SECONDS
from graders.sandbox.zygote import aimed_at
from tests.graders.sandbox.conftest import HOSTILE

HONEST = (HOSTILE / "_clean_probe.py").read_text()
BLAME = ("infinite loop", "more memory", "memory_limit", "timeout")
# An honest function that takes a moment, so the test can strike while it runs.
SLOW = "import numpy as np\nimport time\ndef sigmoid_grad(x):\n    time.sleep(0.4)\n    s = 1 / (1 + np.exp(-x))\n    return s * (1 - s)\n"


@pytest.fixture
def fresh_sandbox():
    """A runner of its own: these tests kill its processes."""
    fresh_sandbox = SandboxRunner()
    fresh_sandbox.self_check()
    yield fresh_sandbox
    fresh_sandbox.close()


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


def _processes() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def warm_parent_pid(fresh_sandbox: SandboxRunner) -> int:
    """The zygote (pid 1 inside the sandbox), seen from the host."""
    parent = next(p for p in fresh_sandbox._all if p.alive and p.kind == "numpy")

    def interpreter(pid: int) -> bool:  # not bubblewrap, whose arguments name zygote.py too
        argv = _cmdline(pid)
        return bool(argv) and any(a.endswith("zygote.py") for a in argv) and not argv[0].endswith("bwrap")

    found = [pid for pid in _processes() if interpreter(pid) and _is_descendant(pid, parent.process.pid)
             and not interpreter(int(_status(pid).get("PPid", "0") or 0))]
    assert len(found) == 1, found
    return found[0]


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _is_descendant(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        pid = int(_status(pid).get("PPid", "0") or 0)
    return False


def children_of(pid: int) -> list[int]:
    return [child for child in _processes() if _status(child).get("PPid") == str(pid)]


def spare_child(fresh_sandbox: SandboxRunner) -> int:
    """The child the warm parent forked ahead for the next job (once the last job's child is gone)."""
    zygote = warm_parent_pid(fresh_sandbox)
    for _ in range(200):
        children = children_of(zygote)
        if len(children) == 1:
            return children[0]
        time.sleep(0.01)
    raise AssertionError(f"the warm parent has children {children_of(zygote)}")


def full_marks_without_blame(document: dict) -> None:
    messages = " ".join(c["message"] for p in document["problems"] for c in p["checks"] if not c["passed"])
    assert document["score"] == document["max_score"], messages[:600]
    assert not any(word in messages for word in BLAME)


def test_a_killed_spare_child_does_not_cost_the_next_student(fresh_sandbox, grade_with):
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    os.kill(spare_child(fresh_sandbox), signal.SIGKILL)
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))


def test_a_stopped_spare_child_is_not_an_infinite_loop(fresh_sandbox, grade_with):
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    spare = spare_child(fresh_sandbox)
    os.kill(spare, signal.SIGSTOP)
    try:
        full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    finally:
        try:
            os.kill(spare, signal.SIGCONT)
        except ProcessLookupError:
            pass


def test_a_killed_warm_parent_between_jobs_is_replaced(fresh_sandbox, grade_with):
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    old = warm_parent_pid(fresh_sandbox)
    os.kill(old, signal.SIGKILL)
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    assert warm_parent_pid(fresh_sandbox) != old


@pytest.mark.parametrize("victim", ["child", "warm parent"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSTOP])
def test_a_job_disturbed_while_it_runs_runs_again(fresh_sandbox, grade_with, victim, how):
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    zygote = warm_parent_pid(fresh_sandbox)
    before = set(children_of(zygote))  # the spare that will take the next job
    struck: list[int] = []

    def strike() -> None:
        time.sleep(0.25)  # the job's child is inside its first sleep by now
        running = [pid for pid in children_of(zygote) if pid in before]
        target = running[0] if victim == "child" and running else zygote
        struck.append(target)
        os.kill(target, how)

    thread = threading.Thread(target=strike)
    thread.start()
    try:
        document = grade_with(fresh_sandbox, SLOW)
    finally:
        thread.join()
        for pid in struck:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    assert struck
    full_marks_without_blame(document)
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))  # and the next student too


def test_a_job_that_kills_itself_is_still_reported(fresh_sandbox):
    """The re-run is not a way out: a job that ends itself with SIGKILL the same way
    twice is reported as it ended (the kill family is filtered, so it must crash hard)."""
    source = "import numpy as np\ndef f():\n    return np.ones(2**40)\n"
    job = Job(source=source, calls=(Call("k", "f", ()),), allowed=frozenset({"numpy"}))
    result = fresh_sandbox.run(job).calls["k"]
    assert result.status == "memory_limit"


@pytest.fixture
def grade_with():
    from graders.assignment import ad_hoc
    from graders.engine import grade_source
    from graders.problem import get_problem

    def _grade(fresh_sandbox: SandboxRunner, source: str) -> dict:
        return grade_source(source, ad_hoc([get_problem("sigmoid")]), runner=fresh_sandbox)

    return _grade


def test_a_child_that_will_not_end_after_its_results_is_killed_not_waited_for(fresh_sandbox, grade_with):
    lingering = (HOSTILE / "patch_process_exit.py").read_text()  # os._exit replaced by a 60 s sleep
    full_marks_without_blame(grade_with(fresh_sandbox, lingering))
    started = time.monotonic()
    full_marks_without_blame(grade_with(fresh_sandbox, HONEST))
    assert time.monotonic() - started < REPLY_SECONDS  # it used to wait the whole REPLY_SECONDS first


def test_a_late_kill_never_reaches_the_child_waiting_for_the_next_job():
    assert aimed_at(b'{"cmd": "kill", "job": 7}', 7)
    assert not aimed_at(b'{"cmd": "kill", "job": 7}', 8)
    assert not aimed_at(b'{"cmd": "kill", "job": 7}', None)  # a spare that has not taken a job yet
    assert aimed_at(b'{"cmd": "kill"}', None) and aimed_at(b"garbage", 3)
