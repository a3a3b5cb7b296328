"""Hostile: a result frame whose JSON header nests 200 000 arrays deep (a recursion bomb
for a JSON parser), and a value of 100 000 nested lists."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")


def sigmoid_grad(x):
    header = b'{"event": "result", "key": "sigmoid/0", "status": "ok", "blobs": 0, "value": ' + b"[" * 200_000 \
        + b"]" * 200_000 + b"}"
    for fd in [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]:
        try:
            os.write(fd, struct.pack(">I", len(header)) + header)
        except OSError:
            pass
    os._exit(0)
