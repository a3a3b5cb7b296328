"""Hostile: an exception whose __str__ never returns: formatting it is the call's own time."""


class Endless(Exception):
    def __str__(self):
        while True:
            pass


def sigmoid_grad(x):
    raise Endless()
