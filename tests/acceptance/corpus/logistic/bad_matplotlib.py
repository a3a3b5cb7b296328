# expect: forbidden_import
# Left the plotting import from the notebook; matplotlib is not on the allow-list.
import matplotlib.pyplot as plt
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = y * np.sum(w * x)
    return w - lam * y * np.exp(-np.logaddexp(0.0, u)) * x


if __name__ == "__main__":
    plt.plot([0, 1])
