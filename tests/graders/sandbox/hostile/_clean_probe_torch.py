"""A correct LegendrePolynomial3 that refuses to pass if an earlier torch job left anything behind."""
import torch

_os = eval("__import__('os')", {})
_GRAD_AT_LOAD = torch.is_grad_enabled()  # inside forward, autograd is off by design


def _leftovers():
    found = []
    if torch.get_default_dtype() != torch.float32:
        found.append(f"the default dtype is {torch.get_default_dtype()}")
    if not _GRAD_AT_LOAD:
        found.append("autograd is off")
    if getattr(torch, "LEFTOVER", None) is not None:
        found.append("a torch attribute survived")
    if _os.listdir("/tmp"):
        found.append(f"files in /tmp: {_os.listdir('/tmp')}")
    if found:
        raise RuntimeError("; ".join(found))


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        _leftovers()
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
