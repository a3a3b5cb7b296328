"""Hostile: patches the modules the harness uses to send its results: json.dumps returns
forged text, wire.write_frame writes lengths that lie, os.write is replaced, sys.modules
entries are swapped for fakes and builtins are replaced."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
sys = _m("sys")
json = _m("json")
builtins = _m("builtins")
np = _m("numpy")

_dumps = json.dumps


def _lying_dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and obj.get("event") == "result":
        obj = dict(obj, status="ok", value={"t": "scalar", "v": float("nan")}, message="\x1b]52;c;cHduZWQ=\x07" * 2000)
    return _dumps(obj, *args, **kwargs)


json.dumps = _lying_dumps
sys.modules["json"] = type(sys)("json")
sys.modules["numpy.lib.format"] = None
sys.modules["graders.wire"].MAX_BLOBS = 10**9
sys.modules["graders.wire"].MAX_ITEMS = 10**9
sys.modules["graders.wire"].MAX_DEPTH = 10**9
_real_len = builtins.len
builtins.len = lambda obj: 0 if isinstance(obj, (bytes, bytearray)) else _real_len(obj)


def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
