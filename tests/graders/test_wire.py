import io
import json

import numpy as np
import pytest

from graders import wire


def _npy(array) -> bytes:
    return wire.array_to_npy(np.asarray(array))


def test_numeric_array_round_trips_exactly():
    array = np.random.default_rng(0).standard_normal((3, 4))
    assert np.array_equal(wire.npy_to_array(_npy(array)), array)


def test_object_array_is_refused_before_loading():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(wire.WireError, match="not numeric"):
        wire.npy_to_array(buffer.getvalue())


def test_header_that_lies_about_its_shape_is_refused():
    data = bytearray(_npy(np.zeros(4)))
    lied = bytes(data).replace(b"(4,)", b"(9,)")
    with pytest.raises(wire.WireError, match="does not match"):
        wire.npy_to_array(lied)


def test_huge_declared_shape_is_refused_without_allocating():
    data = _npy(np.zeros(4)).replace(b"(4,)", b"(1000000000000,)")
    with pytest.raises(wire.WireError, match="larger than allowed"):
        wire.npy_to_array(data)


def test_garbage_is_a_wire_error():
    with pytest.raises(wire.WireError):
        wire.npy_to_array(b"\x93NUMPY garbage")


def test_values_encode_and_decode_structurally():
    blobs: list[bytes] = []
    value = {"W": np.ones((2, 3)), "b": [1.0, 2.0], "t": (3.5, np.float64(2.0)), "none": None}
    decoded = wire.decode_value(wire.encode_value(value, blobs), blobs)
    assert np.array_equal(decoded["W"], np.ones((2, 3)))
    assert decoded["b"] == [1.0, 2.0]
    assert decoded["t"] == (3.5, 2.0)
    assert decoded["none"] is None


def test_unknown_objects_cross_only_as_a_type_name():
    blobs: list[bytes] = []
    decoded = wire.decode_value(wire.encode_value({"x": object(), "s": "text", "c": np.ones(2) * 1j}, blobs), blobs)
    assert decoded["x"] == wire.Opaque("object")
    assert decoded["s"] == wire.Opaque("str")
    assert "complex" in decoded["c"].type_name


def test_messages_resume_after_a_partial_read():
    buffer = io.BytesIO()
    wire.write_message(buffer, {"event": "a"}, [b"xyz"])
    wire.write_message(buffer, {"event": "b"})
    data = buffer.getvalue()
    messages, consumed = wire.parse_messages(data[:-3])
    assert [m.header["event"] for m in messages] == ["a"]
    assert messages[0].blobs == [b"xyz"]
    rest, _ = wire.parse_messages(data[consumed:])
    assert [m.header["event"] for m in rest] == ["b"]


def test_a_non_object_header_is_refused():
    buffer = io.BytesIO()
    wire.write_frame(buffer, json.dumps([1, 2]).encode())
    with pytest.raises(wire.WireError):
        wire.parse_messages(buffer.getvalue())
