# expect: wrong_value
# message: forward returns float32, too coarse for gradcheck's finite differences
# forward computed in float32: its values pass, but gradcheck cannot check it, and says why.
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        x32 = x.float()
        return 0.5 * (5 * x32 ** 3 - 3 * x32)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output.double() * 1.5 * (5 * x ** 2 - 1)
