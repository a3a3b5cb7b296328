import os
from pathlib import Path

import pytest

from graders.assignment import AssignmentError
from graders.catalogue import Catalogue, default_root

SPEC = """name = "{name}"
title = "{title}"
[[problems]]
id = "sigmoid"
points = {points}
"""


def write(path: Path, name: str, title: str, points: int = 10) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SPEC.format(name=name, title=title, points=points))
    return path


@pytest.fixture
def root(tmp_path):
    write(tmp_path / "hw1.toml", "hw1", "shared hw1")
    write(tmp_path / "hw2.toml", "hw2", "shared hw2")
    write(tmp_path / "CS101" / "hw1.toml", "hw1", "CS101's own hw1", points=7)
    write(tmp_path / "CS101" / "extra.toml", "extra", "only in CS101")
    return tmp_path


def test_a_course_folder_overrides_and_adds_to_the_shared_files(root):
    catalogue = Catalogue(root)
    assert catalogue.names() == ["hw1", "hw2"]
    assert catalogue.names("CS101") == ["extra", "hw1", "hw2"]
    assert catalogue.names("OTHER") == ["hw1", "hw2"]
    own, shared = catalogue.load("CS101", "hw1"), catalogue.load("OTHER", "hw1")
    assert own.spec.title == "CS101's own hw1" and own.spec.max_score == 7
    assert shared.spec.title == "shared hw1" and shared.spec.max_score == 10
    assert own.digest != shared.digest
    assert catalogue.load("CS101", "hw2").digest == catalogue.load(None, "hw2").digest
    with pytest.raises(AssignmentError, match="no assignment 'extra' for OTHER"):
        catalogue.load("OTHER", "extra")


@pytest.mark.parametrize("name", ["../hw1", "CS101/hw1", ".hidden", ""])
def test_names_are_never_paths(root, name):
    with pytest.raises(AssignmentError):
        Catalogue(root).load(None, name)


def test_a_course_code_cannot_leave_the_folder(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "hw1.toml", "hw1", "outside")
    loaded = Catalogue(root).load(f"../{outside.name}", "hw1")
    assert loaded.spec.title == "shared hw1"


def test_a_changed_file_is_read_again_with_a_new_digest(root):
    catalogue = Catalogue(root)
    first = catalogue.load(None, "hw2")
    assert catalogue.load(None, "hw2") is first  # cached while the file is unchanged
    path = write(root / "hw2.toml", "hw2", "hw2, second edition", points=12)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = catalogue.load(None, "hw2")
    assert second.spec.title == "hw2, second edition" and second.digest != first.digest


def test_a_broken_file_is_an_error_for_the_instructor(root):
    (root / "bad.toml").write_text("name = [unclosed\n")
    with pytest.raises(AssignmentError, match="bad.toml"):
        Catalogue(root).load(None, "bad")
    (root / "binary.toml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(AssignmentError, match="not UTF-8"):
        Catalogue(root).load(None, "binary")


def test_the_default_folder_comes_from_the_environment_or_the_entry_point(root, monkeypatch):
    monkeypatch.setenv("NABLAGRADE_ASSIGNMENTS_DIR", str(root))
    assert default_root() == root.resolve()
    monkeypatch.delenv("NABLAGRADE_ASSIGNMENTS_DIR")
    import assignments

    assert default_root() == assignments.ASSIGNMENTS_DIR


def test_resolve_takes_a_path_or_a_name(root):
    catalogue = Catalogue(root)
    assert catalogue.resolve(str(root / "CS101" / "extra.toml")).spec.name == "extra"
    assert catalogue.resolve("hw1", course="CS101").spec.max_score == 7
    with pytest.raises(AssignmentError, match="no assignment file"):
        catalogue.resolve(str(root / "missing.toml"))
