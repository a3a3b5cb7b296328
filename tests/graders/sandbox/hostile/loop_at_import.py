"""Hostile: loop at import."""
while True:
    pass


def sigmoid_grad(x):
    return x
