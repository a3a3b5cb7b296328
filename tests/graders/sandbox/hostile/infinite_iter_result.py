"""Hostile: a list whose __len__ says 0 and whose __iter__ never ends, returned as the answer."""


class Bottomless(list):
    def __len__(self):
        return 0

    def __iter__(self):
        while True:
            yield 0.0


def sigmoid_grad(x):
    return Bottomless()
