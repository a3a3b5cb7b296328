"""Sandbox benchmark: what isolation costs per job, per assignment and in throughput.

    .venv/bin/python -m bench.sandbox [--jobs 200] [--fresh-every 5] [--hw1-repeat 10] [--seconds 20]

Three figures, all measured in this one run:
1. per-job time for (a) a fresh interpreter per job (SubprocessRunner), (b) the
   warm fork-server sandbox and (c) in-process with no sandbox, interleaved
   round-robin so drift hits all three alike; the sandbox's overhead is (b) - (c);
2. hw1 (its example correct submission) graded sandboxed and unsandboxed;
3. submissions per second with 2 warm parents: two worker processes (like the
   Celery worker's prefork concurrency 2), each with its own sandbox.
"""

from __future__ import annotations

import argparse
import builtins
import importlib
import io
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assignments import load_assignment
from graders import harness, wire
from graders.assignment import Assignment, ad_hoc
from graders.engine import grade_source, prepare
from graders.problem import get_problem
from graders.runner import Call, Ending, Job, JobCollector, JobResult, Runner, SubprocessRunner
from graders.sandbox import SandboxRunner

ROOT = Path(__file__).resolve().parent.parent
HW1_CORRECT = ROOT / "assignments" / "examples" / "hw1_correct.py"
HW1_MISTAKES = ROOT / "assignments" / "examples" / "hw1_mistakes.py"

TARGET_OVERHEAD_MS = 5.0
TARGET_HW1_RATIO = 1.5
TARGET_SPEEDUP = 20.0


class InProcessRunner:
    """No process, no isolation: the harness runs in this interpreter. The floor
    the sandbox is measured against; never use it for real submissions."""

    def run(self, job: Job) -> JobResult:
        messages, _ = wire.parse_messages(job.encode())
        out = io.BytesIO()
        saved = (sys.stdout, sys.stderr, builtins.__import__, importlib.import_module, sys.modules.get("submission"))
        try:
            harness.run_job(messages[0].header, messages[0].blobs, out)
        finally:
            sys.stdout, sys.stderr, builtins.__import__, importlib.import_module, _ = saved
            sys.modules.pop("submission", None)
        collector = JobCollector(job)
        collector.feed(out.getvalue())
        return collector.finish(Ending.EXITED, 0)


def hw1() -> Assignment:
    try:
        return load_assignment("hw1")
    except Exception:  # hw1.toml not written yet: the bank problems it is meant to hold
        return ad_hoc([get_problem(pid) for pid in ("sigmoid", "softmax", "softplus", "l2_loss", "l2_loss_batch",
                                                    "one_layer_net")])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


# ---------------------------------------------------------------- 1. per job


def sample_job() -> Job:
    """One real job: the sigmoid problem's trials (4 calls) with a correct answer."""
    assignment = hw1()
    config = next(c for c in assignment.problems if c.problem.id == "sigmoid")
    prepared = prepare(config.problem, assignment.seed, config.trials)
    source = "import numpy as np\n\ndef sigmoid_grad(x):\n    s = 0.5 * (1.0 + np.tanh(0.5 * x))\n    return s * (1.0 - s)\n"
    calls = tuple(Call(f"sigmoid/{item.trial.index}", "sigmoid_grad", (("x", item.inputs["x"]),)) for item in prepared)
    return Job(source=source, calls=calls, allowed=config.allowed, seed=assignment.seed)


def per_job(jobs: int, fresh_every: int) -> dict[str, list[float]]:
    job = sample_job()
    runners: dict[str, Runner] = {"fresh": SubprocessRunner(), "sandbox": SandboxRunner(), "in_process": InProcessRunner()}
    for runner in runners.values():  # warm up: start the parent, page in the code
        for _ in range(3):
            assert runner.run(job).calls[job.calls[0].key].status == "ok"
    times: dict[str, list[float]] = {name: [] for name in runners}
    for index in range(jobs):
        for name in ("sandbox", "in_process") + (("fresh",) if index % fresh_every == 0 else ()):
            times[name].append(timed(lambda name=name: runners[name].run(job)))
    runners["sandbox"].close()
    return times


# ---------------------------------------------------------------- 2. hw1


def hw1_times(repeat: int, cold: bool) -> dict[str, list[float]]:
    """Grading hw1's example submission. Warm: the same file graded again, so its
    references are cached; cold: recomputed and validated each time."""
    assignment = hw1()
    source = HW1_CORRECT.read_text()
    runners: dict[str, Runner] = {"in_process": InProcessRunner(), "sandbox": SandboxRunner(),
                                  "fresh": SubprocessRunner()}
    for runner in runners.values():
        document = grade_source(source, assignment, runner=runner)
        assert document["score"] == document["max_score"], "the example hw1 submission should get full marks"

    def grade(runner: Runner) -> None:
        if cold:
            prepare.cache_clear()
        grade_source(source, assignment, runner=runner)

    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(repeat):
        for name, runner in runners.items():
            times[name].append(timed(lambda runner=runner: grade(runner)))
    runners["sandbox"].close()
    return times


# ---------------------------------------------------------------- 3. throughput


def _worker(start: multiprocessing.synchronize.Barrier, seconds: float, results: multiprocessing.Queue) -> None:
    assignment = hw1()
    sources = [HW1_CORRECT.read_text(), HW1_MISTAKES.read_text()]
    runner = SandboxRunner()
    for source in sources:
        grade_source(source, assignment, runner=runner)  # warm: references cached, parent started
    start.wait()
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        grade_source(sources[done % 2], assignment, runner=runner)
        done += 1
    results.put((done, time.perf_counter() - began))
    runner.close()


def throughput(workers: int, seconds: float) -> float:
    context = multiprocessing.get_context("spawn")  # fresh workers, like Celery's prefork children
    start = context.Barrier(workers)
    results = context.Queue()
    processes = [context.Process(target=_worker, args=(start, seconds, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    return sum(done for done, _ in outcomes) / max(elapsed for _, elapsed in outcomes)


# ---------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200, help="jobs per variant for the warm runners")
    parser.add_argument("--fresh-every", type=int, default=5, help="run the fresh interpreter every Nth round")
    parser.add_argument("--hw1-repeat", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of the throughput run")
    args = parser.parse_args(argv)

    print(f"python {sys.version.split()[0]}, {multiprocessing.cpu_count()} cores, "
          f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    times = per_job(args.jobs, args.fresh_every)
    print(f"\n1. Per job (sigmoid, 4 calls): median / p90 ms, n = {len(times['sandbox'])} "
          f"(fresh interpreter n = {len(times['fresh'])})")
    labels = {"fresh": "(a) fresh interpreter per job", "sandbox": "(b) warm fork-server sandbox",
              "in_process": "(c) in-process, no sandbox"}
    for name in ("fresh", "sandbox", "in_process"):
        print(f"   {labels[name]:<34} {statistics.median(times[name]):8.2f} {percentile(times[name], 0.9):8.2f}")
    overhead = statistics.median(times["sandbox"]) - statistics.median(times["in_process"])
    speedup = statistics.median(times["fresh"]) / statistics.median(times["sandbox"])
    print(f"   sandbox overhead per job (b - c): {overhead:.2f} ms "
          f"[target <= {TARGET_OVERHEAD_MS:g} ms: {'met' if overhead <= TARGET_OVERHEAD_MS else 'MISSED'}]")
    print(f"   fresh / sandbox: {speedup:.1f}x [target >= {TARGET_SPEEDUP:g}x: "
          f"{'met' if speedup >= TARGET_SPEEDUP else 'MISSED'}]")

    for cold in (False, True):
        hw = hw1_times(args.hw1_repeat, cold)
        what = "references recomputed each time" if cold else "references cached"
        print(f"\n2{'b' if cold else 'a'}. hw1, example correct submission ({len(hw1().problems)} problems, {what}), "
              f"median / p90 ms, n = {args.hw1_repeat}")
        for name in ("sandbox", "in_process", "fresh"):
            print(f"   {labels[name]:<34} {statistics.median(hw[name]):8.1f} {percentile(hw[name], 0.9):8.1f}")
        ratio = statistics.median(hw["sandbox"]) / statistics.median(hw["in_process"])
        print(f"   sandboxed / unsandboxed in-process: {ratio:.2f}x [target <= {TARGET_HW1_RATIO:g}x: "
              f"{'met' if ratio <= TARGET_HW1_RATIO else 'MISSED'}]")
        print(f"   sandboxed / unsandboxed fresh interpreter: "
              f"{statistics.median(hw['sandbox']) / statistics.median(hw['fresh']):.2f}x")

    rate = throughput(2, args.seconds)
    single = throughput(1, args.seconds)
    print(f"\n3. Throughput, hw1 submissions (correct and mistaken alternating), {args.seconds:g} s each:")
    print(f"   2 worker processes, 2 warm parents: {rate:.1f} submissions/s")
    print(f"   1 worker process, 1 warm parent:   {single:.1f} submissions/s")
    print(f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
