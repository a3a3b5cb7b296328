"""The only format that crosses the sandbox boundary: length-prefixed frames of
JSON and npy bytes.

Nothing here unpickles. The trusted side checks every npy header (dtype, shape,
size) before `np.load(allow_pickle=False)` touches the bytes, and caps the
JSON it parses, so a hostile child can at worst send data that fails a check.
"""

from __future__ import annotations

import io
import json
import math
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

MAX_RESULT_BYTES = 8 * 1024 * 1024  # per job, everything the child sends back
MAX_ELEMENTS = 2_000_000  # per array
MAX_ITEMS = 100_000  # list/dict entries per returned value
MAX_DEPTH = 8
_LENGTH = struct.Struct(">I")


class WireError(ValueError):
    """The child sent something that is not a well-formed result."""


# ---------------------------------------------------------------- frames


def write_frame(out: BinaryIO, payload: bytes) -> None:
    out.write(_LENGTH.pack(len(payload)))
    out.write(payload)


def write_message(out: BinaryIO, header: dict[str, Any], blobs: list[bytes] = ()) -> None:
    """One message is a JSON frame that says how many blob frames follow it."""
    header = dict(header, blobs=len(blobs))
    write_frame(out, json.dumps(header).encode())
    for blob in blobs:
        write_frame(out, blob)
    out.flush()


def split_frames(data: bytes) -> tuple[list[bytes], list[int]]:
    """Split a byte stream into whole frames, with the offset just past each."""
    frames, ends, pos = [], [], 0
    while pos + _LENGTH.size <= len(data):
        (length,) = _LENGTH.unpack_from(data, pos)
        start = pos + _LENGTH.size
        if start + length > len(data):
            break
        frames.append(data[start : start + length])
        pos = start + length
        ends.append(pos)
    return frames, ends


@dataclass
class Message:
    header: dict[str, Any]
    blobs: list[bytes]


def parse_messages(data: bytes) -> tuple[list[Message], int]:
    """Group whole frames into messages; also return how many bytes they used, so a
    stream read in pieces can resume. A truncated tail (a killed child) waits."""
    frames, ends = split_frames(data)
    messages, i, consumed = [], 0, 0
    while i < len(frames):
        try:
            header = json.loads(frames[i].decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise WireError(f"malformed message header: {exc}") from None
        if not isinstance(header, dict):
            raise WireError("message header is not an object")
        count = header.get("blobs", 0)
        if not isinstance(count, int) or count < 0:
            raise WireError("bad blob count")
        if i + 1 + count > len(frames):
            break
        messages.append(Message(header, frames[i + 1 : i + 1 + count]))
        i += 1 + count
        consumed = ends[i - 1]
    return messages, consumed


# ---------------------------------------------------------------- arrays


def array_to_npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    # ascontiguousarray turns a 0-d array into shape (1,): keep the student's shape.
    np.save(buffer, np.ascontiguousarray(array).reshape(np.shape(array)), allow_pickle=False)
    return buffer.getvalue()


def npy_to_array(data: bytes, max_elements: int = MAX_ELEMENTS) -> np.ndarray:
    """Load npy bytes only after the header proves they are a plain numeric array."""
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise WireError(f"unsupported npy version {version}")
    except WireError:
        raise
    except Exception as exc:  # numpy raises ValueError/SyntaxError on bad headers
        raise WireError(f"bad npy header: {exc}") from None
    if dtype.hasobject or dtype.kind not in "biuf":
        raise WireError(f"array dtype {dtype} is not numeric")
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise WireError("bad array shape")
    count = math.prod(shape)
    if count > max_elements:
        raise WireError(f"array of {count} elements is larger than allowed")
    if len(data) - stream.tell() != count * dtype.itemsize:
        raise WireError("array data does not match its header")
    return np.load(io.BytesIO(data), allow_pickle=False)


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Opaque:
    """A returned object the grader cannot accept; only its type name crosses."""

    type_name: str


def encode_value(value: Any, blobs: list[bytes], _depth: int = 0, _budget: list[int] | None = None) -> dict:
    """Describe a student's return value as JSON plus npy blobs (runs in the child)."""
    budget = _budget if _budget is not None else [MAX_ITEMS]
    if _depth > MAX_DEPTH:
        return {"t": "other", "type": "deeply nested value"}
    module = type(value).__module__ or ""
    if module.startswith("torch") and hasattr(value, "detach"):
        try:
            value = value.detach().cpu().numpy()
        except Exception:
            return {"t": "other", "type": "torch.Tensor"}
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf" and not value.dtype.hasobject:
            blobs.append(array_to_npy(value))
            return {"t": "array", "blob": len(blobs) - 1}
        return {"t": "other", "type": f"numpy array of dtype {value.dtype}"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "other", "type": "bool"}
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"t": "scalar", "v": float(value)}
    if isinstance(value, (list, tuple)):
        budget[0] -= len(value)
        if budget[0] < 0:
            return {"t": "other", "type": "very long list"}
        kind = "list" if isinstance(value, list) else "tuple"
        return {"t": kind, "items": [encode_value(v, blobs, _depth + 1, budget) for v in value]}
    if isinstance(value, dict):
        budget[0] -= len(value)
        if budget[0] < 0:
            return {"t": "other", "type": "very large dict"}
        items = []
        for key, item in value.items():
            if not isinstance(key, str):
                return {"t": "other", "type": f"dict with a {type(key).__name__} key"}
            items.append([key, encode_value(item, blobs, _depth + 1, budget)])
        return {"t": "dict", "items": items}
    if value is None:
        return {"t": "none"}
    return {"t": "other", "type": type(value).__name__}


def decode_value(encoded: Any, blobs: list[bytes], _depth: int = 0) -> Any:
    """Rebuild a returned value on the trusted side: arrays, floats, lists, tuples, dicts."""
    if _depth > MAX_DEPTH + 1 or not isinstance(encoded, dict):
        raise WireError("malformed value")
    kind = encoded.get("t")
    if kind == "array":
        index = encoded.get("blob")
        if not isinstance(index, int) or not 0 <= index < len(blobs):
            raise WireError("value refers to a missing array")
        return npy_to_array(blobs[index])
    if kind == "scalar":
        value = encoded.get("v")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise WireError("malformed scalar")
        return float(value)
    if kind in ("list", "tuple"):
        items = encoded.get("items")
        if not isinstance(items, list):
            raise WireError("malformed sequence")
        decoded = [decode_value(item, blobs, _depth + 1) for item in items]
        return decoded if kind == "list" else tuple(decoded)
    if kind == "dict":
        items = encoded.get("items")
        if not isinstance(items, list):
            raise WireError("malformed dict")
        result = {}
        for pair in items:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise WireError("malformed dict item")
            result[pair[0]] = decode_value(pair[1], blobs, _depth + 1)
        return result
    if kind == "none":
        return None
    if kind == "other":
        return Opaque(str(encoded.get("type", "object"))[:80])
    raise WireError(f"unknown value kind {kind!r}")
