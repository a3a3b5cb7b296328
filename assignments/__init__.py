"""The project's problem bank (`assignments.bank`) and its assignment files.

The engine finds both through entry points (pyproject.toml), never by importing this package."""

from __future__ import annotations

from pathlib import Path

from graders.assignment import Assignment
from graders.catalogue import Catalogue

ASSIGNMENTS_DIR = Path(__file__).resolve().parent
EXAMPLES_DIR = ASSIGNMENTS_DIR / "examples"


def load_assignment(name: str) -> Assignment:
    """`assignments/<name>.toml` (or a path to a TOML file), through the catalogue everything uses."""
    return Catalogue(ASSIGNMENTS_DIR).resolve(name).spec
