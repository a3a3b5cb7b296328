"""Trials and references: computed once, then read back from the store as the same data;
a changed problem gets new entries."""

import importlib
import sys
import textwrap

import numpy as np
import pytest

from graders import preparation, reference_store
from graders.problem import get_problem


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv(reference_store.CACHE_ENV, str(tmp_path / "references"))
    preparation.prepare.cache_clear()
    preparation._visible.cache_clear()
    yield tmp_path / "references"
    preparation.prepare.cache_clear()
    preparation._visible.cache_clear()


def _same(a, b):
    assert [p.trial for p in a] == [p.trial for p in b]
    for left, right in zip(a, b, strict=True):
        assert left.inputs.keys() == right.inputs.keys()
        for name in left.inputs:
            assert np.array_equal(left.inputs[name], right.inputs[name])
            assert type(left.inputs[name]) is type(right.inputs[name])
        for name in left.expected:
            assert np.array_equal(left.expected[name], right.expected[name])
        assert left.mistakes.keys() == right.mistakes.keys()
        for out in left.mistakes:
            for mistake, (hint, value) in left.mistakes[out].items():
                assert right.mistakes[out][mistake][0] == hint
                assert np.array_equal(right.mistakes[out][mistake][1], value, equal_nan=True)
        assert left.scale_names == right.scale_names


@pytest.mark.parametrize("problem_id", ["one_layer_net", "softplus", "legendre_p3", "scalar_chain"])
def test_what_the_store_gives_back_is_what_was_computed(store, problem_id):
    problem = get_problem(problem_id)
    computed = preparation.prepare(problem, 11, 3, 5)
    names = sorted(path.name for path in store.iterdir())
    assert len(names) == 2 and names[0].endswith("-11-3-hidden5.npz") and names[1].endswith("-11-3-visible.npz")
    preparation.prepare.cache_clear()
    preparation._visible.cache_clear()
    _, _, recomputed = preparation._part(problem, 11, 3, 5)
    assert recomputed is False  # read back, not computed
    _same(computed, preparation.prepare(problem, 11, 3, 5))


def test_the_trials_come_in_order_with_the_visible_ones_shared_by_every_hidden_set(store):
    problem = get_problem("sigmoid")
    one, two = preparation.prepare(problem, 3, 3, 0), preparation.prepare(problem, 3, 3, 1)
    assert [p.trial.index for p in one] == [0, 1, 2, 3]
    assert np.array_equal(one[0].inputs["x"], two[0].inputs["x"])  # visible
    assert not np.array_equal(one[1].inputs["x"], two[1].inputs["x"])  # hidden


def test_what_is_stored_is_what_is_read(store):
    problem = get_problem("sigmoid")
    preparation.prepare(problem, 3, 3, 0)
    preparation.prepare.cache_clear()
    preparation._visible.cache_clear()
    (path,) = store.glob("*-visible.npz")
    key = {"problem": "sigmoid", "digest": reference_store.problem_digest(problem.sample.__module__),
           "seed": 3, "count": 3, "part": "visible"}
    stored = reference_store.load(key, [0, 3], store)
    stored[0]["expected"]["x"] = stored[0]["expected"]["x"] + 1.0  # a planted change shows: it is read
    reference_store.save(key, stored, store)
    assert np.array_equal(preparation.prepare(problem, 3, 3, 0)[0].expected["x"], stored[0]["expected"]["x"])


def test_warm_fills_every_hidden_set_of_the_pool_once(store):
    problem = get_problem("softplus")
    assert preparation.warm(problem, 5, 3, 4) == 5
    assert len(list(store.glob("softplus-*-5-3-*.npz"))) == 5
    assert preparation.warm(problem, 5, 3, 4) == 0


PROBLEM_MODULE = '''
from graders.problem import Derivative, Problem, Trial, register
from graders.torch_on_demand import torch


def sample(rng, trial: Trial) -> dict:
    return {"x": rng.uniform(-1.0, 1.0, size=(2, 3))}


PROBLEM = register(Problem(
    id="store_probe", title="probe", statement="", function="probe", params=("x",), sample=sample,
    forward=lambda x: torch.sin(x), wrt=("x",), derivative=Derivative.ELEMENTWISE))
'''


def test_a_changed_problem_does_not_read_the_old_entries(store, tmp_path, monkeypatch):
    folder = tmp_path / "bankprobe"
    folder.mkdir()
    (folder / "store_probe_bank.py").write_text(textwrap.dedent(PROBLEM_MODULE))
    monkeypatch.syspath_prepend(str(folder))
    module = importlib.import_module("store_probe_bank")
    try:
        problem = module.PROBLEM
        before = reference_store.problem_digest(module.__name__)
        preparation.warm(problem, 1, 3, 1)
        (folder / "store_probe_bank.py").write_text(textwrap.dedent(PROBLEM_MODULE) + "# the statement changed\n")
        reference_store.problem_digest.cache_clear()
        after = reference_store.problem_digest(module.__name__)
        assert after != before
        assert preparation.warm(problem, 1, 3, 1) == 2  # both sets computed again under the new digest
        # and the old entries are gone
        assert sorted(path.name.split("-")[1] for path in store.glob("store_probe-*.npz")) == [after, after]
    finally:
        from graders import problem as problem_module

        problem_module._REGISTRY.pop("store_probe", None)
        sys.modules.pop("store_probe_bank", None)
        reference_store.problem_digest.cache_clear()


def test_a_worker_keeps_every_trial_set_in_memory_after_warming_up(store):
    problem = get_problem("sigmoid")
    preparation.warm(problem, 5, 3, 3, load=True)
    before = preparation.prepare.cache_info()
    for hidden_set in range(3):
        preparation.prepare(problem, 5, 3, hidden_set)
    after = preparation.prepare.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)
