"""Hostile: allocate 50gb."""
def sigmoid_grad(x):
    block = bytearray(50 * 1024**3)
    return block
