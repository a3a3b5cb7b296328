# expect: ok
# A Function subclass of the student's own polynomial base class, coefficients as data.
import torch


class Polynomial(torch.autograd.Function):
    """A base for polynomial functions: subclasses give the coefficients."""

    coefficients: tuple[float, ...] = ()

    @classmethod
    def value(cls, x):
        return sum(c * x**k for k, c in enumerate(cls.coefficients))

    @classmethod
    def slope(cls, x):
        return sum(k * c * x ** (k - 1) for k, c in enumerate(cls.coefficients) if k)


class LegendrePolynomial3(Polynomial):
    coefficients = (0.0, -1.5, 0.0, 2.5)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return LegendrePolynomial3.value(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * LegendrePolynomial3.slope(x)
