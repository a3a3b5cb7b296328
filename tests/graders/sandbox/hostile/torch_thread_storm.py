"""Hostile: a torch job that asks for 64 intra-op threads and spins them in background
threads while its autograd.Function still answers correctly."""
import numpy as np
import torch

_threading = eval("__import__('threading')", {})


def _spin():
    a = torch.rand(256, 256, dtype=torch.float64)
    while True:
        a = a @ a
        a = a / (a.abs().max() + 1.0)


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        for setter in (torch.set_num_threads, torch.set_num_interop_threads):
            try:
                setter(64)
            except RuntimeError:
                pass
        for _ in range(16):
            try:
                _threading.Thread(target=_spin, daemon=True).start()
            except RuntimeError:
                break
        ctx.save_for_backward(x)
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x ** 2 - 1)
