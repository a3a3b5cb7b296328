"""Hostile: huge exception."""
def sigmoid_grad(x):
    raise ValueError("E" * (10 * 1024 * 1024))
