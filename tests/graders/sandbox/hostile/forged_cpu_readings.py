"""Hostile: replaces time.process_time and the scheduler statistics the harness reports at
each call's start, so the runner's CPU and waiting baselines are wrong, then spins: it buys
no more than a wait's limit (10 s) and is still a timeout."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
time = _m("time")
sys = _m("sys")

time.process_time = lambda: 999_999_999.0
sys.modules["graders.harness"]._queued = lambda: 0.0


def sigmoid_grad(x):
    while True:
        pass
