# expect: forbidden_import
# scipy is not on the allow-list (numpy, math and pure standard-library modules).
from scipy.special import expit


def sigmoid_grad(x):
    s = expit(x)
    return s * (1 - s)
