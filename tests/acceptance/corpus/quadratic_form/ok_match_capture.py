# expect: ok
# flags: none
# A match capture pattern binds grad locally: not torch.autograd.grad.
import numpy as np
import torch
from torch.autograd import grad


def quadratic_form_grad(x, A, z):
    match x.shape:
        case (n, 1):
            grad = (A + A.T) @ x + z
        case _:
            raise ValueError("x must be a column")
    return grad


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)

