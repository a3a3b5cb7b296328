"""Reference derivatives: PyTorch autograd in float64 on the problem's forward.

Nothing here is written per problem: the problem's declaration (forward, wrt,
derivative kind) is enough to produce every reference the checks compare with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from graders.problem import Derivative, Inputs, Problem
from graders.torch_on_demand import as_autograd_function

torch.set_default_dtype(torch.float64)
# References are small; intra-op threads only fight the other worker processes
# (measured: FD validation of a 784x128 net took 4x longer with the default pool).
torch.set_num_threads(1)


class InvalidReference(RuntimeError):
    """The reference itself is wrong or unstable: our bug, never the student's."""


def as_tensors(problem: Problem, inputs: Inputs, track: bool = True) -> dict[str, Any]:
    """float64 tensors for arrays and floats; ints (counts, sizes) stay ints."""
    tensors: dict[str, Any] = {}
    for name, value in inputs.items():
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            tensors[name] = int(value)
            continue
        tensor = torch.tensor(np.asarray(value, dtype=np.float64), dtype=torch.float64)
        if track and name in problem.wrt:
            tensor.requires_grad_(True)
        tensors[name] = tensor
    return tensors


def call_forward(problem: Problem, tensors: dict[str, Any]) -> torch.Tensor:
    return problem.forward(*(tensors[name] for name in problem.params))


def autograd_gradient(f: Callable[[torch.Tensor], torch.Tensor], at: torch.Tensor) -> torch.Tensor:
    """d f / d at for a scalar f, by autograd: what CUSTOM references differentiate with."""
    point = at.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(point), point)
    return grad.detach()


def torch_function_outputs(function: Any, x: np.ndarray, grad_output: np.ndarray) -> dict[str, np.ndarray]:
    """What the torch_function harness reads from an autograd.Function class (trusted
    instructor code only): forward(x), and the gradient backward gives for grad_output."""
    point = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = as_autograd_function(function).apply(point)
    (gx,) = torch.autograd.grad(y, point, torch.tensor(grad_output, dtype=torch.float64))
    return {"forward": y.detach().numpy(), "backward": gx.numpy()}


def reference_outputs(problem: Problem, inputs: Inputs) -> dict[str, np.ndarray]:
    """The correct answer for one trial, keyed by output name, in float64."""
    if problem.derivative is Derivative.CUSTOM:
        outputs = problem.reference(inputs, autograd_gradient)
        return {name: _numpy(value) for name, value in outputs.items()}
    tensors = as_tensors(problem, inputs)
    variables = [tensors[name] for name in problem.wrt]
    out = call_forward(problem, tensors)
    if problem.derivative is Derivative.GRADIENT:
        if out.numel() != 1:
            raise InvalidReference(f"{problem.id}: forward must return a scalar for a gradient")
        grads = torch.autograd.grad(out.sum(), variables)
    elif problem.derivative is Derivative.ELEMENTWISE:
        grads = torch.autograd.grad(out.sum(), variables)
    else:  # JACOBIAN, denominator layout: J[i, j] = d y_j / d x_i
        (variable,) = variables
        rows = []
        flat = out.reshape(-1)
        for j in range(flat.numel()):
            (row,) = torch.autograd.grad(flat[j], variable, retain_graph=True)
            rows.append(row.reshape(-1))
        grads = (torch.stack(rows, dim=1),)
    return {name: _numpy(g) for name, g in zip(problem.wrt, grads, strict=True)}


def plain_tensors(inputs: Inputs) -> dict[str, Any]:
    """Inputs as tensors sharing the arrays' memory: for evaluations without a graph."""
    return {name: int(value) if isinstance(value, (int, np.integer)) and not isinstance(value, bool)
            else torch.from_numpy(np.asarray(value, dtype=np.float64)) for name, value in inputs.items()}


def forward_value(problem: Problem, tensors: dict[str, Any]) -> np.ndarray:
    """The forward output (no graph) for plain tensors, flattened to a vector."""
    with torch.no_grad():
        out = call_forward(problem, tensors)
    return out.detach().numpy().reshape(-1).astype(np.float64)


def _numpy(value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    array = np.array(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise InvalidReference("the reference is not finite at this point")
    return array
