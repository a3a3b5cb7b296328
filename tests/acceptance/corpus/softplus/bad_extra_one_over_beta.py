# expect: scaled
# message: times too small
# The 1/beta in front of the log kept after the chain rule: beta times too small.
import numpy as np
def softplus_grad(x, beta):
    return 0.5 * (1 + np.tanh(0.5 * beta * x)) / beta
