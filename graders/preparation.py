"""Trials of a problem with their validated references: sampled and computed once
(PyTorch autograd, checked by finite differences), then read back as data from
the reference store, so that grading with a warm cache does not import torch."""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from graders import reference_store
from graders.harness import HarnessKind
from graders.problem import Inputs, Problem, Trial, TrialKind

VISIBLE = "visible"


@dataclass(frozen=True)
class PreparedTrial:
    trial: Trial
    inputs: Inputs
    expected: dict[str, np.ndarray]
    mistakes: dict[str, dict[str, tuple[str, np.ndarray]]]  # output -> mistake -> (hint, wrong value)
    scale_names: dict[str, float]


def trials_for(problem: Problem, count: int) -> list[Trial]:
    trials = [Trial(TrialKind.REGULAR, i, visible=(i == 0)) for i in range(count)]
    if problem.stability:
        trials += [Trial(TrialKind.STABILITY, count + case, visible=True, case=case, note=note)
                   for case, note in enumerate(problem.stability_cases)]
    return trials


def trial_rng(seed: int, problem: Problem, trial: Trial, hidden_set: int = 0) -> np.random.Generator:
    # Visible trials ignore the hidden set: every student sees the same ones.
    stream = 0 if trial.visible else 1 + hidden_set
    return np.random.default_rng([seed, zlib.crc32(problem.id.encode()), trial.index,
                                  trial.kind is TrialKind.STABILITY, stream])


def sampled_as(seed: int, problem: Problem, trial: Trial, hidden_set: int = 0) -> Trial:
    """The trial as its sampler sees it: a hidden one with the seed its set's free sizes
    come from, the same for every hidden trial of the set (see sampling.free_sizes)."""
    if trial.visible:
        return trial
    return dataclasses.replace(trial, sizes_seed=(seed, zlib.crc32(problem.id.encode()), 1 + hidden_set))


def _part_name(hidden_set: int | None) -> str:
    return VISIBLE if hidden_set is None else f"hidden{hidden_set}"


def _compute(problem: Problem, seed: int, trials: list[Trial], hidden_set: int) -> list[reference_store.TrialData]:
    """Sample and compute with torch: only on a cache miss."""
    from graders.checks import extract_outputs
    from graders.finite_difference import validate_reference
    from graders.reference import reference_outputs, torch_function_outputs

    computed = []
    for trial in trials:
        inputs = problem.sample(trial_rng(seed, problem, trial, hidden_set), sampled_as(seed, problem, trial, hidden_set))
        expected = reference_outputs(problem, inputs)
        validate_reference(problem, inputs, expected, seed=trial.index)
        mistakes: dict[str, dict[str, np.ndarray]] = {}
        for mistake in problem.mistakes:
            arguments = [np.copy(inputs[name]) if isinstance(inputs[name], np.ndarray) else inputs[name]
                         for name in problem.params]
            with np.errstate(all="ignore"):
                if problem.harness is HarnessKind.TORCH_FUNCTION:  # the mistake is an autograd.Function class
                    value = torch_function_outputs(mistake.solution, *arguments)
                else:
                    value = mistake.solution(*arguments)
                wrong, failure, _ = extract_outputs(problem, value, expected)
            if failure is not None:
                raise ValueError(f"{problem.id}: mistake {mistake.name!r} does not return the student format")
            for name, array in wrong.items():
                mistakes.setdefault(name, {})[mistake.name] = array
        computed.append({"index": trial.index, "inputs": inputs, "expected": expected, "mistakes": mistakes})
    return computed


def _part(problem: Problem, seed: int, count: int, hidden_set: int | None) -> tuple[list[Trial], list[reference_store.TrialData], bool]:
    """One trial set (the visible trials, or hidden set `hidden_set`), from the store
    when it holds it; the flag says whether it had to be computed."""
    trials = [t for t in trials_for(problem, count) if t.visible == (hidden_set is None)]
    digest = reference_store.problem_digest(problem.sample.__module__)
    key = {"problem": problem.id, "digest": digest, "seed": seed, "count": count, "part": _part_name(hidden_set)}
    if digest is not None:
        stored = reference_store.load(key, [t.index for t in trials])
        if stored is not None:
            return trials, stored, False
    computed = _compute(problem, seed, trials, hidden_set or 0)
    if digest is not None:
        reference_store.save(key, computed)
    return trials, computed, True


@lru_cache(maxsize=256)
def _visible(problem: Problem, seed: int, count: int) -> tuple[PreparedTrial, ...]:
    return _prepared(problem, *_part(problem, seed, count, None)[:2])


def _prepared(problem: Problem, trials: list[Trial], data: list[reference_store.TrialData]) -> tuple[PreparedTrial, ...]:
    hints = {mistake.name: mistake.hint for mistake in problem.mistakes}
    prepared = []
    for trial, item in zip(trials, data, strict=True):
        inputs = item["inputs"]
        mistakes = {out: {name: (hints.get(name, ""), array) for name, array in by_name.items()}
                    for out, by_name in item["mistakes"].items()}
        scale_names = dict(problem.scale_names(inputs)) if problem.scale_names else {}
        prepared.append(PreparedTrial(trial, inputs, item["expected"], mistakes, scale_names))
    return tuple(prepared)


@lru_cache(maxsize=4096)
def prepare(problem: Problem, seed: int, count: int, hidden_set: int = 0) -> tuple[PreparedTrial, ...]:
    """Inputs and validated references for every trial, in trial order. The visible
    trials come from `seed` alone (the same for every student, so feedback is
    comparable); the hidden ones from `seed` and `hidden_set`, one of the
    assignment's pool of hidden trial sets (see engine.hidden_set_of).
    Deterministic, so a regrade of the same file sees the same inputs."""
    hidden = _prepared(problem, *_part(problem, seed, count, hidden_set)[:2])
    return tuple(sorted(_visible(problem, seed, count) + hidden, key=lambda p: p.trial.index))


def warm(problem: Problem, seed: int, count: int, pool: int, load: bool = False) -> int:
    """Make sure the store holds the visible trials and every hidden set of the pool,
    and with `load` keep them in this process too (a worker, before its first job);
    returns how many trial sets had to be computed."""
    computed = sum(_part(problem, seed, count, hidden_set)[2] for hidden_set in [None, *range(pool)])
    digest = reference_store.problem_digest(problem.sample.__module__)
    if digest is not None:
        reference_store.prune(problem.id, digest)
    if load:
        for hidden_set in range(pool):
            prepare(problem, seed, count, hidden_set)
    return computed
