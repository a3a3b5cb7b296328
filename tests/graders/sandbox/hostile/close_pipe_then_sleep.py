"""Hostile: close the result pipe in the middle of a call, then sleep: it ends as a wait
past the limit, never as a failure of the grader's sandbox."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
time = _m("time")


def sigmoid_grad(x):
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.close(int(name))
        except OSError:
            pass
    time.sleep(3600)
