# expect: forbidden_import
# flags: none
# message: line 11
# torch is loaded at module level (allowed: legendre_p3 needs it), but the numpy problem uses it
# while it is graded: refused, naming the line of the use.
import numpy as np
import torch


def quadratic_form_grad(x, A, z):
    t = torch.tensor(x, requires_grad=True)
    f = (t.T @ (torch.tensor(A) @ t + torch.tensor(z))).sum()
    f.backward()
    return t.grad.numpy()


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
