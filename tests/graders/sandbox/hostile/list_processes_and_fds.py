"""Hostile: list processes and fds."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            pass
    raise RuntimeError(f"pids={pids} fds={fds} uid={os.getuid()} cwd={os.getcwd()}")
