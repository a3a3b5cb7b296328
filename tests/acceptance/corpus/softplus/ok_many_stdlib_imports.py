# expect: ok
# A file that imports the standard-library helpers students reach for (none computes the derivative).
from __future__ import annotations

import abc
import logging
import copy
import dataclasses
import functools
import itertools
import numbers
import operator
import random
import statistics
import time
import typing
import warnings
from typing import Callable

import numpy as np
import numpy.typing as npt

warnings.filterwarnings("ignore", category=RuntimeWarning)
log = None


@dataclasses.dataclass(frozen=True)
class Softplus:
    beta: float

    def grad(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        t = self.beta * x
        return np.where(t >= 0, 1 / (1 + np.exp(-np.abs(t))), np.exp(-np.abs(t)) / (1 + np.exp(-np.abs(t))))


def softplus_grad(x, beta: float):
    f: Callable = Softplus(beta).grad
    return copy.deepcopy(f(x))
