"""Hostile: at load time, forge a `load_failed` frame carrying megabytes of text in its
message and in its `module` field, then a `done` frame with a megabyte of stdout."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")
json = _m("json")


def _frame(data):
    return struct.pack(">I", len(data)) + data


_big = "\u202e\ud800" + "A" * (3 << 20)
_forged = json.dumps({"event": "load_failed", "status": "forbidden_import", "message": _big, "module": _big,
                      "blobs": 0}).encode()
for _fd in [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]:
    try:
        os.write(_fd, _frame(_forged))
    except OSError:
        pass
os._exit(0)


def sigmoid_grad(x):
    return x
