"""Hostile: list filesystem."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    seen = []
    for root in ["/", "/sandbox", "/sandbox/app", "/sandbox/site", "/proc", "/dev", "/tmp", "/usr", "/etc"]:
        try:
            seen.append(f"{root}: {sorted(os.listdir(root))}")
        except OSError as exc:
            seen.append(f"{root}: {type(exc).__name__}")
    raise RuntimeError(" | ".join(seen)[:4000])
