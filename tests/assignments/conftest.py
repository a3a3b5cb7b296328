"""Fixtures for the assignment suites: hw1 as written, graded by a real child process."""

import dataclasses
import textwrap

import pytest

from assignments import load_assignment
from graders.assignment import Assignment
from graders.engine import grade_source
from graders.runner import SubprocessRunner


@pytest.fixture(scope="session")
def runner():
    # The one place to switch these suites to the sandbox once it is the default.
    return SubprocessRunner()


@pytest.fixture(scope="session")
def hw1() -> Assignment:
    return load_assignment("hw1")


@pytest.fixture(scope="session")
def grade(runner, hw1):
    """grade(source, "l2_loss", ...) -> the result document for those hw1 problems only
    (all of hw1 when no id is given), with hw1's points, weights and tolerance."""

    def _grade(source: str, *problem_ids: str) -> dict:
        assignment = hw1
        if problem_ids:
            assignment = dataclasses.replace(hw1, problems=tuple(hw1.config(pid) for pid in problem_ids))
        return grade_source(textwrap.dedent(source), assignment, runner=runner)

    return _grade

