"""Hostile: changes to itself that a forked neighbour could inherit if it were forked from
the job: SCHED_IDLE, a one-CPU affinity, RLIMIT_STACK and RLIMIT_NPROC lowered, an ignored
SIGTERM/SIGHUP, a blocked signal mask, an alternate signal stack, THP disabled."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
signal = _m("signal")
resource = _m("resource")
ctypes = _m("ctypes")
np = _m("numpy")


def _try(outcomes, name, action):
    try:
        action()
        outcomes.append(f"{name}: done")
    except (OSError, ValueError, AttributeError) as exc:
        outcomes.append(f"{name}: {type(exc).__name__}")


def sigmoid_grad(x):
    outcomes = []
    _try(outcomes, "sched_idle", lambda: os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0)))
    _try(outcomes, "affinity", lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}))
    _try(outcomes, "affinity parent", lambda: os.sched_setaffinity(1, {0}))
    _try(outcomes, "stack", lambda: resource.setrlimit(resource.RLIMIT_STACK, (1 << 16, 1 << 16)))
    _try(outcomes, "nproc", lambda: resource.setrlimit(resource.RLIMIT_NPROC, (0, 0)))
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGXCPU):
        _try(outcomes, f"ignore {sig}", lambda sig=sig: signal.signal(sig, signal.SIG_IGN))
    _try(outcomes, "mask", lambda: signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL,
                                                                                                     signal.SIGSTOP}))
    libc = ctypes.CDLL(None, use_errno=True)
    outcomes.append(f"thp_disable: {libc.prctl(41, 1, 0, 0, 0)}")
    outcomes.append(f"io_flusher: {libc.prctl(57, 1, 0, 0, 0)}")
    outcomes.append(f"mdwe: {libc.prctl(65, 1, 0, 0, 0)}")
    print("self", outcomes)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
