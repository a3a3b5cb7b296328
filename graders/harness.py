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
import threading
import time
import traceback
import types
from typing import Any, BinaryIO

import numpy as np

from graders import wire

FILENAME = "submission.py"
MODULE_NAME = "submission"
STDOUT_CAP = 64 * 1024  # of what the job printed, kept for the report
# What one call (or loading the file) may print before it is stopped. Far above what debug
# prints of a right answer reach (a line per entry, per step or per unit, every call), and
# anything past STDOUT_CAP is dropped unread anyway: the limit only stops a flood early,
# which the CPU-time limit would stop a little later.
PRINT_ALLOWANCE = 16 * 1024 * 1024
ERROR_CAP = 4 * 1024


class HarnessKind(enum.StrEnum):
    """How the harness calls what the student defined."""

    CALL = "call"  # a function, called with the trial's arguments
    TORCH_FUNCTION = "torch_function"  # a torch.autograd.Function class: forward, backward and gradcheck


class ForbiddenImportError(ImportError):
    """Raised inside the child when student code imports what the policy forbids."""


class OutputLimitExceeded(Exception):
    pass


HELD_BACK = "[what your code printed during hidden trials is not shown]\n"
CUT = "\n[what your code printed after the first 64 KiB is not shown]\n"


class CappedWriter(io.TextIOBase):
    """stdout/stderr for student code: keeps the first STDOUT_CAP characters of the job.

    The limit that fails a call (PRINT_ALLOWANCE) is per call (and one for loading the file): the problems
    of an assignment share one job, so a job-wide limit would blame the last problem for
    what the others printed, and grade a file differently with --problem than without.
    """

    def __init__(self, cap: int = STDOUT_CAP, allowance: int = PRINT_ALLOWANCE) -> None:
        self.parts: list[str] = []
        self.kept = 0  # characters kept for the report, over the whole job
        self.spent = 0  # characters printed since start(): by the current call, or while loading
        self.cap = cap
        self.allowance = allowance
        self.overflowed = False  # the current call printed more than its allowance
        self.muted = False  # while a hidden trial's call runs
        self.held_back = False
        self.cut = False

    def start(self) -> None:
        """A new call gets its own allowance."""
        self.spent, self.overflowed = 0, False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        self.spent += len(text)
        if self.spent > self.allowance:
            self.overflowed = True
            self._keep(text[: max(self.allowance - (self.spent - len(text)), 0)])
            raise OutputLimitExceeded(self.limit_words())
        self._keep(text)
        return len(text)

    def limit_words(self) -> str:
        return f"printed more than {self.allowance // (1024 * 1024)} MiB"

    def _keep(self, text: str) -> None:
        if not text:
            return
        if self.muted:
            # A hidden trial's output is not kept: it could show the hidden inputs. A line
            # says once that something was held back.
            if not self.held_back:
                self.held_back = True
                self.parts.append(HELD_BACK)
                self.kept += len(HELD_BACK)
            return
        if self.cut:
            return
        # Room is left for the two notes, so the report stays within the cap the runner enforces.
        room = self.cap - self.kept - len(CUT) - (0 if self.held_back else len(HELD_BACK))
        if len(text) > room:
            self.cut = True
            text = text[: max(room, 0)] + CUT
        self.parts.append(text)
        self.kept += len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------- import guard


class CallState:
    """Whether a student call is running: module-level code may use a module that
    another problem of the file allows (torch for a custom autograd.Function, or
    `torch.set_default_dtype` as the course notes do), but a call for a problem
    that forbids it may not touch it."""

    calling = False
    # The first refusal during the current call: reported even if the submission
    # catches the error and carries on.
    refused: ForbiddenImportError | None = None


def submission_line() -> int:
    """The line of the submission's innermost frame on the stack now (0 if none)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == FILENAME:
            return frame.f_lineno
        frame = frame.f_back
    return 0


def _refuse(name: str) -> ForbiddenImportError:
    error = ForbiddenImportError(name, submission_line())
    if CallState.calling and CallState.refused is None:
        CallState.refused = error
    return error


class _StandInMeta(type):
    """Classes that derive from a stand-in (`class F(torch.autograd.Function)`) still
    load; their attributes are stand-ins too."""

    def __getattr__(cls, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if CallState.calling:
            raise _refuse(cls._stand_in_module)
        return StandIn(cls._stand_in_module, f"{cls.__name__}.{attr}")


def _absorb(self: StandIn, *args: Any, **kwargs: Any) -> StandIn:
    self._touch()
    return self


class StandIn:
    """What a module that this job may not load (torch in the numpy sandbox, which
    does not even contain it) looks like to the submission: module-level code can
    import it, call it, subclass it and compute with it, so the file loads; any
    use while a graded call runs raises ForbiddenImportError at the line of use.
    Converting one to a number cannot be faked, so it is refused at once."""

    __slots__ = ("_stand_in_module", "_stand_in_path")

    def __init__(self, module: str, path: str) -> None:
        object.__setattr__(self, "_stand_in_module", module)
        object.__setattr__(self, "_stand_in_path", path)

    def _touch(self) -> None:
        if CallState.calling:
            raise _refuse(self._stand_in_module)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and attr != "__version__":
            raise AttributeError(attr)
        self._touch()
        return StandIn(self._stand_in_module, f"{self._stand_in_path}.{attr}")

    def __setattr__(self, attr: str, value: Any) -> None:
        self._touch()

    def __call__(self, *args: Any, **kwargs: Any) -> StandIn:
        self._touch()
        return StandIn(self._stand_in_module, f"{self._stand_in_path}(...)")

    def __mro_entries__(self, bases: tuple) -> tuple[type]:
        self._touch()
        base = _StandInMeta(self._stand_in_path.rsplit(".", 1)[-1], (), {"_stand_in_module": self._stand_in_module})
        return (base,)

    def __repr__(self) -> str:
        return f"<{self._stand_in_path}: {self._stand_in_module} is not loaded while this problem is graded>"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __bool__(self) -> bool:
        self._touch()
        return True  # a module-level `assert torch.allclose(...)` (a student's own check) passes

    def __len__(self) -> int:
        self._touch()
        return 0

    def __iter__(self) -> Any:
        self._touch()
        return iter(())

    def __enter__(self) -> StandIn:
        self._touch()
        return self

    def __exit__(self, *exc: Any) -> bool:
        return False

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        self._touch()
        return self is other

    def __ne__(self, other: object) -> bool:
        self._touch()
        return self is not other

    def _refuse_number(self, *args: Any) -> Any:
        raise _refuse(self._stand_in_module)

    __float__ = __int__ = __index__ = __complex__ = _refuse_number
    __getitem__ = __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __matmul__ = __rmatmul__ = _absorb
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _absorb
    __neg__ = __pos__ = __abs__ = __invert__ = __lt__ = __le__ = __gt__ = __ge__ = _absorb
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = __lshift__ = __rshift__ = _absorb

    def __setitem__(self, key: Any, value: Any) -> None:
        self._touch()

    def __delitem__(self, key: Any) -> None:
        self._touch()


class UseMonitor:
    """Watches a graded call for code of a module the problem forbids but that the
    file loaded for real (the torch sandbox serves a numpy problem of a file that
    uses torch at module level). A profile hook sees every Python function and
    every builtin called: one that belongs to the module is a use, refused with
    the submission's line (and remembered in CallState.refused)."""

    def __init__(self) -> None:
        self.packages: dict[str, str] = {}  # top-level module -> its directory, with a trailing separator

    def watch(self, name: str) -> None:
        module = sys.modules.get(name)
        location = getattr(module, "__file__", None)
        if location:
            self.packages[name] = os.path.dirname(location) + os.sep

    def _owner(self, func: Any) -> str:
        owner = getattr(func, "__module__", None)
        if not isinstance(owner, str) or not owner:
            bound = getattr(func, "__self__", None)
            owner = type(bound).__module__ if bound is not None else getattr(getattr(func, "__objclass__", None),
                                                                            "__module__", "")
        return owner.split(".")[0] if isinstance(owner, str) else ""

    def hook(self, frame: types.FrameType, event: str, arg: Any) -> None:
        if event == "call":
            filename = frame.f_code.co_filename
            for name, prefix in self.packages.items():
                if filename.startswith(prefix):
                    self._catch(name)
        elif event == "c_call":
            owner = self._owner(arg)
            if owner in self.packages:
                self._catch(owner)

    def _catch(self, name: str) -> None:
        raise _refuse(name)

    def __enter__(self) -> UseMonitor:
        if self.packages:
            threading.setprofile(self.hook)
            sys.setprofile(self.hook)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.packages:
            sys.setprofile(None)
            threading.setprofile(None)


def install_import_guard(namespace: dict, allowed: set[str], poison: set[str]) -> UseMonitor:
    """Refuse, at run time, imports made by the submission that the policy forbids.

    An import is the submission's when the frame asking for it runs in the
    submission's globals (import statements and direct __import__ calls alike).
    A module in `poison` (allowed for another problem of the file) is the real one
    at module level when the warm parent has loaded it, watched during calls by the
    returned monitor, and a StandIn otherwise.
    """
    original_import = builtins.__import__
    original_import_module = importlib.import_module
    monitor = UseMonitor()
    stand_ins: dict[str, StandIn] = {}

    def check(name: str, level: int) -> StandIn | None:
        top = name.split(".")[0]
        if level:
            raise _refuse("." * level + name)
        if top in poison:
            if CallState.calling:
                raise _refuse(top)
            if top in sys.modules:  # loaded by the warm parent (the torch sandbox): the real thing, watched
                monitor.watch(top)
                return None
            # Not here (the numpy sandbox does not even contain torch), and never worth
            # importing in a child: the file loads against a stand-in.
            return stand_ins.setdefault(top, StandIn(top, top))
        if top not in allowed:
            raise _refuse(top)
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
                return getattr(stand_in, name.split(".", 1)[1]) if "." in name else stand_in
        return original_import_module(name, package)

    builtins.__import__ = guarded_import
    importlib.import_module = guarded_import_module
    return monitor


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


def _forbidden(exc: BaseException) -> ForbiddenImportError | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ForbiddenImportError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def forbidden_report(exc: ForbiddenImportError) -> dict[str, Any]:
    """The wire form of a refused import or use: the module, and the line in `message`."""
    module = str(exc.args[0]) if exc.args else "?"
    line = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
    return {"status": "forbidden_import", "module": module[:200], "message": f"line {line}" if line else ""}


_REFUSED_BY_SANDBOX = {errno.EROFS, errno.EPERM, errno.EACCES}
_FILE_LIMITS = {errno.EFBIG, errno.ENOSPC, errno.EDQUOT}  # the scratch space is small on purpose


def _failure(exc: BaseException, writer: CappedWriter) -> dict[str, Any]:
    forbidden = _forbidden(exc)
    if forbidden is not None:
        return forbidden_report(forbidden)
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


def _decode_args(encoded: list, blobs: list[bytes], previous: list[Any] = ()) -> list[Any]:
    """The call's arguments, each array a fresh copy of the trial's values. An array of the
    same shape and dtype as the one the previous call of the function got in that place is
    that array again, overwritten: a result kept by id(x) (or by `x is last_x`) is then
    stale, as it would be when a caller reuses its buffers, while whatever the previous
    call did to its arguments is gone."""
    args = []
    for index, (_name, item) in enumerate(encoded):
        if item["t"] == "array":
            fresh = wire.npy_to_array(blobs[item["blob"]])
            old = previous[index] if index < len(previous) else None
            if type(old) is np.ndarray and old.shape == fresh.shape and old.dtype == fresh.dtype \
                    and old.flags.writeable and old.base is None:
                np.copyto(old, fresh)
                fresh = old
            args.append(fresh)
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
    if not isinstance(y, torch.Tensor):
        # autograd would only say "Expected output to be a torch.Tensor", far from the cause.
        raise TypeError(f"forward returned {wire.with_article(type(y).__module__ + '.' + type(y).__name__)}"
                        ": it must return a torch tensor "
                        "(compute with torch operations on x)")
    # allow_unused: a backward that returns None is the student's missing `return`, reported
    # as such by the type check, not as torch's "appears to not have been used in the graph".
    (gx,) = torch.autograd.grad(y, x, torch.tensor(grad_output, dtype=torch.float64), allow_unused=True)
    check_point = torch.tensor(x_array, dtype=torch.float64, requires_grad=True)
    try:
        passed = bool(torch.autograd.gradcheck(cls.apply, (check_point,), eps=1e-6, atol=1e-5, rtol=1e-3))
        gradcheck = {"passed": passed, "message": ""}
    except Exception as exc:  # GradcheckError carries the Jacobians: keep its first lines
        gradcheck = {"passed": False, "message": "".join(traceback.format_exception_only(type(exc), exc))[:1500]}
    return {"forward": y, "backward": gx}, {"gradcheck": gradcheck}


def _queued() -> float:
    """Seconds this process has spent runnable but waiting for a CPU (0 if the kernel keeps
    no scheduler statistics)."""
    try:
        with open("/proc/self/schedstat", "rb") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


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
    monitor = install_import_guard(namespace, set(job["allowed"]), set(job.get("poison", ())))

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
    if monitor.packages:
        import gc

        gc.collect()  # garbage of module-level code must not be finalized (by torch) during a call

    arguments: dict[str, list[Any]] = {}  # the last arguments each function was called with
    for call in job["calls"]:
        key = call["key"]
        # The CPU time used so far: the runner judges a call by the CPU it used, not the wall
        # clock, so a loaded machine never makes an honest call look like an infinite loop.
        _emit(out, {"event": "begin", "key": key, "cpu": time.process_time(), "queued": _queued()}, flush=True)
        writer.start()
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
            args = arguments[call["function"]] = _decode_args(call["args"], blobs, arguments.get(call["function"], ()))
            CallState.calling, CallState.refused = True, None
            writer.muted = call.get("hidden") is True
            try:
                with monitor:
                    if call.get("harness") == HarnessKind.TORCH_FUNCTION:
                        value, extra = _call_torch_function(function, args)
                    else:
                        value = function(*args)
            finally:
                CallState.calling = False
                writer.muted = False
            if CallState.refused is not None:  # a refusal the submission caught and carried on after
                raise CallState.refused
            if isinstance(value, StandIn):
                raise _refuse(value._stand_in_module)
            if writer.overflowed:
                raise OutputLimitExceeded(writer.limit_words())
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
