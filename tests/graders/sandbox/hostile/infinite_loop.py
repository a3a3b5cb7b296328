"""Hostile: infinite loop."""
def sigmoid_grad(x):
    while True:
        pass
