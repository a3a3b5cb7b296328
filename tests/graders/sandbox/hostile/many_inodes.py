"""Hostile: as many empty files as it can make in each call (inodes cost kernel memory and
the warm parent's time to remove; the scratch size limit counts bytes, not files)."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
time = _m("time")
np = _m("numpy")

CALLS = []


def sigmoid_grad(x):
    CALLS.append(1)
    os.makedirs(f"/tmp/f{len(CALLS)}", exist_ok=True)
    end = time.process_time() + 1.5
    made = 0
    while time.process_time() < end:
        for i in range(1000):
            os.close(os.open(f"/tmp/f{len(CALLS)}/{made + i}", os.O_CREAT | os.O_WRONLY))
        made += 1000
    print("made", made)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
