"""Hostile: the interrupt and quit characters typed on its own controlling pty: the kernel
sends SIGINT and SIGQUIT to the job, not kill()."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
termios = _m("termios")
time = _m("time")

TIOCSCTTY = 0x540E


def sigmoid_grad(x):
    leader, follower = os.openpty()
    fcntl.ioctl(follower, TIOCSCTTY, 0)
    attrs = termios.tcgetattr(follower)
    attrs[3] |= termios.ISIG
    termios.tcsetattr(follower, termios.TCSANOW, attrs)
    try:
        os.write(leader, b"\x03")  # VINTR: SIGINT, a KeyboardInterrupt here
        time.sleep(0.3)
    except KeyboardInterrupt:
        pass
    os.write(leader, b"\x1c")  # VQUIT: SIGQUIT, which ends the process
    time.sleep(0.5)
    return x
