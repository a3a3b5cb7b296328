"""The sandbox when the worker is not root, as in the Docker image (USER nablagrade).

Then bubblewrap runs as the worker's own uid, no cgroup can be made and rlimits bound the
sandbox instead: a different path through graders/sandbox. This machine runs everything as
root, and root's Python lives under /root (mode 700), so the test builds a throw-away copy of
the project with Debian's python3.11, hands it to an unprivileged user, and runs the whole of
tests/graders/sandbox (the hostile corpus included) as that user.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from graders.sandbox.policy import SANDBOX_USER

ROOT = Path(__file__).resolve().parents[3]
SYSTEM_PYTHON = Path("/usr/bin/python3.11")


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; CI must run this test")
    pytest.skip(what)


@pytest.mark.slow
def test_the_sandbox_suite_passes_when_the_worker_is_not_root():
    if os.geteuid() != 0:
        pytest.skip("already not root: the rest of tests/graders/sandbox is this test")
    if not SYSTEM_PYTHON.exists():
        _missing(f"{SYSTEM_PYTHON} (Debian's python3.11) is not installed")
    runuser = shutil.which("runuser")
    if runuser is None:
        _missing("runuser (util-linux) is not installed")
    import pwd

    try:
        worker = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        _missing(f"user {SANDBOX_USER} does not exist (scripts/install-system-packages.sh makes it)")

    copy = Path(tempfile.mkdtemp(prefix="ng-non-root-"))
    try:
        tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
        for name in filter(None, tracked.decode().split("\0")):
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        # The copy is a checkout too: test_installed lists the tracked files inside it.
        subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
        subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
        subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(copy / "venv")], check=True)
        subprocess.run([str(copy / "venv/bin/pip"), "install", "--quiet", "--disable-pip-version-check",
                        f"{copy}[dev]"], check=True, capture_output=True)
        for path in [copy, *copy.rglob("*")]:
            os.lchown(path, worker.pw_uid, worker.pw_gid)

        env = {"PATH": "/usr/bin:/bin", "HOME": str(copy), "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        run = subprocess.run(
            [runuser, "-u", SANDBOX_USER, "--", str(copy / "venv/bin/python"), "-m", "pytest", "-q",
             "-p", "no:cacheprovider", "tests/graders/sandbox", "--deselect", f"tests/graders/sandbox/{Path(__file__).name}"],
            cwd=copy, env=env, capture_output=True, text=True, timeout=900)
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-6000:]
        summary = output.strip().splitlines()[-1]
        assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
        passed = int(summary.split(" passed")[0].split()[-1])
        assert passed >= 60, summary  # the corpus ran, not an empty selection
    finally:
        shutil.rmtree(copy, ignore_errors=True)
