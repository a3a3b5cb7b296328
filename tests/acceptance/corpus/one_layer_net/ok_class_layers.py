# expect: ok
# Layers as small classes with forward/backward, float32 nowhere, np.dot everywhere.
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(self.W, x) + self.b

    def backward(self, g):
        return np.dot(g, self.x.T), g, np.dot(self.W.T, g)


class ReLU:
    def forward(self, z):
        self.mask = z > 0
        return z * self.mask

    def backward(self, g):
        return g * self.mask


def one_layer_net_grads(x, y, W, b1, U, b2):
    first, relu, second = Linear(W, b1), ReLU(), Linear(U, b2)
    theta = second.forward(relu.forward(first.forward(x)))
    shifted = theta - np.max(theta)
    p = np.exp(shifted) / np.sum(np.exp(shifted))
    dU, db2, dh = second.backward(p - y)
    dW, db1, dx = first.backward(relu.backward(dh))
    return {"W": dW, "b1": db1, "U": dU, "b2": db2, "x": dx}
