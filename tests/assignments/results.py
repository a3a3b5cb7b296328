"""Small readers for result documents, shared by the hw1 suites."""

from pathlib import Path

# Student-style files graded by the suites (kept out of ruff: they are students' code).
SUBMISSIONS = Path(__file__).resolve().parents[1] / "graders" / "submissions" / "hw1"


def by_id(document: dict) -> dict[str, dict]:
    return {problem["id"]: problem for problem in document["problems"]}


def failed(problem: dict) -> list[dict]:
    return [check for check in problem["checks"] if not check["passed"]]


def full_marks(problem: dict) -> bool:
    return problem["passed"] and problem["score"] == problem["max_score"] > 0


def messages(problem: dict) -> str:
    return "\n".join(check["message"] for check in problem["checks"])


def assert_mistake_diagnosed(result: dict, code: str, says: tuple[str, ...], stability_only: bool) -> None:
    """A common mistake loses points, gets its diagnosis and the words a student needs;
    a naive overflow fails only the stability trial."""
    assert result["score"] < result["max_score"]
    assert result["diagnosis"] == code, messages(result)
    text = messages(result)
    for fragment in says:
        assert fragment in text
    bad = failed(result)
    if stability_only:
        assert {check["category"] for check in bad} == {"stability"}
        assert bad[0]["diagnosis"] == "not_finite"
    else:
        assert any(check["category"] == "value" for check in bad)
