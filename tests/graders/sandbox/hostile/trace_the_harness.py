"""Hostile: a trace function (sys.settrace, threading.settrace, sys.setprofile) that rewrites
the harness's own frame locals as it runs: the value it is about to send, the key of the call,
whether the call is hidden."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
sys = _m("sys")
ctypes = _m("ctypes")
np = _m("numpy")

SEEN = []


def _tracer(frame, event, arg):
    code = frame.f_code
    if code.co_name in ("run_job", "_emit", "encode_value", "_failure") and event in ("call", "line", "return"):
        local = frame.f_locals
        changed = False
        if "value" in local and isinstance(local["value"], np.ndarray):
            local["value"] = np.full((10**6,), 1e308)
            changed = True
        if "header" in local and isinstance(local["header"], dict) and local["header"].get("event") == "result":
            local["header"] = dict(local["header"], key="not-a-key", status="ok")
            changed = True
        if changed:
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
            SEEN.append(code.co_name)
    return _tracer


sys.settrace(_tracer)
sys.setprofile(lambda frame, event, arg: None)
_m("threading").settrace(_tracer)


def sigmoid_grad(x):
    sys.settrace(_tracer)
    sys._getframe(1).f_trace = _tracer
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
