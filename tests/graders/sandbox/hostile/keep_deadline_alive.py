"""Hostile: forge "begin" messages forever so the runner's per-call deadline never arrives."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
json = _m("json")
struct = _m("struct")
time = _m("time")


def sigmoid_grad(x):
    fds = [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]
    frame = json.dumps({"event": "begin", "key": "sigmoid/0", "blobs": 0}).encode()
    while True:
        for fd in fds:
            try:
                os.write(fd, struct.pack(">I", len(frame)) + frame)
            except OSError:
                pass
        time.sleep(0.5)
