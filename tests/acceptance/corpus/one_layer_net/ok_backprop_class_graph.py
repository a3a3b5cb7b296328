# expect: ok
# A small layer-by-layer backprop, each layer a class with forward and backward.
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return self.W @ x + self.b

    def backward(self, upstream):
        self.dW = upstream @ self.x.T
        self.db = upstream.copy()
        return self.W.T @ upstream


class ReLU:
    def forward(self, z):
        self.mask = z > 0
        return np.where(self.mask, z, 0.0)

    def backward(self, upstream):
        return upstream * self.mask


class SoftmaxCrossEntropy:
    def forward(self, theta, y):
        shifted = theta - np.max(theta)
        self.p = np.exp(shifted) / np.sum(np.exp(shifted))
        self.y = y
        return -float(np.sum(y * (shifted - np.log(np.sum(np.exp(shifted))))))

    def backward(self):
        return self.p - self.y


def one_layer_net_grads(x, y, W, b1, U, b2):
    first, relu, second, loss = Linear(W, b1), ReLU(), Linear(U, b2), SoftmaxCrossEntropy()
    loss.forward(second.forward(relu.forward(first.forward(x))), y)
    dx = first.backward(relu.backward(second.backward(loss.backward())))
    return {"W": first.dW, "b1": first.db, "U": second.dW, "b2": second.db, "x": dx}
