"""Grading helpers for the hw2 suites: hw2 as written, graded by a real child process.

The `grade_hw2` fixture in conftest.py wraps `make_grader` around the sandbox runner.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Callable
from functools import cache

from assignments import load_assignment
from graders.assignment import Assignment
from graders.engine import grade_source
from graders.runner import Runner

HW2_PROBLEMS = ("quadratic_form", "linear_l2", "logistic", "scalar_chain", "tanh_log", "tanh_regression",
                "legendre_p3", "gd_trajectory")


@cache
def hw2() -> Assignment:
    return load_assignment("hw2")


def make_grader(runner: Runner) -> Callable[..., dict]:
    """grade(source, "logistic", ...) -> the result document for those hw2 problems
    only (all of hw2 when no id is given), with hw2's points, weights and tolerance."""

    def grade(source: str, *problem_ids: str) -> dict:
        assignment = hw2()
        if problem_ids:
            assignment = dataclasses.replace(assignment, problems=tuple(assignment.config(p) for p in problem_ids))
        return grade_source(textwrap.dedent(source), assignment, runner=runner)

    return grade


def only(document: dict) -> dict:
    """The single problem result of a one-problem document."""
    (problem,) = document["problems"]
    return problem
