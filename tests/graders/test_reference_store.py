"""The reference store: data in, the same data out; anything else is a miss, never code run."""

import os

import numpy as np
import pytest

from graders import reference_store

KEY = {"problem": "demo", "digest": "abc123", "seed": 7, "count": 3, "part": "visible"}


def _trials():
    return [
        {"index": 0, "inputs": {"x": np.arange(6.0).reshape(2, 3), "beta": 2.5, "n": 4, "flag": True},
         "expected": {"x": np.ones((2, 3))}, "mistakes": {"x": {"sign": -np.ones((2, 3))}}},
        {"index": 3, "inputs": {"x": np.zeros((1, 1)), "beta": -1.0, "n": 1, "flag": False},
         "expected": {"x": np.full((1, 1), 0.5)}, "mistakes": {}},
    ]


def test_a_stored_trial_set_comes_back_with_the_same_values_and_types(tmp_path):
    path = reference_store.save(KEY, _trials(), tmp_path)
    assert path is not None and path.exists()
    loaded = reference_store.load(KEY, [0, 3], tmp_path)
    assert loaded is not None
    first = loaded[0]
    assert np.array_equal(first["inputs"]["x"], np.arange(6.0).reshape(2, 3))
    assert type(first["inputs"]["beta"]) is float and first["inputs"]["beta"] == 2.5
    assert type(first["inputs"]["n"]) is int and first["inputs"]["n"] == 4
    assert first["inputs"]["flag"] is True
    assert np.array_equal(first["mistakes"]["x"]["sign"], -np.ones((2, 3)))
    assert loaded[1]["mistakes"] == {} and loaded[1]["expected"]["x"][0, 0] == 0.5
    # Written under a temporary name and renamed: nothing else is left in the folder.
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize("change", [{"digest": "other"}, {"seed": 8}, {"count": 4}, {"part": "hidden0"}])
def test_another_key_is_a_miss(tmp_path, change):
    reference_store.save(KEY, _trials(), tmp_path)
    assert reference_store.load({**KEY, **change}, [0, 3], tmp_path) is None


def test_a_file_renamed_to_another_key_is_a_miss(tmp_path):
    path = reference_store.save(KEY, _trials(), tmp_path)
    other = {**KEY, "seed": 8}
    path.rename(tmp_path / reference_store.entry_name("demo", "abc123", 8, 3, "visible"))
    assert reference_store.load(other, [0, 3], tmp_path) is None  # its own metadata names seed 7


def test_other_trial_indices_are_a_miss(tmp_path):
    reference_store.save(KEY, _trials(), tmp_path)
    assert reference_store.load(KEY, [0, 4], tmp_path) is None


def test_a_truncated_or_garbage_file_is_a_miss(tmp_path):
    path = reference_store.save(KEY, _trials(), tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert reference_store.load(KEY, [0, 3], tmp_path) is None
    path.write_bytes(b"not a zip file at all")
    assert reference_store.load(KEY, [0, 3], tmp_path) is None


class _Alarm:
    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_a_pickle_planted_in_the_cache_is_never_unpickled(tmp_path):
    alarm = _Alarm()
    alarm.marker = tmp_path / "unpickled"
    path = tmp_path / reference_store.entry_name(**{k: KEY[k] for k in ("seed", "count", "part")},
                                                 problem_id="demo", digest="abc123")
    with open(path, "wb") as handle:
        np.savez(handle, meta=np.array([alarm], dtype=object))
    assert reference_store.load(KEY, [0, 3], tmp_path) is None
    assert not alarm.marker.exists()


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reference_store.np, "savez", broken)
    assert reference_store.save(KEY, _trials(), tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_is_a_warning_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    assert reference_store.save(KEY, _trials(), blocker / "references") is None


def test_the_cache_folder_is_configurable(monkeypatch, tmp_path):
    monkeypatch.setenv(reference_store.CACHE_ENV, str(tmp_path / "mine"))
    assert reference_store.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(reference_store.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert reference_store.cache_dir() == tmp_path / "xdg" / "nablagrade" / "references"


def test_an_index_that_points_outside_its_buffer_is_a_miss(tmp_path):
    import json

    path = reference_store.save(KEY, _trials(), tmp_path)
    with np.load(path, allow_pickle=False) as data:
        members = {name: data[name] for name in data.files}
    meta = json.loads(str(members["meta"][()]))
    dtype, shape, _ = meta["arrays"]["0|ex|x"]
    meta["arrays"]["0|ex|x"] = [dtype, shape, 10**9]
    members["meta"] = np.array(json.dumps(meta))
    with open(path, "wb") as handle:
        np.savez(handle, **members)
    assert reference_store.load(KEY, [0, 3], tmp_path) is None


def test_an_unwritable_cache_is_said_once(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    for part in ("visible", "hidden0", "hidden1"):
        assert reference_store.save({**KEY, "part": part}, _trials(), blocker / "references") is None
    warnings = [r for r in caplog.records if "cannot store references" in r.getMessage()]
    assert len(warnings) == 1 and reference_store.CACHE_ENV in warnings[0].getMessage()
