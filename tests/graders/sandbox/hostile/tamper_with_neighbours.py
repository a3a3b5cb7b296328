"""Hostile: lower the limits, priority or CPUs of the warm parent and of the child waiting for the next job."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
resource = _m("resource")


def sigmoid_grad(x):
    me = os.getpid()
    outcomes = []
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me):
        for name, action in [
            ("prlimit", lambda pid=pid: resource.prlimit(pid, resource.RLIMIT_CPU, (1, 1))),
            ("prlimit-nofile", lambda pid=pid: resource.prlimit(pid, resource.RLIMIT_NOFILE, (3, 3))),
            ("setpriority", lambda pid=pid: os.setpriority(os.PRIO_PROCESS, pid, 19)),
            ("sched_setaffinity", lambda pid=pid: os.sched_setaffinity(pid, {0})),
        ]:
            try:
                action()
                outcomes.append(f"{name}({pid}): DONE")
            except OSError as exc:
                outcomes.append(f"{name}({pid}): {type(exc).__name__}")
    raise RuntimeError(" | ".join(outcomes))
