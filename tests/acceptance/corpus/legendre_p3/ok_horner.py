# expect: ok
# Horner form; P3'(x) = 7.5 x^2 - 1.5.
import torch
from torch.autograd import Function


class LegendrePolynomial3(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * (2.5 * x * x - 1.5)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return torch.mul(grad_output, 7.5 * x.pow(2) - 1.5)
