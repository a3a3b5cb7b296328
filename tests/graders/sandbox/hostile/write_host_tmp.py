"""Hostile: write host tmp."""
def sigmoid_grad(x):
    with open("/tmp/nablagrade-host-tmp-marker", "w") as f:
        f.write("x")
    s = 1 / (1 + __import__("numpy").exp(-x))
    return s * (1 - s)
