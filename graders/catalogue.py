"""The one place assignment files are found and loaded: the `nablagrade` CLI, the
service's sync and the grading workers all read specs through a `Catalogue`, so they
can never grade against different files.

A catalogue is a folder of `<name>.toml` files shared by every course, where a
course may override or add files in a sub-folder named after its code:

    assignments/hw1.toml          every course's hw1 ...
    assignments/CS101/hw1.toml    ... except CS101's, which is this one

Specs are keyed by (course, name). Each carries the SHA-256 of its file, so a
result can record exactly which spec graded it, and a changed file is re-read
(workers run for weeks).
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from graders.assignment import Assignment, AssignmentError, parse_assignment_text

ENTRY_POINT_GROUP = "nablagrade.assignments"  # a package names its folder of assignment files
ENVIRONMENT = "NABLAGRADE_ASSIGNMENTS_DIR"


@dataclass(frozen=True)
class LoadedSpec:
    """A parsed assignment file and the digest of the bytes it was parsed from."""

    course: str | None
    spec: Assignment
    digest: str
    path: Path


def default_root() -> Path:
    """$NABLAGRADE_ASSIGNMENTS_DIR, else the folder a `nablagrade.assignments` entry point names."""
    configured = os.environ.get(ENVIRONMENT, "").strip()
    if configured:
        return Path(configured).resolve()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        return Path(entry.load()).resolve()
    raise AssignmentError(f"no assignment folder: set {ENVIRONMENT} or install a package that declares "
                          f"a {ENTRY_POINT_GROUP!r} entry point")


class Catalogue:
    """Assignment specs of every course, read from one folder and cached until a file changes."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root).resolve() if root is not None else default_root()
        self._cache: dict[Path, tuple[tuple[int, int], LoadedSpec]] = {}
        self._lock = threading.Lock()

    def course_folder(self, course: str | None) -> Path | None:
        if not course:
            return None
        folder = self.root / course
        # A course code is a folder name, never a path: "../x" must not leave the catalogue.
        return folder if folder.parent == self.root and folder.is_dir() else None

    def names(self, course: str | None = None) -> list[str]:
        """The assignments a course has: the shared files plus its own folder's."""
        names = {path.stem for path in self.root.glob("*.toml")}
        folder = self.course_folder(course)
        if folder is not None:
            names |= {path.stem for path in folder.glob("*.toml")}
        return sorted(names)

    def path(self, course: str | None, name: str) -> Path:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise AssignmentError(f"{name!r} is not an assignment name")
        folder = self.course_folder(course)
        for candidate in ([folder / f"{name}.toml"] if folder is not None else []) + [self.root / f"{name}.toml"]:
            if candidate.is_file():
                return candidate
        known = ", ".join(self.names(course)) or "none"
        where = f" for {course}" if course else ""
        raise AssignmentError(f"no assignment {name!r}{where} in {self.root} (known: {known})")

    def load(self, course: str | None, name: str) -> LoadedSpec:
        """The spec of `name` as `course` sees it; re-parsed only when its file changed."""
        return self.load_path(self.path(course, name), course)

    def load_path(self, path: Path, course: str | None = None) -> LoadedSpec:
        path = path.resolve()
        try:
            stat = path.stat()
        except OSError as exc:
            raise AssignmentError(f"{path}: {exc.strerror}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
            if cached is not None and cached[0] == stamp and cached[1].course == course:
                return cached[1]
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise AssignmentError(f"{path}: not UTF-8") from None
        loaded = LoadedSpec(course, parse_assignment_text(text, path.stem, path), hashlib.sha256(data).hexdigest(),
                            path)
        with self._lock:
            self._cache[path] = (stamp, loaded)
        return loaded

    def resolve(self, name_or_path: str, course: str | None = None) -> LoadedSpec:
        """A CLI argument: a path to a .toml file, or an assignment name."""
        if name_or_path.endswith(".toml"):
            path = Path(name_or_path)
            if not path.is_file():
                raise AssignmentError(f"no assignment file {name_or_path}")
            return self.load_path(path, course)
        return self.load(course, name_or_path)
