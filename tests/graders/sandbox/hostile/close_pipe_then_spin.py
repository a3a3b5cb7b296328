"""Hostile: close the result pipe in the middle of a call, then go on computing forever.
The grader must stop it as an infinite loop, not wait for an exit that never comes and
then blame its own sandbox ("not your code's fault")."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.close(int(name))
        except OSError:
            pass
    while True:
        pass
