"""Hostile: syntax error."""
def sigmoid_grad(x)
    return x
