"""Gradient descent on a one-example linear regression (course notes, tutorial 1: converge,
oscillate or diverge depending on the learning rate)."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, register
from graders.sampling import free_sizes
from graders.torch_on_demand import torch

STATEMENT = r"""
A linear regression without intercept, $\hat y = x w$ with $x, w \in \mathbb{R}$, is trained on
the single example $x = 1$, $y = 100$ with the loss $L(w) = \tfrac{1}{2}(x w - y)^2$, by
gradient descent from $w_0 = 0$ with learning rate $\alpha$:
$$w_{t+1} = w_t - \alpha \frac{\partial L}{\partial w}(w_t).$$

Write `gd_iterates(alpha, steps)` (`alpha` a float, `steps` an int) that returns the iterates
$w_0, w_1, \dots, w_{\text{steps}}$ as a numpy array of shape `(steps + 1,)`.

Try $\alpha = 0.5, 1.5, 2.5$: for which $\alpha$ does it converge, oscillate, diverge?
"""

X, Y = 1.0, 100.0
# One learning rate per regime, by trial: converges, oscillates but converges, diverges.
REGIMES = ((0.2, 0.9), (1.1, 1.9), (2.5, 2.7))
STEPS = 6  # on the visible trial; the hidden ones use other numbers of steps
# The number of steps of every hidden trial. Long enough that the diverging one reaches
# |w| > 10^4 whatever it draws (|1 - alpha| >= 1.5, 12 steps or more): at alpha = 2.1 and 4
# steps it ended near 46, where an answer that clamps its iterates or stops early looked right.
# Not much longer: the references are validated by finite differences, whose error grows with
# |1 - alpha|^steps (2e-6 at 2.9 and 16 steps). The hidden trials of a set share the number
# (sampling.free_sizes), so an answer that keeps its iterates by `steps` fails the second.
HIDDEN_STEPS = range(12, 15)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    low, high = REGIMES[trial.index % len(REGIMES)]
    alpha = round(float(rng.uniform(low, high)), 2)
    (steps,) = free_sizes(rng, trial, (STEPS,), HIDDEN_STEPS)
    return {"alpha": alpha, "steps": steps}


def reference(inputs: dict, gradient) -> dict:
    """Run the descent with `gradient` (autograd, or finite differences to validate it)."""

    def loss(w: torch.Tensor) -> torch.Tensor:
        return 0.5 * (X * w - Y) ** 2

    w = torch.tensor(0.0, dtype=torch.float64)
    iterates = [w]
    for _ in range(inputs["steps"]):
        w = w - inputs["alpha"] * gradient(loss, w)
        iterates.append(w)
    return {"result": torch.stack(iterates)}


def solution(alpha, steps):
    x, y = 1.0, 100.0
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (x * w[t] - y) * x
    return w


def ascent(alpha, steps):
    x, y = 1.0, 100.0
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] + alpha * (x * w[t] - y) * x
    return w


def half_dropped(alpha, steps):
    x, y = 1.0, 100.0
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] - alpha * 2.0 * (x * w[t] - y) * x
    return w


def start_dropped(alpha, steps):
    x, y = 1.0, 100.0
    w, iterates = 0.0, []
    for _ in range(steps):
        w = w - alpha * (x * w - y) * x
        iterates.append(w)
    return np.array(iterates)


def one_step_too_many(alpha, steps):
    x, y = 1.0, 100.0
    w = np.zeros(steps + 2)
    for t in range(steps + 1):
        w[t + 1] = w[t] - alpha * (x * w[t] - y) * x
    return w[1:]


PROBLEM = register(Problem(
    id="gd_trajectory",
    title="Gradient descent: converge, oscillate or diverge",
    statement=STATEMENT,
    function="gd_iterates",
    params=("alpha", "steps"),
    sample=sample,
    forward=None,
    wrt=(),
    derivative=Derivative.CUSTOM,
    returns=Returns.ARRAY,
    reference=reference,
    solution=solution,
    sizes=lambda inputs: (inputs["steps"],),
    mistakes=(
        Mistake("ascent", "the update subtracts the gradient: w - alpha dL/dw (this adds it)", ascent),
        Mistake("half_dropped", "dL/dw = (x w - y) x: the 1/2 in L cancels the 2 from the square",
                half_dropped),
        Mistake("start_dropped", "the iterates start with w_0 = 0: return steps + 1 values", start_dropped,
                expect="wrong_shape"),
        Mistake("one_step_too_many", "it looks like w_1 ... w_(steps+1): the first iterate is w_0 = 0",
                one_step_too_many),
    ),
))
