"""Hostile: open 10000 files."""
def sigmoid_grad(x):
    handles = [open("/dev/null") for _ in range(10_000)]
    return x + len(handles)
