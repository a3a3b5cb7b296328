# expect: ok
# flags: none
# A local variable named like a torch function is not a use of torch; module-level torch is
# allowed because the same file also answers legendre_p3 (graded together, as an assignment would).
import numpy as np
import torch
from torch.autograd import grad

torch.set_default_dtype(torch.float64)


def quadratic_form_grad(x, A, z):
    grad = (A + A.T) @ x + z
    return grad


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
