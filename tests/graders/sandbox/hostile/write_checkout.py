"""Hostile: write checkout."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
CHECKOUT = "/work/main"


def sigmoid_grad(x):
    results = []
    for path in [CHECKOUT + "/graders/hacked.py", "/sandbox/app/graders/harness.py", "/sandbox/app/hacked.py"]:
        try:
            with open(path, "w") as f:
                f.write("x")
            results.append(f"{path}: WROTE")
        except OSError as exc:
            results.append(f"{path}: {type(exc).__name__}")
    raise RuntimeError(" | ".join(results))
