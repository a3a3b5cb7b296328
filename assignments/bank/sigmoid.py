import numpy as np
import torch

from graders.problem import Derivative, Problem, Trial, TrialKind, register
from graders.sampling import near_thousand

STATEMENT = r"""
The sigmoid is $\sigma(x) = \dfrac{1}{1 + e^{-x}}$, applied elementwise.

Write `sigmoid_grad(x)` that returns $\sigma'(x)$ elementwise, with the shape of `x`
(any shape). It must stay finite for inputs as large as $\pm 1000$.
"""


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    x = rng.uniform(-4.0, 4.0, size=(3, 4))
    if trial.kind is TrialKind.STABILITY:
        # Half the entries are huge: a naive exp(-x) overflows, a stable form does not.
        mask = rng.random((3, 4)) < 0.5
        x = np.where(mask, near_thousand(rng, (3, 4)), x)
    return {"x": x}


def forward(x: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(x)


def solution(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))  # stable for any x
    return s * (1.0 - s)


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
    solution=solution,
))
