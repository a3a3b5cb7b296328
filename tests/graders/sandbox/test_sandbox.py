"""The sandbox as a whole: it refuses to start without isolation, it is one
runner for the CLI and the service, torch gets its own parent, and a broken
problem does not stop the others from being graded."""

import json
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from graders.assignment import ad_hoc
from graders.engine import grade_source
from graders.problem import get_problem
from graders.runner import Call, Job
from graders.sandbox import SandboxRunner, SandboxUnavailable, pool, seccomp_filter
from graders.selftest import solution_source
from tests.graders.sandbox.conftest import CHECKOUT

CORRECT_SIGMOID = """
import numpy as np

def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
"""

# The bank's own solution, as the self-test submits it.
LEGENDRE = solution_source(get_problem("legendre_p3"))


def full_marks(document: dict) -> bool:
    return document["score"] == document["max_score"]


# ---------------------------------------------------------------- fail closed


def test_refuses_without_bwrap_named_explicitly():
    with pytest.raises(SandboxUnavailable, match="bubblewrap is not installed"):
        SandboxRunner(bwrap="/nonexistent/bwrap")


def test_refuses_without_bwrap_on_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pool, "_RUNNERS", {})
    from graders.engine import default_runner

    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        default_runner()


def test_refuses_to_run_as_root():
    with pytest.raises(SandboxUnavailable, match="cannot drop privileges"):
        SandboxRunner(uid=0)


def test_self_check_refuses_a_sandbox_with_network(sandbox):
    weakened = SandboxRunner(extra_bwrap_args=("--share-net",))
    try:
        with pytest.raises(SandboxUnavailable, match="network interfaces are visible|is reachable"):
            weakened.self_check()
    finally:
        weakened.close()


def test_self_check_refuses_children_without_the_seccomp_filter(sandbox, monkeypatch):
    allow_everything = struct.pack("<HBBI", 0x06, 0, 0, 0x7FFF0000)  # BPF: return SECCOMP_RET_ALLOW
    monkeypatch.setattr(seccomp_filter, "compiled_filter", lambda child: allow_everything)
    weakened = SandboxRunner()
    try:
        with pytest.raises(SandboxUnavailable, match="the fork probe ended"):
            weakened.self_check()
    finally:
        weakened.close()


def test_cli_refuses_to_grade_without_the_sandbox(tmp_path):
    submission = tmp_path / "sigmoid.py"
    submission.write_text(textwrap.dedent(CORRECT_SIGMOID))
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    refused = subprocess.run([sys.executable, "-m", "graders.cli", "check", str(submission)], env=env,
                             capture_output=True, text=True, cwd=CHECKOUT, timeout=120)
    assert refused.returncode == 2
    assert "cannot start the sandbox: bubblewrap is not installed" in refused.stderr
    unsandboxed = subprocess.run([sys.executable, "-m", "graders.cli", "check", str(submission), "--no-sandbox"],
                                 env=env, capture_output=True, text=True, cwd=CHECKOUT, timeout=120)
    assert unsandboxed.returncode == 0
    assert "WITHOUT isolation" in unsandboxed.stderr


def test_default_runner_is_the_sandbox(sandbox):
    from graders.engine import default_runner

    assert isinstance(default_runner(), SandboxRunner)


# ---------------------------------------------------------------- who runs it


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            stack.extend(int(child) for child in children)
    return found


def test_sandbox_processes_are_unprivileged_on_the_host(grade_in_sandbox, sandbox):
    assert full_marks(grade_in_sandbox(CORRECT_SIGMOID))
    parents = [parent for parent in sandbox._all if parent.alive]
    assert parents
    for parent in parents:
        commands = []
        for pid in _descendants(parent.process.pid):
            try:  # a job's child may exit while we look
                status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (ProcessLookupError, FileNotFoundError):
                continue
            try:
                environ = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
            except PermissionError:
                # Not root: a process in the sandbox's user namespace hides its environment even
                # from the worker's uid; test_hostile proves from inside that no secret is there.
                assert os.geteuid() != 0
                environ = ""
            except (ProcessLookupError, FileNotFoundError):
                continue
            assert "0" not in status["Uid"].split(), (pid, status["Uid"])
            assert "0" not in status["Gid"].split()
            assert int(status["CapEff"], 16) == 0
            assert status["NoNewPrivs"].strip() == "1"
            assert "NABLA_SECRET" not in environ
            commands.append(command)
        assert any(c.startswith(parent.policy.bwrap) for c in commands)
        assert any("zygote.py" in c for c in commands)  # the warm parent (and its children) inside


# ---------------------------------------------------------------- grading goes on


def test_other_problems_are_graded_after_a_timeout_and_a_crash(grade_in_sandbox):
    source = """
    import numpy as np
    _ctypes = eval("__import__('ctypes')", {})

    def sigmoid_grad(x):
        while True:
            pass

    def softmax_jacobian(x):
        return _ctypes.string_at(0)

    def softplus_grad(x, beta):
        return 0.5 * (1.0 + np.tanh(0.5 * beta * x))
    """
    document = grade_in_sandbox(textwrap.dedent(source), "sigmoid", "softmax", "softplus")
    by_id = {p["id"]: p for p in document["problems"]}
    assert by_id["sigmoid"]["diagnosis"] == "timeout"
    assert by_id["softmax"]["diagnosis"] == "crashed"
    assert by_id["softplus"]["score"] == by_id["softplus"]["max_score"]


def test_random_state_is_seeded_per_job(sandbox):
    source = "import numpy as np\nimport random\ndef draw():\n    return [float(v) for v in np.random.rand(3)] + [random.random()]\n"

    def draw(seed: int) -> list[float]:
        job = Job(source=source, calls=(Call("k", "draw", ()),), allowed=frozenset({"numpy", "random"}), seed=seed)
        return sandbox.run(job).calls["k"].value

    assert draw(7) == draw(7)
    assert draw(7) != draw(8)


def test_inputs_reach_the_child_and_results_come_back_exactly(sandbox):
    x = np.random.default_rng(3).normal(size=(4, 3))
    job = Job(source="def f(x, k):\n    return x * k\n", calls=(Call("k", "f", (("x", x), ("k", 3))),),
              allowed=frozenset())
    result = sandbox.run(job).calls["k"]
    assert result.status == "ok"
    np.testing.assert_array_equal(result.value, x * 3)


def test_parent_is_recycled_after_max_jobs():
    runner = SandboxRunner(max_jobs=2)
    try:
        job = Job(source="def f():\n    return 1.0\n", calls=(Call("k", "f", ()),), allowed=frozenset())
        pids = []
        for _ in range(4):
            assert runner.run(job).calls["k"].value == 1.0
            parent = runner._all[0]
            pids.append(parent.process.pid if parent.process else None)
        # Stopped after its second job; the third started a fresh one.
        assert pids[1] is None and pids[3] is None
        assert pids[0] is not None and pids[2] is not None and pids[0] != pids[2]
    finally:
        runner.close()


def test_each_prefork_child_builds_its_own_runner(sandbox, monkeypatch):
    """Celery's prefork children inherit the parent's runner object; they must not use it."""
    monkeypatch.setattr(pool, "_RUNNERS", {})
    ours = pool.sandbox_runner()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it got, then leave without running pytest's teardown
        code = 1
        try:
            theirs = pool.sandbox_runner()
            document = grade_source(textwrap.dedent(CORRECT_SIGMOID), ad_hoc([get_problem("sigmoid")]), runner=theirs)
            os.write(write_fd, json.dumps({"same": theirs is ours, "full": full_marks(document)}).encode())
            theirs.close()
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    report = json.loads(os.read(read_fd, 4096))
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert report == {"same": False, "full": True}
    # The child's exit did not take our sandbox with it.
    assert full_marks(grade_source(textwrap.dedent(CORRECT_SIGMOID), ad_hoc([get_problem("sigmoid")]), runner=ours))
    ours.close()


# ---------------------------------------------------------------- torch


def test_torch_problem_runs_in_its_own_parent(grade_in_sandbox, sandbox, planted):
    document = grade_in_sandbox(textwrap.dedent(LEGENDRE), "legendre_p3")
    assert full_marks(document), json.dumps(document)[:800]
    kinds = {parent.kind for parent in sandbox._all if parent.alive}
    assert {"numpy", "torch"} <= kinds


def test_torch_parent_is_as_closed_as_the_numpy_one(grade_in_sandbox, planted):
    hostile = LEGENDRE.replace("        ctx.save_for_backward(x)", """        ctx.save_for_backward(x)
        environ = eval("__import__('os')", {}).environ
        if "NABLA_SECRET" in environ:
            raise RuntimeError(environ["NABLA_SECRET"])
        eval("__import__('socket')", {}).create_connection(("127.0.0.1", 6379))""")
    document = grade_in_sandbox(textwrap.dedent(hostile), "legendre_p3")
    assert document["problems"][0]["diagnosis"] == "forbidden_operation"
    assert planted["token"] not in json.dumps(document)
    assert full_marks(grade_in_sandbox(textwrap.dedent(LEGENDRE), "legendre_p3"))


def test_each_warm_parent_has_its_own_memory_and_pids_cgroup(grade_in_sandbox, sandbox):
    assert full_marks(grade_in_sandbox(CORRECT_SIGMOID))
    parent = next(p for p in sandbox._all if p.alive and p.kind == "numpy")
    if os.geteuid() != 0:  # only root can make one; the sandbox then relies on rlimits and says why
        assert parent.cgroup is None
        return
    directories = parent.cgroup.directories
    assert directories, parent.cgroup.reason
    limits = {}
    for directory in directories:
        for name in ("memory.limit_in_bytes", "memory.max", "pids.max"):
            if (directory / name).exists():
                limits[name] = int((directory / name).read_text())
        members = {int(pid) for pid in (directory / "cgroup.procs").read_text().split()}
        assert parent.process.pid in members  # bwrap, and with it everything inside
    assert limits.get("pids.max") == 64
    assert 0 < limits.get("memory.limit_in_bytes", limits.get("memory.max", 0)) <= 4 << 30
