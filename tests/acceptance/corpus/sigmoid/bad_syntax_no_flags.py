# expect: syntax_error
# flags: none
# message: line 8
# Graded without --problem: still a syntax error, not "defines none of the bank's functions".
import numpy as np

def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x)
    return s * (1 - s)
