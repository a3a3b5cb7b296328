"""Fixtures for the assignment suites: hw1 and hw2 as written, graded through the
real sandbox (as the service grades them)."""

import dataclasses
import os
import shutil
import textwrap

import pytest

from assignments import load_assignment
from graders.assignment import Assignment
from graders.engine import grade_source
from graders.runner import SubprocessRunner
from tests.assignments.hw2_fixtures import make_grader


@pytest.fixture(scope="session")
def sandbox_runner():
    """The sandbox: the path every student's file takes, and the only one where a torch
    job forks from a parent that has torch loaded already (a fresh child that imports
    it can outlast the load allowance on a busy machine). Without bubblewrap these
    suites run in plain child processes locally, and fail in CI (CI=true)."""
    if shutil.which("bwrap") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap is not installed: the assignment suites grade through the sandbox (CI=true)")
        yield SubprocessRunner()
        return
    from graders.sandbox import SandboxRunner

    sandbox = SandboxRunner()
    sandbox.self_check()
    yield sandbox
    sandbox.close()


@pytest.fixture(scope="session")
def hw1() -> Assignment:
    return load_assignment("hw1")


@pytest.fixture(scope="session")
def grade_hw1(sandbox_runner, hw1):
    """grade(source, "l2_loss", ...) -> the result document for those hw1 problems only
    (all of hw1 when no id is given), with hw1's points, weights and tolerance."""

    def _grade(source: str, *problem_ids: str) -> dict:
        assignment = hw1
        if problem_ids:
            assignment = dataclasses.replace(hw1, problems=tuple(hw1.config(pid) for pid in problem_ids))
        return grade_source(textwrap.dedent(source), assignment, runner=sandbox_runner)

    return _grade



@pytest.fixture(scope="session")
def grade_hw2(sandbox_runner):
    """grade_hw2(source, "logistic", ...) -> the result document for those hw2 problems only."""
    return make_grader(sandbox_runner)
