# expect: ok
# Plots its answer when run as a script; the import sits in the main block, which grading never runs.
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)


if __name__ == "__main__":
    import matplotlib.pyplot as plt

    xs = np.linspace(-6, 6, 200)
    plt.plot(xs, sigmoid_grad(xs))
    plt.show()
