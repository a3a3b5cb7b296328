"""Hostile: import torch tricks."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
import numpy as np

sys = _m("sys")
importlib = _m("importlib")


def sigmoid_grad(x):
    attempts = []
    for how, get in [
        ("__import__", lambda: __import__("tor" + "ch")),
        ("__import__ with foreign globals", lambda: _m("tor" + "ch")),
        ("importlib", lambda: importlib.import_module("tor" + "ch")),
        ("sys.modules", lambda: sys.modules["tor" + "ch"]),
        ("sympy", lambda: _m("sym" + "py")),
    ]:
        try:
            get()
            attempts.append(f"{how}: GOT IT")
        except BaseException as exc:
            attempts.append(f"{how}: {type(exc).__name__}: {exc}")
    raise RuntimeError(" | ".join(attempts))
