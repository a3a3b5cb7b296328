"""Memory and process limits for a whole warm parent, where a cgroup can be made.

Rlimits bound each child, but not what a sandbox holds as a whole (its tmpfs
scratch, page cache, the parent and its waiting child). As root, each warm
parent gets its own memory + pids cgroup nested under the worker's own cgroup
(cgroup v1 or v2); where none can be made (not root, a read-only cgroupfs, v2
controllers not delegated), the sandbox runs on rlimits alone and says so.
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PIDS_MAX = 64
_counter = itertools.count()


def _own_path(controller: str) -> str | None:
    """This process's cgroup path in a v1 hierarchy (controller) or in v2 (controller "")."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if (controller and controller in controllers.split(",")) or (not controller and controllers == ""):
            return path
    return None


def _remove_stale(parent: Path) -> None:
    """Empty cgroups left by workers that died without cleaning up (named after their pid)."""
    for directory in parent.glob("nablagrade-sandbox-*-*"):
        owner = directory.name.split("-")[2]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            try:
                directory.rmdir()
            except OSError:
                pass  # still in use: leave it


class SandboxCgroup:
    """The cgroup(s) of one warm parent; `attach()` runs in the preexec, as root."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        self.directories: list[Path] = []
        self.reason = ""

    def create(self) -> bool:
        """Make the cgroup(s) and set the limits; False (with `reason`) if impossible."""
        if os.geteuid() != 0:
            self.reason = "not running as root"
            return False
        name = f"nablagrade-sandbox-{os.getpid()}-{next(_counter)}"
        try:
            if (ROOT / "cgroup.controllers").exists():
                self._create_v2(name)
            else:
                self._create_v1(name)
        except OSError as exc:
            self.remove()
            self.reason = f"cannot create a cgroup: {exc}"
            return False
        return True

    def _create_v1(self, name: str) -> None:
        for controller, limits in (("memory", {"memory.limit_in_bytes": self.memory_bytes}),
                                   ("pids", {"pids.max": PIDS_MAX})):
            own = _own_path(controller)
            if own is None or not (ROOT / controller).is_dir():
                raise OSError(f"no cgroup v1 {controller} hierarchy")
            directory = ROOT / controller / own.lstrip("/") / name
            _remove_stale(directory.parent)
            directory.mkdir()
            self.directories.append(directory)
            for key, value in limits.items():
                (directory / key).write_text(str(value))

    def _create_v2(self, name: str) -> None:
        own = _own_path("")
        if own is None:
            raise OSError("no cgroup v2 path")
        parent = ROOT / own.lstrip("/")
        enabled = (parent / "cgroup.subtree_control").read_text().split()
        if not {"memory", "pids"} <= set(enabled):
            raise OSError(f"the memory and pids controllers are not delegated to {parent}")
        directory = parent / name
        _remove_stale(parent)
        directory.mkdir()
        self.directories.append(directory)
        (directory / "memory.max").write_text(str(self.memory_bytes))
        if (directory / "memory.swap.max").exists():
            (directory / "memory.swap.max").write_text("0")
        (directory / "pids.max").write_text(str(PIDS_MAX))

    def attach(self) -> None:
        """Move the calling process (the bwrap about to start) into the cgroup(s)."""
        for directory in self.directories:
            (directory / "cgroup.procs").write_text(str(os.getpid()))

    def oom_kills(self) -> int | None:
        """How many processes the memory controller has killed in this cgroup (None if unknown)."""
        for directory in self.directories:
            for name in ("memory.events", "memory.oom_control"):  # v2, v1
                try:
                    lines = (directory / name).read_text().splitlines()
                except OSError:
                    continue
                for line in lines:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill" and value.strip().isdigit():
                        return int(value)
        return None

    def remove(self) -> None:
        """Remove the cgroup(s) once the sandbox's processes are gone."""
        for directory in reversed(self.directories):
            # The pid namespace may take a moment to empty: usually a millisecond or two, so
            # the first waits are short (a cold `nablagrade check` waits for this as it ends).
            deadline = time.monotonic() + 0.5
            pause = 0.001
            while True:
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(pause)
                    pause = min(pause * 2, 0.02)
        self.directories = []
