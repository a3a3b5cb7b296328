"""Hostile: print half a line of bytes straight to fd 1 and 2 and then os._exit in the middle of a
call, with a half-written frame on the result pipe."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    print("partial output \x1b[31m", end="")
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.write(int(name), b"\x00\x10\x00\x00{\"event\": \"res")
        except OSError:
            pass
    os._exit(3)
