"""Hostile: write root."""
def sigmoid_grad(x):
    with open("/hacked", "w") as f:
        f.write("x")
    return x
