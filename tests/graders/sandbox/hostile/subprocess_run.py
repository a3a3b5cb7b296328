"""Hostile: subprocess run."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
subprocess = _m("subprocess")


def sigmoid_grad(x):
    subprocess.run(["id"], check=False)
    return x
