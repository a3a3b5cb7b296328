"""Hostile: lower its own CPU limit and ignore SIGXCPU, so that the kernel's SIGKILL at the
hard limit looks like a kill from outside the job (which the runner blames on the grader and
runs again, then reported as memory). It must end as what it is: an infinite loop."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
resource = _m("resource")
signal = _m("signal")


def sigmoid_grad(x):
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    used = int(resource.getrusage(resource.RUSAGE_SELF).ru_utime) + 1
    for limit in ((used, used), (used, resource.RLIM_INFINITY)):
        try:
            resource.setrlimit(resource.RLIMIT_CPU, limit)
        except (OSError, ValueError):
            pass
    resource.getrlimit(resource.RLIMIT_CPU)  # reading it stays allowed
    while True:
        pass
