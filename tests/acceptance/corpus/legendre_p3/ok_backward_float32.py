# expect: ok
# backward computed in float32 and cast back: round-off near 1e-7, within the tolerance and gradcheck's.
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        x32 = x.float()
        return (grad_output.float() * 1.5 * (5 * x32 ** 2 - 1)).double()
