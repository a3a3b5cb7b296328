# expect: ok
# flags: none
# The class built with type(): forward and backward as staticmethods in its namespace.
import torch


def _forward(ctx, x):
    ctx.save_for_backward(x)
    return 0.5 * (5 * x**3 - 3 * x)


def _backward(ctx, grad_output):
    (x,) = ctx.saved_tensors
    return grad_output * (7.5 * x**2 - 1.5)


LegendrePolynomial3 = type("LegendrePolynomial3", (torch.autograd.Function,),
                           {"forward": staticmethod(_forward), "backward": staticmethod(_backward)})
