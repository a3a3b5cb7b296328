"""The warm parent: runs INSIDE bubblewrap as the unprivileged sandbox uid,
imports numpy (or torch) once, and forks one child per job.

Started as `python -I -S -B /sandbox/app/zygote.py CONTROL_FD HANDOFF_FD KIND`.
The control socket carries small JSON messages (kill, exit reports). A job's
memfd and result pipe go over the hand-off socket straight to the child that
was forked ahead for it, so the job's bytes (another student's source) never
enter this process's memory, where a later child could find them.

A child: new session, 0-2 on /dev/null and no other fd but the hand-off socket
(then only its job's two), rlimits, no new privileges, the prebuilt seccomp
filter; then the harness.
This file imports nothing from the trusted side of `graders`.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import signal
import socket
import sys

PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 4, 22, 2
MS_REMOUNT, MS_BIND = 32, 4096
# /tmp is a symlink to SCRATCH, a directory made afresh for every job on the
# sandbox's own tmpfs (SCRATCH_ROOT): its mode, times and xattrs are new each time,
# so nothing a job does to its scratch space reaches the next one.
SCRATCH_ROOT = "/scratch"
SCRATCH = "/scratch/job"
ALLOWED_ENV = {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "HOME", "LANG", "PATH", "PWD",
               "LC_CTYPE"}
EXTRA_THREADS = 8  # beyond what exists at fork: enough for a library, not a thread bomb
SCRATCH_FILES = 10_000  # more left on the scratch tmpfs after a job: recycle the sandbox, do not remove them

libc = ctypes.CDLL(None, use_errno=True)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class Filter:
    """A BPF program kept in memory, ready for prctl(PR_SET_SECCOMP)."""

    def __init__(self, program: bytes) -> None:
        self.buffer = ctypes.create_string_buffer(program, len(program))
        self.prog = SockFprog(len(program) // 8, ctypes.addressof(self.buffer))

    def load(self) -> None:
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS")
        if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self.prog), 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP")


# ---------------------------------------------------------------- start-up


def close_other_fds(keep: set[int]) -> None:
    """bwrap hands over whatever it inherited; nothing but ours may stay open."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the directory listing's own fd


def inside_checks() -> list[str]:
    """Isolation as seen from inside; any entry means the sandbox must not be used."""
    problems = []
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
    for cap in ("CapEff", "CapPrm", "CapAmb"):
        if int(status[cap].strip(), 16):
            problems.append(f"the sandbox has capabilities ({cap}={status[cap].strip()})")
    if status.get("NoNewPrivs", "").strip() != "1":
        problems.append("no_new_privs is not set")
    if 0 in os.getresuid() or 0 in os.getresgid():
        problems.append("the sandbox runs as uid 0")
    for target in ("/", "/sandbox/site/numpy", os.path.dirname(os.__file__), "/scratch"):
        if os.path.exists(target) and libc.mount(None, target.encode(), None, MS_REMOUNT | MS_BIND, None) == 0:
            problems.append(f"{target} could be remounted read-write")
    try:
        with open("/nablagrade-probe", "w"):
            problems.append("/ is writable")
    except OSError:
        pass
    with open("/proc/net/dev") as devices:
        interfaces = {line.split(":")[0].strip() for line in devices.readlines()[2:]}
    if interfaces - {"lo"}:
        problems.append(f"network interfaces are visible: {sorted(interfaces)}")
    for port in (6379, 5432, 80):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                problems.append(f"127.0.0.1:{port} is reachable")
        except OSError:
            pass
    unexpected = set(os.environ) - ALLOWED_ENV
    if unexpected:
        problems.append(f"unexpected environment variables: {sorted(unexpected)}")
    return problems


# ---------------------------------------------------------------- one job


def tasks_now() -> int:
    """Tasks (threads) of our uid in this sandbox: what RLIMIT_NPROC counts."""
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                count += len(os.listdir(f"/proc/{name}/task"))
            except OSError:
                pass
    return count


def virtual_size() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def spare_child(handoff: socket.socket, started: int, memory_budget: int, child_filter: Filter, cpu_lock: Filter,
                harness, wire) -> None:
    """A child forked ahead of its job, so fork and set-up overlap with the
    runner's own work. It locks itself down, then waits for the job's fds on
    the hand-off socket (which it closes before any submitted code runs).
    Runs in the forked child; never returns."""
    try:
        os.setsid()
        devnull = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        close_other_fds({0, 1, 2, handoff.fileno(), started})
        memory = virtual_size() + memory_budget
        threads = tasks_now() + EXTRA_THREADS
        for limit, value in ((resource.RLIMIT_AS, (memory, memory)), (resource.RLIMIT_FSIZE, (1 << 20, 1 << 20)),
                             (resource.RLIMIT_NOFILE, (64, 64)), (resource.RLIMIT_CORE, (0, 0)),
                             (resource.RLIMIT_NPROC, (threads, threads)), (resource.RLIMIT_MEMLOCK, (0, 0)),
                             (resource.RLIMIT_MSGQUEUE, (0, 0))):
            resource.setrlimit(limit, value)
        child_filter.load()
        message, fds, _, _ = socket.recv_fds(handoff, 4096, 2)
        handoff.close()
        order = json.loads(message) if message else {}
        # Which job this child took: the parent may now fork the next spare, and it
        # can tell the runner which job an exit belongs to.
        os.write(started, f"{int(order.get('job', -1))}\n".encode())
        os.close(started)
        if len(fds) != 2:
            return
        job_fd, result_fd = fds
        os.chdir(SCRATCH)  # made for this job after the previous one ended
        cpu = int(order["cpu"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        cpu_lock.load()  # the job cannot lower it: a SIGKILL at its own limit would look like ours
        chunks = []
        while chunk := os.read(job_fd, 1 << 20):
            chunks.append(chunk)
        os.close(job_fd)
        messages, _ = wire.parse_messages(b"".join(chunks))
        del chunks
        out = os.fdopen(result_fd, "wb")
        harness.run_job(messages[0].header, messages[0].blobs, out)
        out.flush()
    except BaseException:  # noqa: BLE001 - the runner sees a missing "done" and reports it
        pass
    finally:
        os._exit(0)  # threads the submission started die with the process


def _remove(path: str) -> None:
    """Remove a file or a whole tree, whatever its modes (the job may have set 0). With a
    stack, not recursion: a job can nest directories deeper than Python's recursion limit.
    What cannot be removed stays, and the caller sees it."""
    pending, opened = [path], set()
    while pending:
        current = pending[-1]
        try:
            if os.path.isdir(current) and not os.path.islink(current):
                if current not in opened:
                    opened.add(current)
                    os.chmod(current, 0o700)
                    pending.extend(os.path.join(current, name) for name in os.listdir(current))
                    continue
                os.rmdir(current)
            else:
                os.unlink(current)
        except OSError:
            pass
        pending.pop()


def scratch_files() -> int:
    """Files and directories on the scratch tmpfs now (0 if the kernel does not say)."""
    info = os.statvfs(SCRATCH_ROOT)
    return max(info.f_files - info.f_ffree, 0)


def fresh_scratch() -> bool:
    """Give the next job a scratch directory that is new in every respect: remove
    the last one and anything else the job put on the tmpfs, restore the tmpfs
    root (a job runs as our uid, so it could chmod it or tag it with xattrs), then
    make a new directory. True if all of that held; if not, the runner recycles
    this parent, and with it the whole tmpfs."""
    try:
        if scratch_files() > SCRATCH_FILES:
            # Removing a million empty files one by one would hold the next job for
            # seconds; a new sandbox frees them at once.
            return False
        os.chmod(SCRATCH_ROOT, 0o700)  # first: the job may have left it 0
        for name in os.listdir(SCRATCH_ROOT):
            _remove(os.path.join(SCRATCH_ROOT, name))
        for attribute in os.listxattr(SCRATCH_ROOT):  # user.* and POSIX ACLs
            os.removexattr(SCRATCH_ROOT, attribute)
        os.chmod(SCRATCH_ROOT, 0o711)
        os.mkdir(SCRATCH, 0o700)  # also sets the root's times to now, whatever the job set
        return os.listdir(SCRATCH_ROOT) == ["job"] and not os.listxattr(SCRATCH_ROOT) and not os.listxattr(SCRATCH)
    except Exception:  # noqa: BLE001 - whatever a job left, the warm parent must live to report it
        return False


class Exit:
    """How a child ended: its exit code, the job it took (None if it never took
    one), whether it was found stopped when we killed it (a job cannot stop
    itself: its signals are filtered) and the CPU time it used."""

    def __init__(self) -> None:
        self.code = 0
        self.job: int | None = None
        self.stopped = False
        self.cpu = 0.0
        self.runner_alive = True


def process_state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


def supervise(control: socket.socket, spare: Spare, on_start) -> Exit:
    """Wait for the child, killing its process group when the runner says so, and
    call `on_start` once it has taken its job."""
    pidfd = os.pidfd_open(spare.pid)
    ended = Exit()
    try:
        while True:
            watched = [pidfd] + ([control] if ended.runner_alive else []) + ([spare.started] if spare.started >= 0 else [])
            ready, _, _ = select.select(watched, [], [])
            if pidfd in ready:
                _, status, usage = os.wait4(spare.pid, 0)
                ended.code = os.waitstatus_to_exitcode(status)
                ended.cpu = usage.ru_utime + usage.ru_stime
                if spare.started >= 0:  # it may have taken its job just before it died
                    ended.job = spare.read_started()
                return ended
            if spare.started in ready:
                ended.job = spare.read_started()
                if ended.job is not None:
                    on_start()
                continue
            message = control.recv(4096)
            if not message:
                ended.runner_alive = False
            elif not aimed_at(message, ended.job):
                continue  # a kill for a child that is gone: never for the one waiting for the next job
            ended.stopped = ended.stopped or process_state(spare.pid) in ("T", "t")
            kill_group(spare.pid)
    finally:
        os.close(pidfd)
        spare.close_started()


def aimed_at(message: bytes, job: int | None) -> bool:
    """Whether a kill from the runner is for the child running `job` (a kill that names
    no job is for whatever child runs now)."""
    try:
        wanted = json.loads(message).get("job")
    except (ValueError, AttributeError):
        return True
    return wanted is None or wanted == job


def kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass


class Spare:
    """A child forked ahead of its job, and the pipe on which it says it took one."""

    def __init__(self, pid: int, started: int) -> None:
        self.pid = pid
        self.started = started

    def read_started(self) -> int | None:
        """The number of the job the child took, or None if it died waiting."""
        try:
            data = os.read(self.started, 32)
        except OSError:
            data = b""
        self.close_started()
        try:
            return int(data.decode())
        except ValueError:
            return None

    def close_started(self) -> None:
        if self.started >= 0:
            os.close(self.started)
            self.started = -1


class Spares:
    """Forks each job's child ahead of time: the runner hands it the job's fds
    directly on the hand-off socket, so neither the job's bytes nor its fds ever
    pass through this process. The next spare is forked as soon as the current
    child has taken its job (so only one child ever waits on the socket), and it
    gets ready while that job runs."""

    def __init__(self, control: socket.socket, handoff: socket.socket, memory_budget: int, child_filter: Filter,
                 cpu_lock: Filter, harness, wire) -> None:
        self.control = control
        self.handoff = handoff  # held by one waiting child at a time, until it has its job
        self.args = (memory_budget, child_filter, cpu_lock, harness, wire)
        self.next: Spare | None = None

    def fork(self) -> Spare:
        started_read, started_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            self.control.close()
            os.close(started_read)
            spare_child(self.handoff, started_write, *self.args)
        os.close(started_write)
        return Spare(pid, started_read)

    def fork_next(self) -> None:
        self.next = self.fork()

    def take_next(self) -> Spare:
        spare, self.next = self.next, None
        return spare if spare is not None else self.fork()

    def drain(self) -> list[int]:
        """Drop a hand-off a dead child never took, so the next child cannot get it;
        return the numbers of the jobs dropped, for the runner to run again."""
        dropped = []
        self.handoff.setblocking(False)
        try:
            while True:
                message, fds, _, _ = socket.recv_fds(self.handoff, 4096, 2)
                for fd in fds:
                    os.close(fd)
                try:
                    dropped.append(int(json.loads(message)["job"]))
                except (ValueError, KeyError, TypeError):
                    pass
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            self.handoff.setblocking(True)
        return dropped


def serve(control: socket.socket, spares: Spares) -> None:
    """One job at a time: wait for its child (killing it when told), clean up
    after it, report the exit; the next child is already waiting."""
    current = spares.take_next()
    while True:
        ended = supervise(control, current, spares.fork_next)
        # A child that died before taking a job (killed from outside?) leaves the
        # job's hand-off queued: drop it, and say so, so that the runner runs it again.
        dropped = spares.drain() if ended.job is None else []
        clean = fresh_scratch()
        if not ended.runner_alive:
            return
        current = spares.take_next()
        control.send(json.dumps({"event": "exit", "job": ended.job, "dropped": dropped, "returncode": ended.code,
                                 "clean": clean, "stopped": ended.stopped, "cpu": ended.cpu}).encode())


def warm_up(wire) -> None:
    """Import now what every job would otherwise import after the fork (numpy
    loads `numpy.random` lazily: 11 ms per child), then freeze the heap so the
    collector does not dirty every inherited page in each child."""
    import gc
    import importlib

    import numpy

    for name in ("numpy.random", "numpy.linalg", "numpy.fft", "numpy.lib.format", "math", "cmath", "random",
                 "statistics", "fractions", "decimal", "functools", "itertools", "collections", "traceback",
                 "linecache", "typing", "dataclasses", "copy", "operator", "warnings", "re", "json"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    numpy.random.seed(0)
    numpy.random.default_rng(0).random(4)
    wire.npy_to_array(wire.array_to_npy(numpy.ones(3)))
    compile("def f(x):\n    return x\n", "warm_up.py", "exec", dont_inherit=True)
    gc.collect()
    gc.freeze()


def warm_up_torch(torch) -> None:
    """Run once what every torch job runs (an autograd.Function, backward, gradcheck),
    so each child inherits the lazily imported modules instead of loading them."""

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    x = torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True)
    torch.autograd.grad(Square.apply(x), x, torch.ones(3, dtype=torch.float64))
    torch.autograd.gradcheck(Square.apply, (x,), eps=1e-6, atol=1e-5, rtol=1e-3)


def main() -> None:
    control_fd, handoff_fd, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    # Before anything else: no other process of this uid may read or trace us.
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    close_other_fds({0, 1, 2, control_fd, handoff_fd})
    os.chdir("/")  # not the scratch space, which is replaced for every job
    sys.path[:0] = ["/sandbox/app", "/sandbox/site"]
    control = socket.socket(fileno=control_fd)
    handoff = socket.socket(fileno=handoff_fd)
    import numpy  # noqa: F401 - loaded once here, inherited by every child

    if kind == "torch":
        import torch

        torch.set_num_threads(1)
        torch.set_num_interop_threads(1)
        warm_up_torch(torch)
    from graders import harness, wire

    warm_up(wire)
    problems = inside_checks()
    if not fresh_scratch():
        problems.append(f"the scratch space {SCRATCH} cannot be made")
    init = json.loads(control.recv(1 << 16))
    spares = Spares(control, handoff, int(init["memory"]), Filter(bytes.fromhex(init["child_filter"])),
                    Filter(bytes.fromhex(init["cpu_lock"])), harness, wire)
    Filter(bytes.fromhex(init["parent_filter"])).load()
    control.send(json.dumps({"event": "ready", "problems": problems, "kind": kind,
                             "torch_loaded": "torch" in sys.modules}).encode())
    serve(control, spares)


if __name__ == "__main__":
    main()
