import json
import os
import secrets
import shutil
from pathlib import Path

import pytest

from graders.assignment import ad_hoc
from graders.engine import grade_source
from graders.problem import get_problem

HOSTILE = Path(__file__).parent / "hostile"
CHECKOUT = Path(__file__).resolve().parents[3]


def _bwrap_missing() -> bool:
    return shutil.which("bwrap") is None


@pytest.fixture(scope="session")
def planted():
    """Secrets the trusted side can reach: one in the worker's environment, others
    on disk (the checkout's instance/ folder and another student's submission).
    Planted before the sandbox starts, so it would inherit them if it could."""
    token = "nabla-" + secrets.token_hex(12)
    os.environ["NABLA_SECRET"] = token
    instance = CHECKOUT / "instance"
    made_instance = not instance.exists()
    instance.mkdir(exist_ok=True)
    config = instance / "sandbox-test-config.py"
    database = instance / "sandbox-test.db"
    config.write_text(f"SECRET_KEY = {token!r}\n")
    database.write_bytes(b"SQLite format 3\0" + token.encode())
    other = Path(os.environ.get("TMPDIR", "/tmp")) / f"nablagrade-other-{secrets.token_hex(6)}"
    other.mkdir()
    submission = other / "other_student.py"
    submission.write_text(f"# {token}\ndef sigmoid_grad(x):\n    return x\n")
    try:
        yield {"token": token, "paths": [str(config), str(database), str(submission), str(other)]}
    finally:
        os.environ.pop("NABLA_SECRET", None)
        config.unlink(missing_ok=True)
        database.unlink(missing_ok=True)
        if made_instance:
            try:
                instance.rmdir()  # only if nothing else put files there meanwhile
            except OSError:
                pass
        shutil.rmtree(other, ignore_errors=True)


@pytest.fixture(scope="session")
def sandbox(planted):
    """The real sandbox, self-checked. Without bubblewrap the suite skips locally and
    fails in CI (CI=true)."""
    if _bwrap_missing():
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap is not installed: the sandbox suite cannot run (CI=true)")
        pytest.skip("bubblewrap is not installed")
    from graders.sandbox import SandboxRunner

    runner = SandboxRunner()
    runner.self_check()
    yield runner
    runner.close()


def hostile_source(name: str, planted: dict | None = None) -> str:
    source = (HOSTILE / name).read_text()
    if planted is not None:
        # Point the file-reading attacks at the secrets this session planted.
        lines = [f"PATHS = {json.dumps(planted['paths'])}" if line.startswith("PATHS = [") else line
                 for line in source.splitlines()]
        source = "\n".join(lines) + "\n"
        source = source.replace('CHECKOUT = "/work/main"', f"CHECKOUT = {str(CHECKOUT)!r}")
    return source


@pytest.fixture
def grade_in_sandbox(sandbox):
    """grade(source, problem="sigmoid") -> the result document, through the sandbox."""

    def _grade(source: str, *problems: str) -> dict:
        return grade_source(source, ad_hoc([get_problem(p) for p in problems or ("sigmoid",)]), runner=sandbox)

    return _grade


@pytest.fixture
def assert_next_job_clean(grade_in_sandbox):
    """A normal, correct job right after a hostile one: full marks, nothing left over."""

    def _check(torch: bool = False) -> None:
        probes = [("_clean_probe.py", "sigmoid")] + ([("_clean_probe_torch.py", "legendre_p3")] if torch else [])
        for probe, problem_id in probes:  # a torch job's neighbour is the next job of the torch parent
            document = grade_in_sandbox((HOSTILE / probe).read_text(), problem_id)
            problem = document["problems"][0]
            messages = [c["message"] for c in problem["checks"] if not c["passed"]]
            assert document["score"] == document["max_score"], messages

    return _check
