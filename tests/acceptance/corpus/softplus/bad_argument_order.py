# expect: exception
# Swapped the parameters: (beta, x); math.exp of an array raises.
import math


def softplus_grad(beta, x):
    return 1 / (1 + math.exp(-beta * x))
