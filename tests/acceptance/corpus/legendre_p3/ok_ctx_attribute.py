# expect: ok
# Keeps x on ctx as an attribute instead of save_for_backward (works for a leaf input).
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.x = x.detach().clone()
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        x = ctx.x
        return grad_output * (7.5 * x * x - 1.5)
