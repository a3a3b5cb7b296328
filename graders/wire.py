"""The only format that crosses the sandbox boundary: length-prefixed frames of
JSON and npy bytes.

Nothing here unpickles. The trusted side checks every npy header (dtype, number
of axes, every extent) before `np.load(allow_pickle=False)` touches the bytes,
bounds the JSON it parses and the values it rebuilds, so a hostile child can at
worst send data that fails a check: a `WireError`, never another exception.
"""

from __future__ import annotations

import collections
import decimal
import io
import itertools
import json
import math
import numbers
import re
import struct
from array import array as TypedArray
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

MAX_RESULT_BYTES = 8 * 1024 * 1024  # per job, everything the child sends back
MAX_ELEMENTS = 2_000_000  # per array, counting a zero-length axis as 1 (np.empty((10**9, 0)) is not small)
MAX_AXES = 8  # numpy allows 64; no answer has more than a few
MAX_ITEMS = 100_000  # list/dict entries per returned value
MAX_BLOBS = 4096  # arrays per message
MAX_DEPTH = 8
MAX_TEXT = 4 * 1024  # any text field: an error message, a module name, a dict key
MAX_STDOUT = 64 * 1024  # what a submission printed, over the whole job
_LENGTH = struct.Struct(">I")
_SURROGATE = re.compile("[\ud800-\udfff]")


class WireError(ValueError):
    """The child sent something that is not a well-formed result."""


def with_article(name: str) -> str:
    """A type's name after "a" or "an", as a message says it: "a list", "an IndexError"."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def encodable(text: str) -> str:
    """`text` with every lone surrogate (JSON's "\\ud800" escape decodes to one) made U+FFFD:
    such a string cannot be encoded as UTF-8, so printing or storing it would raise."""
    return _SURROGATE.sub("\ufffd", text)


def capped_text(value: Any, cap: int = MAX_TEXT) -> str:
    """A text field from the child, whatever it sent: a str of at most `cap` characters
    that can be encoded as UTF-8."""
    if not isinstance(value, str):
        value = "" if value is None else type(value).__name__
    if len(value) > cap:
        marker = f"\n... (truncated at {cap // 1024} KiB)" if cap >= 1024 else "..."
        value = value[: cap - len(marker)] + marker
    return encodable(value)


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


def _header(frame: bytes) -> dict[str, Any]:
    try:
        header = json.loads(frame.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: also ints of 5000 digits
        raise WireError(f"malformed message header: {capped_text(str(exc), 200)}") from None
    if not isinstance(header, dict):
        raise WireError("message header is not an object")
    count = header.get("blobs", 0)
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_BLOBS:
        raise WireError("bad blob count")
    return header


def parse_messages(data: bytes) -> tuple[list[Message], int]:
    """Group whole frames into messages; also return how many bytes they used, so a
    stream read in pieces can resume. A truncated tail (a killed child) waits."""
    frames, ends = split_frames(data)
    messages, i, consumed = [], 0, 0
    while i < len(frames):
        header = _header(frames[i])
        count = header.get("blobs", 0)
        if i + 1 + count > len(frames):
            break
        messages.append(Message(header, frames[i + 1 : i + 1 + count]))
        i += 1 + count
        consumed = ends[i - 1]
    return messages, consumed


class MessageReader:
    """Messages from a stream that arrives in pieces. Each byte is looked at once
    (a large result read 64 KiB at a time is not re-scanned on every read), and a
    message's header is parsed only once its frames are all here."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.offset = 0  # start of the first message not yet returned
        self.received = 0
        self._parsed: tuple[int, dict[str, Any]] | None = None  # the header at offset, if already parsed

    def feed(self, data: bytes) -> list[Message]:
        self.received += len(data)
        self.buffer += data
        messages = []
        while True:
            found = self._next_message()
            if found is None:
                break
            header, ends = found
            view = memoryview(self.buffer)
            blobs, pos = [], self._frame_end(self.offset)
            while pos < ends:
                (length,) = _LENGTH.unpack_from(view, pos)
                blobs.append(bytes(view[pos + _LENGTH.size : pos + _LENGTH.size + length]))
                pos += _LENGTH.size + length
            view.release()
            messages.append(Message(header, blobs))
            self.offset = ends
        if self.offset > (1 << 20) and self.offset * 2 > len(self.buffer):
            del self.buffer[: self.offset]  # drop what was consumed, now and then
            self.offset = 0
            self._parsed = None
        return messages

    def _next_message(self) -> tuple[dict[str, Any], int] | None:
        """The next message's header and where the message ends, or None if it is not all here."""
        frame_end = self._frame_end(self.offset)
        if frame_end is None:
            return None
        if self._parsed is None or self._parsed[0] != self.offset:
            self._parsed = (self.offset, _header(bytes(self.buffer[self.offset + _LENGTH.size : frame_end])))
        header = self._parsed[1]
        pos: int | None = frame_end
        for _ in range(header.get("blobs", 0)):
            pos = self._frame_end(pos)
            if pos is None:
                return None
        return header, pos

    def _frame_end(self, pos: int) -> int | None:
        if pos + _LENGTH.size > len(self.buffer):
            return None
        (length,) = _LENGTH.unpack_from(self.buffer, pos)
        end = pos + _LENGTH.size + length
        return end if end <= len(self.buffer) else None


# ---------------------------------------------------------------- arrays


def array_to_npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    # ascontiguousarray turns a 0-d array into shape (1,): keep the student's shape.
    np.save(buffer, np.ascontiguousarray(array).reshape(np.shape(array)), allow_pickle=False)
    return buffer.getvalue()


def array_extent(shape: tuple[int, ...]) -> int:
    """Elements the shape would hold if no axis were empty: what `tolist()`, a
    broadcast or a reshape of it may have to build."""
    return math.prod(max(int(n), 1) for n in shape)


def npy_to_array(data: bytes, max_elements: int = MAX_ELEMENTS) -> np.ndarray:
    """Load npy bytes only after the header proves they are a plain numeric array
    of a bounded shape."""
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
        raise WireError(f"bad npy header: {capped_text(str(exc), 200)}") from None
    if not isinstance(dtype, np.dtype) or dtype.hasobject or dtype.kind not in "biuf" or dtype.subdtype is not None:
        raise WireError(f"array dtype {capped_text(str(dtype), 80)} is not numeric")
    if not isinstance(shape, tuple) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise WireError("bad array shape")
    if len(shape) > MAX_AXES:
        raise WireError(f"array with {len(shape)} axes (at most {MAX_AXES} are allowed)")
    if any(n > max_elements for n in shape) or array_extent(shape) > max_elements:
        raise WireError(f"array of shape {capped_text(str(shape), 120)} is larger than allowed")
    if len(data) - stream.tell() != math.prod(shape) * dtype.itemsize:
        raise WireError("array data does not match its header")
    try:
        # From the bytes the header was checked against, not np.load: it would parse the
        # header a second time (ast.literal_eval, most of the cost of a small array).
        flat = np.frombuffer(data, dtype=dtype, offset=stream.tell(), count=math.prod(shape))
        return flat.reshape(shape, order="F" if fortran else "C").copy(order="K")
    except Exception as exc:  # MemoryError included: nothing the child sends may raise on this side
        raise WireError(f"the array could not be read: {type(exc).__name__}") from None


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Opaque:
    """A returned object the grader cannot accept; only its type name crosses."""

    type_name: str


# Exact numbers a student may compute with (fractions.Fraction, decimal.Decimal): real numbers
# all the same, read as floats like a Python float.
_OTHER_REALS = (numbers.Real, decimal.Decimal)
_REAL = (int, float, np.integer, np.floating, *_OTHER_REALS)


def _as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return None


def _numbers_only(array: np.ndarray) -> np.ndarray:
    """An object array that holds only real numbers (np.frompyfunc's result, an array built
    from a list of Python floats) as float64, like the same numbers in a list; anything
    else stays an object array, which is refused. Runs in the child."""
    if array.size > MAX_ELEMENTS:
        return array
    items = array.ravel().tolist()
    if all(isinstance(item, _REAL) and not isinstance(item, (bool, np.bool_)) for item in items):
        try:
            return np.array(items, dtype=np.float64).reshape(array.shape)
        except (OverflowError, ValueError, TypeError):  # an int too large for a float
            return array
    return array


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
        if len(blobs) >= MAX_BLOBS:
            return {"t": "other", "type": "value with too many arrays"}
        if value.dtype.kind == "O":
            value = _numbers_only(value)
        if value.dtype.kind in "biuf" and not value.dtype.hasobject:
            blobs.append(array_to_npy(value))
            return {"t": "array", "blob": len(blobs) - 1}
        return {"t": "other", "type": f"numpy array of dtype {value.dtype}"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "other", "type": "bool"}
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"t": "scalar", "v": float(value)}
    if isinstance(value, _OTHER_REALS):
        number = _as_float(value)
        return {"t": "scalar", "v": number} if number is not None else {"t": "other", "type": type(value).__name__}
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
    stand_in = _plain_container(value)
    if stand_in is not None:
        return encode_value(stand_in, blobs, _depth, budget)
    return {"t": "other", "type": type(value).__name__}


_NUMERIC_TYPECODES = frozenset("bBhHiIlLqQfd")


def _plain_container(value: Any) -> np.ndarray | list | dict | None:
    """The plain form of a standard container that holds numbers as a list, an array or a
    dict does: an array.array of numbers (a typed list), a deque, a read-only or other
    non-dict mapping. What it holds is then checked like the rest; anything else (a
    generator, a set, a string) is refused by its type name. Runs in the child."""
    if isinstance(value, TypedArray):
        return np.array(value) if value.typecode in _NUMERIC_TYPECODES else None
    if isinstance(value, collections.deque):
        return list(itertools.islice(value, MAX_ITEMS + 1))
    if isinstance(value, Mapping):
        try:
            return dict(itertools.islice(iter(value.items()), MAX_ITEMS + 1))
        except Exception:  # noqa: BLE001 - a mapping whose items() fails is not a dict of answers
            return None
    return None


class _Decoding:
    """What one returned value may still use while it is rebuilt: parts, array elements
    (counted by extent, as MAX_ELEMENTS is) and blobs, each of which it may name once."""

    def __init__(self) -> None:
        self.parts = MAX_ITEMS
        self.elements = MAX_ELEMENTS
        self.used: set[int] = set()


def decode_value(encoded: Any, blobs: list[bytes], _depth: int = 0, _state: _Decoding | None = None) -> Any:
    """Rebuild a returned value on the trusted side: arrays, floats, lists, tuples,
    dicts, None and opaque type names, with at most MAX_ITEMS parts and MAX_ELEMENTS
    array elements in all.

    Each blob is rebuilt at most once: the child's encoder gives every array a blob of
    its own, and a forged value that names one 5 MiB blob 100 000 times (well within
    the stream's 8 MiB) would otherwise cost the trusted side half a terabyte."""
    state = _state if _state is not None else _Decoding()
    state.parts -= 1
    if state.parts < 0:
        raise WireError("the value has too many parts")
    if _depth > MAX_DEPTH + 1 or not isinstance(encoded, dict):
        raise WireError("malformed value")
    kind = encoded.get("t")
    if kind == "array":
        index = encoded.get("blob")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(blobs):
            raise WireError("value refers to a missing array")
        if index in state.used:
            raise WireError("value refers to the same array twice")
        state.used.add(index)
        array = npy_to_array(blobs[index], max_elements=state.elements)
        state.elements -= array_extent(array.shape)
        return array
    if kind == "scalar":
        value = encoded.get("v")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise WireError("malformed scalar")
        try:
            return float(value)
        except OverflowError:  # an int of 400 digits: JSON allows it, a float does not
            raise WireError("a number too large for a float") from None
    if kind in ("list", "tuple"):
        items = encoded.get("items")
        if not isinstance(items, list):
            raise WireError("malformed sequence")
        decoded = [decode_value(item, blobs, _depth + 1, state) for item in items]
        return decoded if kind == "list" else tuple(decoded)
    if kind == "dict":
        items = encoded.get("items")
        if not isinstance(items, list):
            raise WireError("malformed dict")
        result = {}
        for pair in items:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise WireError("malformed dict item")
            if len(pair[0]) > MAX_TEXT:
                raise WireError("a dict key longer than 4 KiB")
            result[encodable(pair[0])] = decode_value(pair[1], blobs, _depth + 1, state)
        return result
    if kind == "none":
        return None
    if kind == "other":
        return Opaque(capped_text(encoded.get("type", "object"), 80))
    raise WireError(f"unknown value kind {capped_text(repr(kind), 40)}")
