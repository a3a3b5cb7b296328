"""The warm parent's cleanup between jobs, run here on a plain directory: it must survive
whatever a job left (a tree deeper than Python's recursion limit, modes of 0) and refuse to
spend seconds on a million files (the runner recycles the sandbox instead)."""

import os

import pytest

from graders.sandbox import zygote


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    root = tmp_path / "scratch"
    root.mkdir()
    monkeypatch.setattr(zygote, "SCRATCH_ROOT", str(root))
    monkeypatch.setattr(zygote, "SCRATCH", str(root / "job"))
    # statvfs counts the whole filesystem, a tmpfs of its own in the sandbox but not here
    monkeypatch.setattr(zygote, "scratch_files", lambda: len(os.listdir(root / "job")) if (root / "job").exists() else 0)
    (root / "job").mkdir()
    remove = zygote._remove  # a test may replace it
    yield root
    remove(str(root))  # pytest's own cleanup recurses, and a failed test may leave the tree


def _deep_tree(top, depth: int) -> None:
    start = os.open(".", os.O_RDONLY)
    try:
        os.chdir(top)
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        for _ in range(depth):
            os.chdir("..")
            os.chmod("d", 0)
    finally:
        os.fchdir(start)
        os.close(start)


def test_a_tree_deeper_than_the_recursion_limit_is_removed(scratch):
    _deep_tree(scratch / "job", 1500)
    assert zygote.fresh_scratch()
    assert os.listdir(scratch) == ["job"] and os.listdir(scratch / "job") == []


def test_too_many_files_are_left_to_a_new_sandbox(scratch, monkeypatch):
    for i in range(50):
        (scratch / "job" / str(i)).touch()
    monkeypatch.setattr(zygote, "SCRATCH_FILES", 10)
    assert not zygote.fresh_scratch()
    monkeypatch.setattr(zygote, "SCRATCH_FILES", 100)
    assert zygote.fresh_scratch()
    assert os.listdir(scratch / "job") == []


def test_whatever_goes_wrong_the_cleanup_reports_instead_of_raising(scratch, monkeypatch):
    def broken(path):
        raise RecursionError("a job's tree")

    monkeypatch.setattr(zygote, "_remove", broken)
    assert zygote.fresh_scratch() is False
