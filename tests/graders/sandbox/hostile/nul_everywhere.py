"""Hostile: NUL bytes and C1 controls in every text field the document carries (what it
prints, its exception message and class name), which a strict consumer (PostgreSQL jsonb,
a terminal) refuses or acts on."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
sys = _m("sys")

print("a\x00b\x9b2J\x85c\u2028d\u202ee\ufeff")
sys.stdout.write("\x00" * 1000)


class Boom(Exception):
    pass


Boom.__qualname__ = "Bo\x00om\x9b"
Boom.__module__ = "mo\x00d"


def sigmoid_grad(x):
    raise Boom("\x00\x00 nul \x1b]0;title\x07 \x9d8;;http://x\x9c")
