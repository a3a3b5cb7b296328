"""Hostile: read files."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
PATHS = ["/work/main/instance/config.py", "/work/main/instance/nablagrade.db"]  # the tests plant their own
OTHERS = ["/etc/passwd", "/etc/shadow", "/root/.bash_history", "/home", "/work/main/.git/config",
          "/var/lib/postgresql", "/run/redis.pid", "/proc/1/root/etc/passwd"]


def sigmoid_grad(x):
    seen = []
    for path in PATHS + OTHERS:
        try:
            with open(path, "rb") as f:
                seen.append(f"{path}: READ {f.read(200)!r}")
        except OSError as exc:
            seen.append(f"{path}: {type(exc).__name__}")
    raise RuntimeError(" | ".join(seen))
