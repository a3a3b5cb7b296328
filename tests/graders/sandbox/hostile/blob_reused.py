"""Hostile: a forged result whose every item names the same array blob. The stream stays
under the 8 MiB cap, but a trusted side that rebuilt each reference as an array of its own
would hold hundreds of copies (100 000 references to a 5 MiB blob: half a terabyte). Here
400 references to 1 MiB, so that a regression fails the test rather than the machine."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
sys = _m("sys")
np = _m("numpy")

wire = sys.modules["graders.wire"]


def _forged(value, blobs, *args, **kwargs):
    blobs.append(wire.array_to_npy(np.zeros(131_072)))
    return {"t": "list", "items": [{"t": "array", "blob": 0}] * 400}


wire.encode_value = _forged


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)
