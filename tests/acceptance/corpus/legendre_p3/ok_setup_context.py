# expect: ok
# The torch 2 style: forward without ctx, and setup_context to save what backward needs.
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x ** 2 - 1)
