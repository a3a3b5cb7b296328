"""Only what a job needs is bound, also after a non-editable install (the Docker
image's `pip install .`), where the bank's reference solutions, the example
answers and every other package sit in the same site-packages as numpy and torch.

The test builds such an install in a throw-away venv (the packages hard-linked
from this venv, the project installed from a copy of its tracked files), starts
the sandbox from it, and looks from inside both kinds of warm parent: it walks the
whole filesystem for solution files and package metadata, and tries to import
every package it should not have."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from graders.sandbox.policy import PACKAGES

ROOT = Path(__file__).resolve().parents[3]
SITE_PACKAGES = Path(next(p for p in sys.path if p.endswith("site-packages")))
# Packages in the install that no job may import (numpy and torch jobs alike), and the
# ones only the torch parent has: torch's own dependencies.
FORBIDDEN = ["assignments", "app", "worker", "flask", "jinja2", "celery", "pyseccomp", "networkx", "filelock",
             "fsspec", "setuptools", "pip", "_pytest", "sqlalchemy", "psycopg", "graders.engine", "graders.problem",
             "scipy", "IPython", "hypothesis"]
TORCH_ONLY = ["torch", "sympy", "mpmath", "torchgen", "typing_extensions"]

PROBE = r'''
import json, os, sys
from graders.runner import Call, Job
from graders.sandbox import SandboxRunner

WALK = """
NAMES = %s
_m = lambda name: eval("__import__(name)", {"name": name})
os = _m("os")
json = _m("json")

def look(x):
    found, seen = [], 0
    for top, dirs, files in os.walk("/"):
        if top.startswith(("/proc", "/dev", "/sys")):
            dirs[:] = []
            continue
        for name in dirs + files:
            seen += 1
            path = os.path.join(top, name)
            if (name.endswith(("_correct.py", "_mistakes.py", ".dist-info", ".egg-info", ".pth"))
                    or "assignments" in path or "/bank/" in path
                    or name in ("site-packages", "dist-packages") and os.listdir(path)):
                found.append(path)
    imported = []
    for module in NAMES:
        try:
            _m(module)
            imported.append(module)
        except BaseException:
            pass
    print(json.dumps({"seen": seen, "found": found[:50], "imported": imported,
                      "site": sorted(os.listdir("/sandbox/site"))}))
    return 1.0
"""

names = json.loads(sys.argv[1])
runner = SandboxRunner()
report = {}
try:
    for kind in ("numpy", "torch"):
        job = Job(source=WALK % json.dumps(names), calls=(Call("k", "look", (("x", 0),)),), allowed=frozenset(),
                  needs_torch=kind == "torch", call_timeout=60.0)
        result = runner.run(job)
        call = result.calls["k"]
        report[kind] = json.loads(result.stdout) if call.status == "ok" else {"error": call.status + ": " + call.message}
finally:
    runner.close()
print("REPORT " + json.dumps(report))
'''


def _link_tree(source: Path, target: Path) -> None:
    """Hard links where the filesystem allows (fast: torch is a gigabyte), copies elsewhere."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    if source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=link)
    else:
        link(str(source), str(target))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv like the Docker image's: every package of this one, and the project itself
    installed non-editable (assignments/, the examples and the bank in site-packages)."""
    base = Path(tempfile.mkdtemp(prefix="ng-installed-"))
    try:
        python = Path(os.path.realpath(sys.executable))
        subprocess.run([str(python), "-m", "venv", "--without-pip", str(base / "venv")], check=True)
        site = next((base / "venv" / "lib").glob("python3*/site-packages"))
        for entry in SITE_PACKAGES.iterdir():
            if "nablagrade" in entry.name or entry.name == "__pycache__":
                continue  # our editable install points back at the checkout
            if not (site / entry.name).exists():
                _link_tree(entry, site / entry.name)
        source = base / "src"
        tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
        for name in filter(None, tracked.decode().split("\0")):
            if (ROOT / name).is_file():
                (source / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, source / name)
        subprocess.run([str(base / "venv/bin/python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                        "--no-build-isolation", "--disable-pip-version-check", str(source)],
                       check=True, capture_output=True, timeout=600)
        assert (site / "assignments" / "examples" / "hw1_correct.py").is_file()  # the exposure we guard against
        assert (site / "assignments" / "bank" / "sigmoid.py").is_file()
        os.chmod(base, 0o755)  # the sandbox user reaches the interpreter through it when we are root
        yield base / "venv" / "bin" / "python"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_non_editable_install_exposes_no_solution_and_no_unlisted_package(installed):
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    run = subprocess.run([str(installed), "-c", PROBE, json.dumps(FORBIDDEN + TORCH_ONLY)], cwd="/",
                         capture_output=True, text=True, timeout=600,
                         env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"})
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.split("REPORT ", 1)[1])
    for kind in ("numpy", "torch"):
        seen = report[kind]
        assert "error" not in seen, seen
        assert seen["seen"] > 1000, seen  # it did walk a real filesystem
        assert seen["found"] == [], (kind, seen["found"])
        expected = {"numpy", "numpy.libs"}
        if kind == "torch":
            expected |= {name if name != "typing_extensions" else "typing_extensions.py" for name in PACKAGES["torch"]}
        assert set(seen["site"]) == expected, (kind, seen["site"])
        allowed = set() if kind == "numpy" else set(TORCH_ONLY)
        assert set(seen["imported"]) == allowed, (kind, seen["imported"])


def test_the_torch_list_is_what_torch_loads():
    """PACKAGES["torch"] must name exactly what `import torch` and gradcheck load from
    site-packages: a missing one breaks the torch sandbox, an extra one is exposed."""
    script = r'''
import sys, json
sys.path.append(sys.argv[1])  # with -S: no .pth file of the venv runs
import torch
x = torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True)
torch.autograd.gradcheck(lambda t: t * t, (x,), eps=1e-6, atol=1e-5, rtol=1e-3)
tops = set()
for module in list(sys.modules.values()):
    path = getattr(module, "__file__", None) or ""
    if "site-packages" in path:
        tops.add(path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py"))
print(json.dumps(sorted(tops)))
'''
    run = subprocess.run([sys.executable, "-I", "-S", "-c", script, str(SITE_PACKAGES)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert set(json.loads(run.stdout)) == set(PACKAGES["torch"])
