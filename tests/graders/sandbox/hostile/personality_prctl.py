"""Hostile: process-wide settings a warm parent could pass on: personality (no ASLR,
READ_IMPLIES_EXEC), THP off, machine-check policy, speculation control, timer slack, a new
seccomp filter with a listener; then a correct answer."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")
np = _m("numpy")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    outcomes = [libc.personality(0x0040000 | 0x0400000)]
    for option, value in ((41, 1), (33, 1), (53, 0), (29, 10**9), (48, 1)):
        # THP_DISABLE, MCE_KILL, SET_SPECULATION_CTRL, TIMERSLACK, SET_NO_NEW_PRIVS... best effort
        outcomes.append(libc.prctl(option, value, 0, 0, 0))
    print("outcomes", outcomes)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
