# expect: exception
import math


def sigmoid_grad(x):
    s = 1 / (1 + math.exp(-x))
    return s * (1 - s)
