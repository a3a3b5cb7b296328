"""Hostile: an exception whose __str__ and __repr__ raise, whose class name is 100 KB of terminal
escapes and whose __cause__ and __context__ form a cycle."""


class Nasty(Exception):
    def __str__(self):
        raise RuntimeError("str refused")

    def __repr__(self):
        raise RuntimeError("repr refused")


Nasty.__name__ = Nasty.__qualname__ = "\x1b[2J\x1b]0;owned\x07" * 5000


def sigmoid_grad(x):
    first, second = Nasty(), Nasty()
    first.__cause__, second.__cause__ = second, first
    first.__context__ = second
    raise first
