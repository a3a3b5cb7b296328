"""Hostile: print 1gb."""
def sigmoid_grad(x):
    line = "x" * 1023
    for _ in range(1024 * 1024):
        print(line)
    return x
