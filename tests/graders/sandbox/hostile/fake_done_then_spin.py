"""Hostile: forge a result for every call and a `done` on the result pipe at once, so the
grader returns while this process keeps a CPU busy, for the next job to share it with."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")
json = _m("json")


def _frame(data):
    return struct.pack(">I", len(data)) + data


def sigmoid_grad(x):
    frames = b""
    for key in ("sigmoid/0", "sigmoid/1", "sigmoid/2", "sigmoid/3", "sigmoid/4"):
        frames += _frame(json.dumps({"event": "result", "key": key, "status": "ok", "value": {"t": "scalar", "v": 0.5},
                                     "blobs": 0}).encode())
    frames += _frame(json.dumps({"event": "done", "stdout": "", "blobs": 0}).encode())
    for fd in [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]:
        try:
            os.write(fd, frames)
        except OSError:
            pass
    while True:
        pass
