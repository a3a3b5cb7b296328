"""Hostile: find every fd it holds (fstat each), write forged protocol frames ("done", a
perfect result) to each one that takes writes, reopen each through /proc/self/fd, then
dup2 /dev/null over 0-2 and print what it found."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
json = _m("json")
stat = _m("stat")
struct = _m("struct")
np = _m("numpy")


def _frame(header):
    payload = json.dumps(dict(header, blobs=0)).encode()
    return struct.pack(">I", len(payload)) + payload


def sigmoid_grad(x):
    forged = _frame({"event": "exit", "job": 1, "returncode": 0}) + _frame({"event": "done", "stdout": "FORGED"})
    found = []
    for name in sorted(os.listdir("/proc/self/fd"), key=int):
        fd = int(name)
        try:
            mode = os.fstat(fd).st_mode
            kind = "fifo" if stat.S_ISFIFO(mode) else "sock" if stat.S_ISSOCK(mode) else "chr" if stat.S_ISCHR(mode) \
                else "reg" if stat.S_ISREG(mode) else oct(mode)
        except OSError as exc:
            kind = type(exc).__name__
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = "?"
        wrote = 0
        if fd > 2:  # the result pipe is ours to lie on: the trusted side must see through it
            try:
                wrote = os.write(fd, forged)
            except OSError as exc:
                wrote = type(exc).__name__
        try:
            reopened = os.open(f"/proc/self/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK)
            os.close(reopened)
            reopened = "reopened"
        except OSError as exc:
            reopened = type(exc).__name__
        found.append(f"{fd}:{kind}:{target}:{wrote}:{reopened}")
    devnull = os.open("/dev/null", os.O_WRONLY)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    print("fds", found)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
