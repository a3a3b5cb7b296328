# expect: ok
# Checks ctx.needs_input_grad and uses torch ops by name.
import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.mul(torch.sub(torch.mul(torch.pow(x, 3), 5), torch.mul(x, 3)), 0.5)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        if not ctx.needs_input_grad[0]:
            return None
        return grad_output.mul(x.pow(2).mul(7.5).sub(1.5))
