"""Hostile: many threads."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
threading = _m("threading")
time = _m("time")


def sigmoid_grad(x):
    threads = []
    for _ in range(200):
        t = threading.Thread(target=time.sleep, args=(5,))
        t.start()
        threads.append(t)
    return x
