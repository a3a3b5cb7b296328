"""Trial data (inputs, validated references, catalogued mistakes' answers) stored
as data on disk, so that a process grading with a warm cache neither recomputes
them nor imports torch.

One `.npz` file per problem, seed, trial count and trial set (the visible trials,
or one hidden trial set of the pool), named by a digest of everything that
produces the data: the problem's module, the engine modules that sample and
compute references, numpy's version and this format. A changed problem gets new
names, so a stale entry is never read. Files are written to a temporary name and
renamed, so concurrent workers filling the same cache never see half a file;
they are read with `allow_pickle=False`, so a tampered cache cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import time
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

CACHE_ENV = "NABLAGRADE_CACHE_DIR"
FORMAT = 2
# The modules whose code decides what a trial holds, besides the problem's own.
ENGINE_MODULES = ("sampling.py", "reference.py", "finite_difference.py", "preparation.py", "reference_store.py")
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any bank problem's trial set

_UNWRITABLE: set[Path] = set()
TrialData = dict[str, Any]  # {"index", "inputs", "expected", "mistakes": {output: {mistake: array}}}


def cache_dir() -> Path:
    """`$NABLAGRADE_CACHE_DIR`, else `$XDG_CACHE_HOME/nablagrade/references`
    (`~/.cache/nablagrade/references`)."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory: a private folder in the temporary directory
            base = str(Path(tempfile.gettempdir()) / f"nablagrade-{os.getuid()}")
    return Path(base) / "nablagrade" / "references"


@lru_cache(maxsize=256)
def problem_digest(module_name: str) -> str | None:
    """A digest of the code that produces a problem's trials, or None when the
    problem's module has no source file (then nothing is stored)."""
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if not path:
        return None
    engine = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"nablagrade-references {FORMAT} numpy {np.__version__}\0".encode())
    try:
        for source in (Path(path), *(engine / name for name in ENGINE_MODULES)):
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:24]


def entry_name(problem_id: str, digest: str, seed: int, count: int, part: str) -> str:
    return f"{problem_id}-{digest}-{seed}-{count}-{part}.npz"


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return "array"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    raise TypeError(f"cannot store an input of type {type(value).__name__}")


def _restore(kind: str, array: np.ndarray) -> Any:
    if kind == "array":
        return array
    if kind not in ("bool", "int", "float") or array.shape != ():
        raise ValueError(f"bad input kind {kind!r}")
    return {"bool": bool, "int": int, "float": float}[kind](array[()])


def _pack(arrays: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, list]]:
    """Every array of one dtype in one flat buffer: a trial set holds a hundred small
    arrays, and reading a hundred members of a zip costs more than computing them."""
    buffers: dict[str, list[np.ndarray]] = {}
    index: dict[str, list] = {}
    for name, array in arrays.items():
        array = np.asarray(array)  # (not ascontiguousarray: it makes a 0-d array 1-d)
        if array.dtype.kind not in "biuf" or array.dtype.byteorder == ">":
            raise TypeError(f"cannot store {name} of dtype {array.dtype}")
        dtype = array.dtype.str
        parts = buffers.setdefault(dtype, [])
        offset = sum(part.size for part in parts)
        parts.append(array.reshape(-1))
        index[name] = [dtype, list(array.shape), offset]
    packed = {f"data{dtype}": np.concatenate(parts) for dtype, parts in buffers.items()}
    return packed, index


def _unpack(stored: Any, index: dict[str, list]) -> dict[str, np.ndarray]:
    buffers: dict[str, np.ndarray] = {}
    arrays = {}
    for name, (dtype, shape, offset) in index.items():
        if dtype not in buffers:
            buffers[dtype] = stored[f"data{dtype}"]
            if buffers[dtype].dtype.str != dtype or buffers[dtype].ndim != 1:
                raise ValueError(f"buffer {dtype} is not what the index says")
        size = int(np.prod(shape, dtype=np.int64))
        if offset < 0 or size < 0 or offset + size > buffers[dtype].size:
            raise ValueError(f"{name} lies outside its buffer")
        arrays[name] = buffers[dtype][offset:offset + size].reshape(shape)
    return arrays


def save(key: dict[str, Any], trials: list[TrialData], directory: Path | None = None) -> Path | None:
    """Store one trial set atomically; returns its path, or None if the cache is not writable."""
    directory = directory or cache_dir()
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {**key, "format": FORMAT, "trials": []}
    for trial in trials:
        i = trial["index"]
        entry = {"index": i, "inputs": {}, "expected": list(trial["expected"]),
                 "mistakes": {out: list(by_name) for out, by_name in trial["mistakes"].items()}}
        for name, value in trial["inputs"].items():
            entry["inputs"][name] = _kind(value)
            arrays[f"{i}|in|{name}"] = np.asarray(value)
        for name, value in trial["expected"].items():
            arrays[f"{i}|ex|{name}"] = np.asarray(value, dtype=np.float64)
        for out, by_name in trial["mistakes"].items():
            for mistake, value in by_name.items():
                arrays[f"{i}|mi|{out}|{mistake}"] = np.asarray(value)
        meta["trials"].append(entry)
    packed, meta["arrays"] = _pack(arrays)
    packed["meta"] = np.array(json.dumps(meta, sort_keys=True))
    arrays = packed
    target = directory / entry_name(key["problem"], key["digest"], key["seed"], key["count"], key["part"])
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=directory, prefix=".tmp-", suffix=".npz", delete=False)
        try:
            with handle:
                np.savez(handle, **arrays)
            os.replace(handle.name, target)
        except BaseException:
            os.unlink(handle.name)
            raise
    except OSError as exc:
        if directory not in _UNWRITABLE:  # once per folder: every trial set would say it again
            _UNWRITABLE.add(directory)
            log.warning("cannot store references in %s (set %s to a writable folder): %s", directory, CACHE_ENV, exc)
        return None
    return target


def load(key: dict[str, Any], indices: list[int], directory: Path | None = None) -> list[TrialData] | None:
    """The stored trial set for `key`, or None when it is missing or not what `key` and
    `indices` describe (then the caller computes it again and overwrites it)."""
    directory = directory or cache_dir()
    path = directory / entry_name(key["problem"], key["digest"], key["seed"], key["count"], key["part"])
    try:
        # Opened here, not by np.load: it leaks its handle on a file that is not a zip.
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as stored:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                return None
            meta = json.loads(str(stored["meta"][()]))
            if meta.get("format") != FORMAT or any(meta.get(k) != v for k, v in key.items()):
                return None
            data = _unpack(stored, meta["arrays"])
            if [entry["index"] for entry in meta["trials"]] != indices:
                return None
            trials = []
            for entry in meta["trials"]:
                i = entry["index"]
                trials.append({
                    "index": i,
                    "inputs": {name: _restore(kind, data[f"{i}|in|{name}"]) for name, kind in entry["inputs"].items()},
                    "expected": {name: data[f"{i}|ex|{name}"] for name in entry["expected"]},
                    "mistakes": {out: {m: data[f"{i}|mi|{out}|{m}"] for m in names}
                                 for out, names in entry["mistakes"].items()},
                })
            return trials
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        log.warning("ignoring unreadable reference file %s: %s", path, exc)
        return None


def prune(problem_id: str, digest: str, directory: Path | None = None) -> int:
    """Remove the entries of `problem_id` made by other code than `digest`'s (an older
    version of the problem or of the engine); returns how many. Left-over temporary files
    of interrupted writes go too once they are an hour old."""
    directory = directory or cache_dir()
    removed = 0
    try:
        for path in directory.glob(f"{problem_id}-*.npz"):
            parts = path.name.split("-")
            if len(parts) == 5 and parts[0] == problem_id and parts[1] != digest:
                path.unlink(missing_ok=True)
                removed += 1
        for path in directory.glob(".tmp-*.npz"):
            if path.stat().st_mtime < time.time() - 3600:
                path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot prune %s: %s", directory, exc)
    return removed
