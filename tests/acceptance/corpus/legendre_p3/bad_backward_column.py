# expect: exception
# backward returns a column for a 1-D x: torch itself refuses the gradient's shape.
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return (grad_output * 1.5 * (5 * x**2 - 1)).reshape(-1, 1)  # a column: x is 1-D
