"""Hostile: forged result frames whose npy headers have 65 axes, or a shape whose product
overflows 64 bits, written straight onto every fd (the result pipe among them)."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")
json = _m("json")
SHAPES = ["(" + "2, " * 65 + ")", "(4294967296, 4294967296, 4294967296)", "(-1, 3)"]
CALLS = [0]


def _frame(data):
    return struct.pack(">I", len(data)) + data


def _npy(shape):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }"
    header = header + " " * (127 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\0" * 64


def sigmoid_grad(x):
    shape = SHAPES[CALLS[0] % len(SHAPES)]
    CALLS[0] += 1
    message = {"event": "result", "key": "sigmoid/0", "status": "ok", "value": {"t": "array", "blob": 0}, "blobs": 1}
    for fd in [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]:
        try:
            os.write(fd, _frame(json.dumps(message).encode()) + _frame(_npy(shape)))
        except OSError:
            pass
    os._exit(0)
