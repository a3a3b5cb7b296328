# expect: ok
# Subclasses Function imported by name, saves a clone, scales grad_output in place.
from torch.autograd import Function


class LegendrePolynomial3(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input.clone())
        return (5 * input.pow(3) - 3 * input) / 2

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input.mul_((15 * input.pow(2) - 3) / 2)
        return grad_input
