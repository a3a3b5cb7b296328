"""A custom torch.autograd.Function for the Legendre polynomial P3 (course notes: the
PyTorch tutorial's LegendrePolynomial3). The only bank problem that may import torch."""

from __future__ import annotations

import numpy as np

from graders.harness import HarnessKind
from graders.problem import Derivative, Mistake, Problem, Returns, Trial, register
from graders.sampling import free_sizes
from graders.torch_on_demand import AutogradFunction, torch

STATEMENT = r"""
The Legendre polynomial of degree 3 is $P_3(x) = \tfrac{1}{2}\left(5x^3 - 3x\right)$.

Write a class `LegendrePolynomial3(torch.autograd.Function)` with two static methods:

- `forward(ctx, x)` returns $P_3(x)$ elementwise (save what `backward` needs with
  `ctx.save_for_backward`);
- `backward(ctx, grad_output)` returns the gradient of the loss with respect to `x`:
  `grad_output` times $P_3'(x)$, elementwise.

The grader applies it to a 1-D float64 tensor, compares the forward value and the gradient
that `backward` produces for a given `grad_output`, and runs `torch.autograd.gradcheck`.
You may import `torch` for this problem only; derive $P_3'$ by hand.
"""

SIZE = 5  # on the visible trial; the hidden ones use other sizes


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    (n,) = free_sizes(rng, trial, (SIZE,), range(3, 9))
    return {"x": rng.uniform(-1.2, 1.2, size=n), "grad_output": rng.standard_normal(n)}


def p3(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * (5.0 * x**3 - 3.0 * x)


def reference(inputs: dict, gradient) -> dict:
    """P3(x), and grad_output * P3'(x) as the gradient of sum(grad_output * P3(x))."""
    x = torch.tensor(inputs["x"], dtype=torch.float64)
    grad_output = torch.tensor(inputs["grad_output"], dtype=torch.float64)
    backward = gradient(lambda t: (grad_output * p3(t)).sum(), x)
    return {"forward": p3(x), "backward": backward}


class LegendrePolynomial3(AutogradFunction):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)


class GradOutputDropped(AutogradFunction):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 1.5 * (5 * x**2 - 1)


class DerivativeConstantWrong(AutogradFunction):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 3)


class OutputSavedInsteadOfInput(AutogradFunction):
    @staticmethod
    def forward(ctx, x):
        y = 0.5 * (5 * x**3 - 3 * x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * y**2 - 1)


PROBLEM = register(Problem(
    id="legendre_p3",
    title="A custom autograd Function: Legendre polynomial P3",
    statement=STATEMENT,
    function="LegendrePolynomial3",
    params=("x", "grad_output"),
    sample=sample,
    forward=p3,
    wrt=("x",),
    derivative=Derivative.CUSTOM,
    returns=Returns.DICT,
    allowed_imports=frozenset({"torch"}),
    solution=LegendrePolynomial3,
    reference=reference,
    harness=HarnessKind.TORCH_FUNCTION,
    sizes=lambda inputs: inputs["x"].shape,
    mistakes=(
        Mistake("grad_output_dropped", "backward must return grad_output * P3'(x): the incoming gradient "
                "grad_output is missing", GradOutputDropped),
        Mistake("derivative_constant_wrong", "P3'(x) = (15 x^2 - 3) / 2 = 1.5 (5 x^2 - 1)",
                DerivativeConstantWrong),
        Mistake("output_saved_instead_of_input", "P3' must be evaluated at the input x: save x (not P3(x)) "
                "with ctx.save_for_backward", OutputSavedInsteadOfInput),
    ),
))
