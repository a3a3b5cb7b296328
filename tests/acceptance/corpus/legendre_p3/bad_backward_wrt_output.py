# expect: wrong_value
# backward returns P3'(x) times P3(x) (chain rule applied to the output twice).
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = 0.5 * (5 * x ** 3 - 3 * x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x ** 2 - 1) * y
