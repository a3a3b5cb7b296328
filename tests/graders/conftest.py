import textwrap

import pytest

from graders.assignment import ad_hoc
from graders.engine import grade_source
from graders.problem import get_problem
from graders.runner import SubprocessRunner


@pytest.fixture(scope="session")
def runner():
    # Engine-logic tests need a child process, not isolation; the sandbox has its own suite.
    return SubprocessRunner()


@pytest.fixture
def grade(runner):
    """grade("sigmoid", source) -> the problem's result dict."""

    def _grade(problem_id: str, source: str, **kwargs):
        document = grade_source(textwrap.dedent(source), ad_hoc([get_problem(problem_id)]), runner=runner, **kwargs)
        return document["problems"][0]

    return _grade
