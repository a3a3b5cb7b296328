# expect: exception
# message: must return a torch tensor
# forward hands back a numpy array: told so, not autograd's "Expected output to be a torch.Tensor".
import numpy as np
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        v = x.detach().numpy()
        return 0.5 * (5 * v**3 - 3 * v)  # a numpy array, not a tensor

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)
