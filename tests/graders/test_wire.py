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


def _header_only(shape: str) -> bytes:
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
    header += " " * (117 - len(header) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode()


@pytest.mark.parametrize(("shape", "error"), [
    ("(1099511627776, 0)", "larger than allowed"),  # np.empty((2**40, 0)): no elements, 2**40 rows
    ("(3000000, 0)", "larger than allowed"),
    ("(" + "1, " * 65 + ")", "axes"),
    ("(18446744073709551617, 0)", "larger than allowed"),
    ("(-1, 3)", "bad array shape"),
])
def test_shapes_are_bounded_by_their_axes_and_extent_not_only_their_size(shape, error):
    with pytest.raises(wire.WireError, match=error):
        wire.npy_to_array(_header_only(shape))


def test_the_extent_counts_empty_axes_as_one():
    assert wire.array_extent((3, 0, 5)) == 15
    assert wire.array_extent(()) == 1


def test_a_reader_fed_in_pieces_finds_the_same_messages():
    buffer = io.BytesIO()
    for index in range(20):
        wire.write_message(buffer, {"event": "e", "i": index}, [bytes([index]) * index] * (index % 3))
    data = buffer.getvalue()
    expected, _ = wire.parse_messages(data)
    for step in (1, 5, 64, len(data)):
        reader = wire.MessageReader()
        got = [m for start in range(0, len(data), step) for m in reader.feed(data[start : start + step])]
        assert [(m.header, m.blobs) for m in got] == [(m.header, m.blobs) for m in expected]


def test_decoded_values_are_bounded():
    with pytest.raises(wire.WireError, match="too large for a float"):
        wire.decode_value({"t": "scalar", "v": 10**400}, [])
    with pytest.raises(wire.WireError, match="too many parts"):
        wire.decode_value({"t": "list", "items": [{"t": "none"}] * (wire.MAX_ITEMS + 1)}, [])
    with pytest.raises(wire.WireError, match="dict key"):
        wire.decode_value({"t": "dict", "items": [["k" * 5000, {"t": "none"}]]}, [])
    assert wire.decode_value({"t": "other", "type": "T" * 10_000}, []).type_name.startswith("TTT")
    assert len(wire.decode_value({"t": "other", "type": "T" * 10_000}, []).type_name) <= 80


def test_each_array_of_a_value_is_rebuilt_once():
    # The child's encoder gives every array a blob of its own; a forged value that names one
    # blob 100 000 times, inside the 8 MiB stream, would cost 100 000 copies on this side.
    blob = wire.array_to_npy(np.arange(64.0))
    with pytest.raises(wire.WireError, match="same array twice"):
        wire.decode_value({"t": "list", "items": [{"t": "array", "blob": 0}] * 100_000}, [blob])
    with pytest.raises(wire.WireError, match="same array twice"):
        wire.decode_value({"t": "dict", "items": [["a", {"t": "array", "blob": 0}], ["b", {"t": "array", "blob": 0}]]},
                          [blob])
    pair = wire.decode_value({"t": "tuple", "items": [{"t": "array", "blob": 0}, {"t": "array", "blob": 1}]},
                             [blob, blob])  # two blobs with the same bytes are two arrays
    assert all(np.array_equal(item, np.arange(64.0)) for item in pair)


def test_the_arrays_of_a_value_share_one_element_budget():
    # Empty arrays cost no bytes on the wire, yet each may span MAX_ELEMENTS rows: many of
    # them in one list would stack into a value of billions of rows.
    empty = wire.array_to_npy(np.empty((wire.MAX_ELEMENTS // 2 + 1, 0)))
    items = [{"t": "array", "blob": index} for index in range(2)]
    with pytest.raises(wire.WireError, match="larger than allowed"):
        wire.decode_value({"t": "list", "items": items}, [empty, empty])
    assert wire.decode_value({"t": "list", "items": items[:1]}, [empty])[0].shape == (wire.MAX_ELEMENTS // 2 + 1, 0)


def test_text_fields_are_capped_whatever_their_type():
    assert len(wire.capped_text("x" * 10**6)) <= wire.MAX_TEXT
    assert wire.capped_text({"a": 1}) == "dict"
    assert wire.capped_text(None) == ""


def test_text_fields_and_dict_keys_can_always_be_encoded():
    # JSON lets a child send a lone surrogate ("\\udc80"); printing or storing it as UTF-8 would raise.
    header = json.loads('{"message": "a\\udc80b", "key": "\\ud83d\\ude00"}')
    assert wire.capped_text(header["message"]) == "a\ufffdb"
    assert wire.capped_text(header["key"]) == "\U0001f600"  # a whole pair is a character, kept
    assert len(wire.capped_text("\ud800" * 10_000)) <= wire.MAX_TEXT
    decoded = wire.decode_value({"t": "dict", "items": [["W\udfff", {"t": "none"}]]}, [])
    assert list(decoded) == ["W\ufffd"]
    for text in (wire.capped_text(header["message"]), *decoded):
        text.encode("utf-8")


@pytest.mark.parametrize("array", [
    np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    np.arange(24, dtype=np.int32).reshape(2, 3, 4)[:, ::2],
    np.array(2.5),
    np.zeros((0, 5)),
    np.array([True, False]),
    np.arange(6, dtype=">f8"),
])
def test_arrays_come_back_equal_writable_and_owning_their_memory(array):
    from graders import wire

    back = wire.npy_to_array(wire.array_to_npy(array))
    assert back.shape == array.shape and back.dtype == array.dtype
    assert np.array_equal(back, array)
    assert back.flags.writeable and back.flags.owndata


def test_an_object_array_of_real_numbers_crosses_as_float64_and_any_other_is_refused():
    numbers = np.frompyfunc(lambda v: v / 2, 1, 1)(np.arange(6.0).reshape(2, 3))
    assert numbers.dtype == object
    blobs: list[bytes] = []
    decoded = wire.decode_value(wire.encode_value(numbers, blobs), blobs)
    assert decoded.dtype == np.float64 and decoded.shape == (2, 3) and decoded[1, 2] == 2.5
    for odd in ([1.0, "x"], [1.0, True], [1.0, 2j], [1.0, None], [10**400, 1.0]):
        assert wire.encode_value(np.array(odd, dtype=object), [])["t"] == "other", odd


def test_exact_numbers_cross_as_floats():
    from decimal import Decimal
    from fractions import Fraction

    blobs: list[bytes] = []
    value = (Fraction(1, 4), Decimal("2.5"), np.array([Fraction(3, 2), Decimal(1)], dtype=object))
    decoded = wire.decode_value(wire.encode_value(value, blobs), blobs)
    assert decoded[:2] == (0.25, 2.5) and decoded[2].tolist() == [1.5, 1.0]
    assert wire.encode_value(Decimal("sNaN"), [])["t"] == "other"


def test_standard_containers_of_numbers_cross_as_lists_arrays_and_dicts():
    import types
    from array import array
    from collections import deque

    blobs: list[bytes] = []
    value = (array("d", [1.5, 2.0]), deque([1.0, 2.0]), types.MappingProxyType({"w": array("i", [3])}))
    typed, queue, mapping = wire.decode_value(wire.encode_value(value, blobs), blobs)
    assert typed.tolist() == [1.5, 2.0] and queue == [1.0, 2.0] and mapping["w"].tolist() == [3]
    # What holds no numbers, or no order, keeps its own type name and is refused.
    for odd, name in ((array("u", "ab"), "array"), ({1.0, 2.0}, "set"), (b"ab", "bytes")):
        assert wire.decode_value(wire.encode_value(odd, []), []) == wire.Opaque(name)
