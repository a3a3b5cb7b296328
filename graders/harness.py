"""The untrusted side: runs one job (a submission's source and a list of calls)
and streams results back as wire messages.

Everything here runs in a child process that the runner treats as hostile.
It must not import torch (only a torch-allowing job loads it) and it never
sees a reference answer.
"""

from __future__ import annotations

import builtins
import enum
import errno
import importlib
import io
import json
import linecache
import os
import random
import sys
import traceback
import types
from typing import Any, BinaryIO

import numpy as np

from graders import wire

FILENAME = "submission.py"
MODULE_NAME = "submission"
STDOUT_CAP = 64 * 1024
ERROR_CAP = 4 * 1024


class HarnessKind(enum.StrEnum):
    """How the harness calls what the student defined."""

    CALL = "call"  # a function, called with the trial's arguments
    TORCH_FUNCTION = "torch_function"  # a torch.autograd.Function class: forward, backward and gradcheck


class ForbiddenImportError(ImportError):
    """Raised inside the child when student code imports what the policy forbids."""


class OutputLimitExceeded(Exception):
    pass


class CappedWriter(io.TextIOBase):
    """stdout/stderr for student code: keeps the first STDOUT_CAP characters."""

    def __init__(self, cap: int = STDOUT_CAP) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.cap = cap
        self.overflowed = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.cap - self.size
        if len(text) > room:
            self.parts.append(text[: max(room, 0)])
            self.size = self.cap
            self.overflowed = True
            raise OutputLimitExceeded(f"printed more than {self.cap // 1024} KiB")
        self.parts.append(text)
        self.size += len(text)
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------- import guard


class CallState:
    """Whether a student call is running: module-level code may *mention* a module
    another problem allows (a class statement on torch.autograd.Function), but a
    call for a problem that forbids it may not touch it."""

    calling = False


def _poison_module(name: str) -> types.ModuleType:
    """A stand-in for a module another problem of the file may use: importing it at
    module level works (so a shared file still loads); touching it during a call
    raises ForbiddenImportError."""

    class PoisonMeta(type):
        def __getattr__(cls, attr: str) -> Any:
            if attr.startswith("__"):
                raise AttributeError(attr)
            if CallState.calling:
                raise ForbiddenImportError(name)
            return cls

        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            raise ForbiddenImportError(name)

    poison = PoisonMeta(f"forbidden_{name}", (), {})

    class PoisonModule(types.ModuleType):
        def __getattr__(self, attr: str) -> Any:
            if attr.startswith("__"):
                raise AttributeError(attr)
            if CallState.calling:
                raise ForbiddenImportError(name)
            return poison

    return PoisonModule(name)


def install_import_guard(namespace: dict, allowed: set[str], poison: set[str]) -> None:
    """Refuse, at run time, imports made by the submission that the policy forbids.

    An import is the submission's when the frame asking for it runs in the
    submission's globals (import statements and direct __import__ calls alike).
    """
    original_import = builtins.__import__
    original_import_module = importlib.import_module
    poisoned = {name: _poison_module(name) for name in poison}

    def check(name: str, level: int) -> types.ModuleType | None:
        top = name.split(".")[0]
        if level:
            raise ForbiddenImportError("." * level + name)
        if top in poisoned and not CallState.calling:
            return poisoned[top]
        if top not in allowed:
            raise ForbiddenImportError(top)
        return None

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
        if sys._getframe(1).f_globals is namespace:
            stand_in = check(name, level)
            if stand_in is not None:
                return stand_in
        return original_import(name, globals, locals, fromlist, level)

    def guarded_import_module(name, package=None):
        if sys._getframe(1).f_globals is namespace:
            stand_in = check(name, 1 if name.startswith(".") else 0)
            if stand_in is not None:
                return stand_in
        return original_import_module(name, package)

    builtins.__import__ = guarded_import
    importlib.import_module = guarded_import_module


# ---------------------------------------------------------------- errors


def student_traceback(exc: BaseException) -> str:
    """The exception with only the student's own frames: our harness is noise to them."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
    lines = []
    if frames:
        lines.append("Traceback (your code):\n")
        lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    text = "".join(lines)
    if len(text) > ERROR_CAP:
        text = text[: ERROR_CAP - 40] + "\n... (error text truncated at 4 KiB)\n"
    return text


def _forbidden_name(exc: BaseException) -> str | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ForbiddenImportError):
            return str(exc.args[0]) if exc.args else "?"
        exc = exc.__cause__ or exc.__context__
    return None


_REFUSED_BY_SANDBOX = {errno.EROFS, errno.EPERM, errno.EACCES}
_FILE_LIMITS = {errno.EFBIG, errno.ENOSPC, errno.EDQUOT}  # the scratch space is small on purpose


def _failure(exc: BaseException, writer: CappedWriter) -> dict[str, Any]:
    forbidden = _forbidden_name(exc)
    if forbidden is not None:
        return {"status": "forbidden_import", "module": forbidden}
    if isinstance(exc, OutputLimitExceeded) or writer.overflowed:
        return {"status": "output_limit", "message": str(exc)[:200]}
    if isinstance(exc, MemoryError):
        return {"status": "memory_limit", "message": "MemoryError"}
    if isinstance(exc, OSError) and exc.errno in _FILE_LIMITS:
        return {"status": "output_limit", "message": f"{type(exc).__name__}: {exc}"[:300]}
    if isinstance(exc, OSError) and exc.errno in _REFUSED_BY_SANDBOX:
        # A read-only filesystem or a denied permission: the sandbox said no.
        return {"status": "forbidden_operation", "message": f"{type(exc).__name__}: {exc}"[:300]}
    return {"status": "exception", "message": student_traceback(exc)}


# ---------------------------------------------------------------- calls


def _decode_args(encoded: list, blobs: list[bytes]) -> list[Any]:
    args = []
    for _name, item in encoded:
        if item["t"] == "array":
            args.append(wire.npy_to_array(blobs[item["blob"]]))  # a fresh copy per call
        elif item["t"] == "int":
            args.append(int(item["v"]))
        else:
            args.append(float(item["v"]))
    return args


def _call_torch_function(cls: Any, args: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    import torch  # only jobs whose problem allows torch get here

    if not (isinstance(cls, type) and issubclass(cls, torch.autograd.Function)):
        raise TypeError("LegendrePolynomial3 must be a subclass of torch.autograd.Function")
    x_array, grad_output = args
    x = torch.tensor(x_array, dtype=torch.float64, requires_grad=True)
    y = cls.apply(x)
    (gx,) = torch.autograd.grad(y, x, torch.tensor(grad_output, dtype=torch.float64))
    check_point = torch.tensor(x_array, dtype=torch.float64, requires_grad=True)
    try:
        passed = bool(torch.autograd.gradcheck(cls.apply, (check_point,), eps=1e-6, atol=1e-5, rtol=1e-3))
        gradcheck = {"passed": passed, "message": ""}
    except Exception as exc:  # GradcheckError carries the Jacobians: keep its first lines
        gradcheck = {"passed": False, "message": "".join(traceback.format_exception_only(type(exc), exc))[:1500]}
    return {"forward": y, "backward": gx}, {"gradcheck": gradcheck}


def _emit(out: BinaryIO, header: dict[str, Any], blobs: list[bytes] = (), *, flush: bool = False) -> None:
    """Queue one wire message (the layout of wire.write_message). Flushing only
    before student code runs and at the end wakes the runner half as often,
    yet it still learns each call's start in time: a deadline runs from "begin",
    and a call's result travels with the next "begin" or with "done"."""
    wire.write_frame(out, json.dumps(dict(header, blobs=len(blobs))).encode())
    for blob in blobs:
        wire.write_frame(out, blob)
    if flush:
        out.flush()


def run_job(job: dict[str, Any], blobs: list[bytes], out: BinaryIO) -> None:
    """Load the submission, make every call, stream a message for each."""
    writer = CappedWriter()
    sys.stdout = sys.stderr = writer
    seed = int(job.get("seed", 0))
    np.random.seed(seed % 2**32)
    random.seed(seed)

    source = job["source"]
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = FILENAME
    namespace = module.__dict__
    sys.modules[MODULE_NAME] = module
    install_import_guard(namespace, set(job["allowed"]), set(job.get("poison", ())))

    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
        exec(code, namespace)
    except SyntaxError as exc:
        _emit(out, {"event": "load_failed", "status": "syntax_error", "message": student_traceback(exc)}, flush=True)
        return
    except BaseException as exc:  # noqa: BLE001 - anything the module does at import is the student's
        failure = _failure(exc, writer)
        _emit(out, {"event": "load_failed", **failure, "stdout": writer.getvalue()}, flush=True)
        return
    _emit(out, {"event": "loaded"})

    for call in job["calls"]:
        key = call["key"]
        _emit(out, {"event": "begin", "key": key}, flush=True)
        function = namespace.get(call["function"])
        if function is None:
            _emit(out, {"event": "result", "key": key, "status": "missing_function"})
            continue
        if not callable(function):
            _emit(
                out, {"event": "result", "key": key, "status": "wrong_type",
                      "message": f"{call['function']} is a {type(function).__name__}, not a function"},
            )
            continue
        extra: dict[str, Any] = {}
        try:
            args = _decode_args(call["args"], blobs)
            CallState.calling = True
            try:
                if call.get("harness") == HarnessKind.TORCH_FUNCTION:
                    value, extra = _call_torch_function(function, args)
                else:
                    value = function(*args)
            finally:
                CallState.calling = False
            if writer.overflowed:
                raise OutputLimitExceeded("printed more than 64 KiB")
            value_blobs: list[bytes] = []
            encoded = wire.encode_value(value, value_blobs)
        except BaseException as exc:  # noqa: BLE001
            _emit(out, {"event": "result", "key": key, **_failure(exc, writer)})
            continue
        _emit(out, {"event": "result", "key": key, "status": "ok", "value": encoded, **extra}, value_blobs)
    _emit(out, {"event": "done", "stdout": writer.getvalue()}, flush=True)


def read_job(stream: BinaryIO) -> tuple[dict[str, Any], list[bytes]]:
    messages, _ = wire.parse_messages(stream.read())
    if not messages:
        raise SystemExit("no job on stdin")
    return messages[0].header, messages[0].blobs


def main() -> None:
    """`python -m graders.harness FD`: job on stdin, results on file descriptor FD."""
    job, blobs = read_job(sys.stdin.buffer)
    out = os.fdopen(int(sys.argv[1]), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    out = io.BufferedWriter(out)
    try:
        run_job(job, blobs, out)
        out.flush()
    finally:
        os._exit(0)  # threads the submission started must not outlive the job


if __name__ == "__main__":
    main()
