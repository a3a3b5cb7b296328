# expect: ok
# forward and backward compute in numpy and wrap the results back into tensors.
import numpy as np
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        v = x.detach().numpy()
        return torch.from_numpy(0.5 * (5 * v ** 3 - 3 * v))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        v = x.detach().numpy()
        return grad_output * torch.from_numpy(1.5 * (5 * v ** 2 - 1))
