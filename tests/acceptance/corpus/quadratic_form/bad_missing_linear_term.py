# expect: wrong_value
# message: is missing
# The gradient of x^T z is forgotten.
import numpy as np
def quadratic_form_grad(x, A, z):
    return (A + A.T) @ x
