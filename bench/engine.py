"""Engine benchmark: time per problem (trials computed, read from the reference
store, graded), all of hw1, and how the reference cost grows with the size of
one_layer_net.

    .venv/bin/python -m bench.engine [--repeat N] [--no-sandbox]

Every figure is a median over N runs in this one process; ratios are against
the smallest network in the same run, so they do not depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from assignments import load_assignment
from graders import preparation
from graders.assignment import ad_hoc
from graders.engine import grade_source, prepare
from graders.finite_difference import validate_reference
from graders.problem import all_problems, get_problem
from graders.reference import reference_outputs
from graders.runner import Runner, SubprocessRunner
from graders.selftest import solution_source


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _forget() -> None:
    """Drop what this process keeps of the trial sets (not the store on disk)."""
    prepare.cache_clear()
    preparation._visible.cache_clear()


def per_problem(runner: Runner, repeat: int) -> list[tuple[str, float, float, float]]:
    """(problem, computing its trials ms, reading them from the store ms, grading ms
    with the trials in memory), for the visible trials and one hidden set."""
    rows = []
    for problem in sorted(all_problems(), key=lambda p: p.id):
        assignment = ad_hoc([problem])
        source = solution_source(problem)
        trials = preparation.trials_for(problem, 3)

        def compute(problem=problem, seed=assignment.seed, trials=trials) -> None:
            preparation._compute(problem, seed, trials, 0)

        def read(problem=problem, seed=assignment.seed) -> None:
            _forget()
            prepare(problem, seed, 3)

        compute_ms = median_ms(compute, repeat)
        prepare(problem, assignment.seed, 3)  # stored, if it was not
        read_ms = median_ms(read, repeat)
        grade_source(source, assignment, runner=runner)  # in memory from here on
        grade_ms = median_ms(lambda source=source, assignment=assignment: grade_source(source, assignment, runner=runner), repeat)
        rows.append((problem.id, compute_ms, read_ms, grade_ms))
    return rows


def network_inputs(dx: int, dh: int, nc: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    y = np.zeros((nc, 1))
    y[0, 0] = 1.0
    return {"x": rng.standard_normal((dx, 1)), "y": y, "W": rng.standard_normal((dh, dx)) / np.sqrt(dx),
            "b1": rng.standard_normal((dh, 1)), "U": rng.standard_normal((nc, dh)) / np.sqrt(dh),
            "b2": rng.standard_normal((nc, 1))}


def network_scaling(repeat: int) -> list[tuple[str, int, float, float]]:
    problem = get_problem("one_layer_net")
    rows = []
    for dx, dh, nc in ((5, 4, 3), (64, 32, 10), (784, 128, 10), (3072, 512, 10)):
        inputs = network_inputs(dx, dh, nc)
        parameters = dh * dx + dh + nc * dh + nc + dx
        reference = reference_outputs(problem, inputs)
        autograd_ms = median_ms(lambda inputs=inputs: reference_outputs(problem, inputs), repeat)
        fd_ms = median_ms(lambda inputs=inputs, reference=reference: validate_reference(problem, inputs, reference), repeat)
        rows.append((f"Dx={dx}, Dh={dh}, Nc={nc}", parameters, autograd_ms, fd_ms))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-sandbox", action="store_true", help="time the unsandboxed subprocess runner")
    args = parser.parse_args()
    if args.no_sandbox:
        runner: Runner = SubprocessRunner()
        runner_name = "fresh interpreter per job (no sandbox)"
    else:
        from graders.engine import default_runner

        runner = default_runner()
        runner_name = type(runner).__name__

    print(f"runner: {runner_name}; median of {args.repeat} runs\n")
    print("| problem | trials computed: sampling, references, FD validation, mistakes (ms) "
          "| read from the store (ms) | grade the solution, trials in memory (ms) |")
    print("|---|---:|---:|---:|")
    for pid, compute_ms, read_ms, grade_ms in per_problem(runner, args.repeat):
        print(f"| {pid} | {compute_ms:.1f} | {read_ms:.1f} | {grade_ms:.1f} |")

    hw1 = load_assignment("hw1")
    solutions = "\n\n".join(solution_source(config.problem) for config in hw1.problems)
    grade_source(solutions, hw1, runner=runner)

    def stored_hw1() -> None:
        _forget()
        grade_source(solutions, hw1, runner=runner)

    stored = median_ms(stored_hw1, args.repeat)
    in_memory = median_ms(lambda: grade_source(solutions, hw1, runner=runner), args.repeat)
    print(f"\nall of hw1 ({len(hw1.problems)} problems): {stored:.0f} ms with its trials read from the store, "
          f"{in_memory:.0f} ms with them in memory\n")

    print("| one_layer_net size | parameters | autograd reference (ms) | FD validation (ms) | reference cost vs smallest |")
    print("|---|---:|---:|---:|---:|")
    rows = network_scaling(args.repeat)
    base = rows[0][2] + rows[0][3]
    for label, parameters, autograd_ms, fd_ms in rows:
        print(f"| {label} | {parameters:,} | {autograd_ms:.2f} | {fd_ms:.2f} | {(autograd_ms + fd_ms) / base:.1f}x |")


if __name__ == "__main__":
    main()
