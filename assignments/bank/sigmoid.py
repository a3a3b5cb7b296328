from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, TrialKind, register
from graders.sampling import any_shape, huge_entries_of_both_signs
from graders.torch_on_demand import torch

STATEMENT = r"""
The sigmoid is $\sigma(x) = \dfrac{1}{1 + e^{-x}}$, applied elementwise.

Write `sigmoid_grad(x)` that returns $\sigma'(x)$ elementwise, with the shape of `x`
(any shape). It must stay finite for inputs as large as $\pm 1000$.
"""


SHAPE = (3, 4)  # on the visible trials; the hidden ones use other, distinct sizes, as a vector or with a third axis


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    x = rng.uniform(-4.0, 4.0, size=any_shape(rng, trial, SHAPE, range(2, 8)))
    if trial.kind is TrialKind.STABILITY:
        # Half the entries are huge: a naive exp(-x) overflows, a stable form does not.
        x = huge_entries_of_both_signs(rng, x)
    return {"x": x}


def forward(x: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(x)


def solution(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))  # stable for any x
    return s * (1.0 - s)


def naive_overflow(x):
    e = np.exp(-x)
    return e / (1.0 + e) ** 2  # inf / inf = nan for large negative x


def sigmoid_itself(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def plus_instead_of_minus(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 + s)


def square_dropped(x):
    e = np.exp(-x)
    return e / (1.0 + e)


PROBLEM = register(Problem(
    id="sigmoid",
    title="Derivative of the sigmoid",
    statement=STATEMENT,
    function="sigmoid_grad",
    params=("x",),
    sample=sample,
    forward=forward,
    wrt=("x",),
    derivative=Derivative.ELEMENTWISE,
    stability=True,
    stability_cases=("inputs near +1000 and -1000",),
    solution=solution,
    sizes=lambda inputs: inputs["x"].shape,
    mistakes=(
        Mistake("naive_overflow", "e^(-x) / (1 + e^(-x))^2 is inf / inf for large negative x; "
                "write it as s (1 - s) with a stable s", naive_overflow, expect="not_finite"),
        Mistake("sigmoid_itself", "it looks like sigma(x) itself, not its derivative", sigmoid_itself),
        Mistake("plus_instead_of_minus", "it looks like s (1 + s): the derivative is s (1 - s)", plus_instead_of_minus),
        Mistake("square_dropped", "it looks like e^(-x) / (1 + e^(-x)): the denominator should be squared",
                square_dropped),
    ),
))
