"""Hostile: close every fd it has (the result pipe included) and dup2 /dev/null over the rest,
then return: the grader must report a crash, not wait."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    for name in os.listdir("/proc/self/fd"):
        try:
            os.close(int(name))
        except OSError:
            pass
    return x
