"""Problem bank and assignment files."""

from __future__ import annotations

from pathlib import Path

from graders.assignment import Assignment, AssignmentError, load_assignment_file

ASSIGNMENTS_DIR = Path(__file__).resolve().parent
EXAMPLES_DIR = ASSIGNMENTS_DIR / "examples"
SOLUTIONS_DIR = ASSIGNMENTS_DIR / "solutions"


def assignment_names() -> list[str]:
    return sorted(path.stem for path in ASSIGNMENTS_DIR.glob("*.toml"))


def load_assignment(name: str) -> Assignment:
    """Load `assignments/<name>.toml` (or a path to a TOML file)."""
    path = Path(name)
    if path.suffix != ".toml":
        path = ASSIGNMENTS_DIR / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(assignment_names())
        raise AssignmentError(f"no assignment {name!r} (known: {known})")
    return load_assignment_file(path)
