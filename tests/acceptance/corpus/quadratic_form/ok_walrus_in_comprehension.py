# expect: ok
# flags: none
# A walrus in a comprehension binds grad in the function: not torch.autograd.grad.
import numpy as np
import torch
from torch.autograd import grad


def quadratic_form_grad(x, A, z):
    rows = [(grad := (A[i] + A[:, i]) @ x[:, 0] + z[i, 0]) for i in range(len(x))]  # binds grad in this function
    print("last entry", grad)
    return np.array(rows).reshape(-1, 1)


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)

