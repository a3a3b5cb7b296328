# expect: ok
# Module-level torch, as the course notes do.
import torch

torch.set_default_dtype(torch.float64)
THREE_HALVES = torch.tensor(1.5)


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * THREE_HALVES * (5 * input ** 2 - 1)
