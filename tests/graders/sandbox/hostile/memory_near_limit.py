"""Hostile: fills memory up to the child's limit, 16 MiB at a time and touched, so it is really
used, then returns the right answer: it passes if it gets there within its CPU time (touching a
GiB takes about 2 s on a loaded machine), else it is a timeout or memory; the next job has its
whole memory."""
import numpy as np

HELD = []


def sigmoid_grad(x):
    try:
        while True:
            block = np.ones(16 << 20, dtype=np.uint8)  # 16 MiB at a time, touched
            HELD.append(block)
    except MemoryError:
        pass
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
