# expect: ok
# flags: none
# torch is imported only inside a helper that the main block calls, to compare the answer
# with autograd while working on it: grading never calls the helper, so nothing uses torch.
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)


def _check_against_autograd():
    import torch

    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    assert np.allclose(x.grad.numpy(), sigmoid_grad(x.detach().numpy()))
    print("matches autograd")


if __name__ == "__main__":
    _check_against_autograd()
