"""Hostile: leave state for the next job wherever a process can: files in /dev/shm and the
scratch space, a 0777 umask, a cwd outside the scratch, environment variables (LEFTOVER,
PYTHONPATH, LD_PRELOAD), lowered rlimits, leaked and duplicated fds, a new session and
process group, prctl settings (name, parent-death signal, subreaper, dumpable, timer slack)."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
resource = _m("resource")
ctypes = _m("ctypes")
np = _m("numpy")

PR_SET_PDEATHSIG, PR_SET_NAME, PR_SET_DUMPABLE, PR_SET_TIMERSLACK, PR_SET_CHILD_SUBREAPER = 1, 15, 4, 29, 36
PR_SET_PTRACER, PR_SET_PTRACER_ANY = 0x59616D61, -1


def _try(outcomes, name, action):
    try:
        action()
        outcomes.append(f"{name}: done")
    except (OSError, ValueError) as exc:
        outcomes.append(f"{name}: {type(exc).__name__}")


def _write(path, text="leftover"):
    with open(path, "w") as handle:
        handle.write(text)


def sigmoid_grad(x):
    outcomes = []
    _try(outcomes, "/dev/shm file", lambda: _write("/dev/shm/leftover"))
    _try(outcomes, "/tmp file", lambda: _write("/tmp/leftover"))
    _try(outcomes, "umask", lambda: os.umask(0o777))
    _try(outcomes, "chdir /", lambda: os.chdir("/"))
    os.environ["LEFTOVER"] = "1"
    os.environ["PYTHONPATH"] = "/tmp"
    os.environ["LD_PRELOAD"] = "/tmp/leftover"
    for limit in (resource.RLIMIT_NOFILE, resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_FSIZE):
        _try(outcomes, f"setrlimit {limit}", lambda limit=limit: resource.setrlimit(limit, (1, 1)))
        _try(outcomes, f"prlimit(1) {limit}", lambda limit=limit: resource.prlimit(1, limit, (1, 1)))
    leaked = []
    for _ in range(20):
        try:
            leaked.append(os.dup(0))
        except OSError:
            break
    _try(outcomes, "setsid", os.setsid)
    _try(outcomes, "setpgid", lambda: os.setpgid(0, 0))
    libc = ctypes.CDLL(None, use_errno=True)
    for name, option, value in (("pdeathsig", PR_SET_PDEATHSIG, 9), ("name", PR_SET_NAME, ctypes.c_char_p(b"python3")),
                                ("dumpable", PR_SET_DUMPABLE, 1), ("timerslack", PR_SET_TIMERSLACK, 10**9),
                                ("subreaper", PR_SET_CHILD_SUBREAPER, 1), ("ptracer", PR_SET_PTRACER, PR_SET_PTRACER_ANY)):
        outcomes.append(f"prctl {name}: {libc.prctl(option, value, 0, 0, 0)}")
    print(outcomes)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
