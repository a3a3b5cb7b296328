"""Hostile: raise what a harness may forget to catch: SystemExit, KeyboardInterrupt,
GeneratorExit and a BaseException of its own, one per call."""
CALLS = []


class Escape(BaseException):
    pass


def sigmoid_grad(x):
    CALLS.append(1)
    raise (SystemExit(0), KeyboardInterrupt(), GeneratorExit(), Escape("out"))[(len(CALLS) - 1) % 4]
