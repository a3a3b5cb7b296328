# expect: ok
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for the annotations only: never imported when the file runs
    from numpy.typing import NDArray
    import torch


def sigmoid_grad(x: NDArray[np.float64] | torch.Tensor) -> NDArray[np.float64]:
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
