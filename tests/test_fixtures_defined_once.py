"""Each fixture name is defined once in tests/: a second definition would silently shadow
the first in part of the tree, and two tests asking for `grade` could mean different things."""

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent


def _is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "fixture"


def fixture_definitions(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        if "corpus" in path.parts or "hostile" in path.parts or "submissions" in path.parts:
            continue  # student files, not test code
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(_is_fixture(d) for d in node.decorator_list):
                found[node.name].append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_fixture_is_defined_twice():
    twice = {name: places for name, places in fixture_definitions(TESTS).items() if len(places) > 1}
    assert not twice, twice


def test_the_scan_sees_the_shared_fixtures():
    # Guards the scan itself: if it found nothing, the test above would pass vacuously.
    found = fixture_definitions(TESTS)
    assert {"client", "app_context", "runner", "sandbox_runner"} <= found.keys()
