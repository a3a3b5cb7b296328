"""Hostile: write usr."""
def sigmoid_grad(x):
    with open("/usr/lib/hacked", "w") as f:
        f.write("x")
    return x
