"""torch, imported on first use.

The bank declares its forward functions in torch, but a warm reference cache
means the trusted process never evaluates them: importing torch would cost more
than the rest of a `nablagrade check` together. Bank modules therefore write
`from graders.torch_on_demand import torch` (with postponed annotations), and
torch is imported the first time one of its attributes is read.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class _TorchOnDemand(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # introspection (copy, pickle, inspect) must not import torch
            raise AttributeError(name)
        return getattr(importlib.import_module("torch"), name)


torch: Any = _TorchOnDemand("torch")


class AutogradFunction:
    """Base of the bank's instructor `torch.autograd.Function` classes (a solution and
    its mistakes): a plain class with static `forward(ctx, ...)` and `backward(ctx, ...)`,
    so that defining it does not import torch. `as_autograd_function` makes the real
    class when a reference needs one."""


_REAL: dict[type, Any] = {}


def as_autograd_function(cls: type) -> Any:
    """The `torch.autograd.Function` subclass with `cls`'s methods (`cls` itself when it
    already is one)."""
    function = importlib.import_module("torch").autograd.Function
    if isinstance(cls, type) and issubclass(cls, function):
        return cls
    if cls not in _REAL:
        body = {name: value for name, value in vars(cls).items() if name not in ("__dict__", "__weakref__")}
        _REAL[cls] = type(cls.__name__, (function,), body)
    return _REAL[cls]
