"""`nablagrade check` against Otter's `otter run` on the same problems and tests.

    .venv/bin/python -m bench.versus_otter [--rounds N]

bench/peers/otter/tests holds Otter (OK format) tests equivalent to nablagrade's
checks for hw1: type, shape, finite values, a visible trial and two hidden ones
of other sizes, and the stability trials. The first run installs otter-grader
(and the ipykernel it runs a script in) into bench/.otter-venv, a venv of its
own, never into the project's. Each round runs, one after the other, in fresh
processes and on the same file (assignments/examples/hw1_correct.py):

- `otter run` with an autograder of the sigmoid test only, then
  `nablagrade check FILE --problem sigmoid`;
- `otter run` with the autograder of all of hw1, then
  `nablagrade check FILE --assignment hw1`.

nablagrade's bytecode is compiled and its references stored first (`compileall`,
`nablagrade warm`, as `make install` does), so its runs are cold processes with a warm cache. Ratios are of medians over the rounds of this
one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_TESTS = ROOT / "bench" / "peers" / "otter" / "tests"
OTTER_VENV = ROOT / "bench" / ".otter-venv"
WORK = ROOT / "bench" / ".work"
SUBMISSION = ROOT / "assignments" / "examples" / "hw1_correct.py"
OTTER_PACKAGES = ("otter-grader==7.0.0", "ipykernel==7.4.0")
NABLAGRADE = Path(sys.executable).parent / "nablagrade"


def ensure_otter() -> Path:
    otter = OTTER_VENV / "bin" / "otter"
    if not otter.exists():
        print(f"installing {', '.join(OTTER_PACKAGES)} into {OTTER_VENV} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(OTTER_VENV)], check=True)
        subprocess.run([str(OTTER_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        *OTTER_PACKAGES], check=True)
    return otter


def build_autograder(otter: Path, name: str, tests: list[Path]) -> Path:
    """An Otter autograder zip for these test files, in bench/.work/otter-<name>."""
    folder = WORK / f"otter-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "tests").mkdir(parents=True)
    (folder / "out").mkdir()
    for test in tests:
        shutil.copy(test, folder / "tests" / test.name)
    shutil.copy(SUBMISSION, folder / "submission.py")
    subprocess.run([str(otter), "generate"], cwd=folder, check=True, capture_output=True)
    return folder


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, done


def run_otter(otter: Path, folder: Path) -> float:
    results = folder / "out" / "results.json"
    results.unlink(missing_ok=True)
    seconds, done = timed([str(otter), "run", "-a", "autograder.zip", "--no-logo", "-o", "out", "submission.py"],
                          cwd=folder)
    tests = json.loads(results.read_text())["tests"] if results.exists() else []
    scored = [t for t in tests if t.get("max_score")]
    if done.returncode != 0 or not scored or any(t["score"] != t["max_score"] for t in scored):
        raise SystemExit(f"otter run failed in {folder}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def run_nablagrade(*args: str) -> float:
    seconds, done = timed([str(NABLAGRADE), "check", str(SUBMISSION), *args])
    if done.returncode != 0:
        raise SystemExit(f"nablagrade check {' '.join(args)} did not give full marks:\n{done.stdout[-2000:]}{done.stderr}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    otter = ensure_otter()
    sigmoid = build_autograder(otter, "sigmoid", [PEER_TESTS / "sigmoid.py"])
    hw1 = build_autograder(otter, "hw1", sorted(PEER_TESTS.glob("*.py")))
    # As `make install` leaves it: the bytecode compiled (where PYTHONDONTWRITEBYTECODE is set,
    # Python would otherwise compile the engine in every run) and the references stored.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "graders"), str(ROOT / "assignments")],
                   check=True, capture_output=True)
    subprocess.run([str(NABLAGRADE), "warm"], check=True, capture_output=True)
    load_before = os.getloadavg()[0]
    times: dict[str, list[float]] = {"otter_sigmoid": [], "nablagrade_sigmoid": [], "otter_hw1": [], "nablagrade_hw1": []}
    for round_ in range(args.rounds):
        times["otter_sigmoid"].append(run_otter(otter, sigmoid))
        times["nablagrade_sigmoid"].append(run_nablagrade("--problem", "sigmoid"))
        times["otter_hw1"].append(run_otter(otter, hw1))
        times["nablagrade_hw1"].append(run_nablagrade("--assignment", "hw1"))
        print(f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
    median = {k: statistics.median(v) for k, v in times.items()}
    rows = [
        ("`nablagrade check FILE --problem sigmoid` vs `otter run` (sigmoid)", median["otter_sigmoid"],
         median["nablagrade_sigmoid"], 10.0),
        ("`nablagrade check FILE --assignment hw1` vs `otter run` (sigmoid)", median["otter_sigmoid"],
         median["nablagrade_hw1"], 5.0),
        ("`nablagrade check FILE --assignment hw1` vs `otter run` (hw1)", median["otter_hw1"],
         median["nablagrade_hw1"], None),
    ]
    print(f"\nmedian of {args.rounds} paired rounds, load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after\n")
    print("| comparison | otter run (s) | nablagrade (s) | nablagrade is | target |")
    print("|---|---:|---:|---:|---|")
    for name, theirs, ours, target in rows:
        ratio = theirs / ours
        verdict = "" if target is None else f"≥ {target:.0f}×: {'met' if ratio >= target else 'MISSED'}"
        print(f"| {name} | {theirs:.2f} | {ours:.3f} | {ratio:.1f}× faster | {verdict} |")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "versus_otter.json").write_text(json.dumps({"times": times, "median": median}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
