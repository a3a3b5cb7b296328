# expect: wrong_value
# backward keeps P3'(x) by the shape of x: the next input of that shape gets the old slope.
import torch

_SLOPES = {}


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        key = tuple(x.shape)
        if key not in _SLOPES:
            _SLOPES[key] = 7.5 * x ** 2 - 1.5
        return grad_output * _SLOPES[key]
