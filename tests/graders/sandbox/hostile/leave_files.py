"""Hostile: leave files."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
sys = _m("sys")


def sigmoid_grad(x):
    with open("/tmp/left_for_next", "w") as f:
        f.write("boo")
    if not os.path.exists("/tmp/dir"):  # an earlier trial of this same job made it
        os.makedirs("/tmp/dir/sub")
        with open("/tmp/dir/sub/file", "w") as f:
            f.write("boo")
        os.chmod("/tmp/dir/sub", 0)
        os.chmod("/tmp/dir", 0)
        os.symlink("/etc/passwd", "/tmp/link")
    os.environ["LEFTOVER"] = "1"
    sys.modules["leftover"] = sys
    try:
        with open("/dev/shm/left", "w") as f:
            f.write("boo")
    except OSError:
        pass
    s = 1 / (1 + __import__("numpy").exp(-x))
    return s * (1 - s)
