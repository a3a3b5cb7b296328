"""The seccomp filters, compiled once in the trusted process and shipped to the
warm parent as raw BPF, so a job's child only has to load them (no libseccomp
inside the sandbox, no per-job compile).

Two layers stack: the warm parent loads PARENT before it serves jobs (it still
needs fork and kill for its children); every job's child adds CHILD on top.
The default is to allow: the list below denies what an untrusted numpy
function never needs and what would reach past the sandbox's walls.
"""

from __future__ import annotations

import errno
import os
from functools import lru_cache

# Killing the process (SIGSYS) makes the outcome unmistakable: the runner maps
# SIGSYS to `forbidden_operation`, and no `except` in the student's code can
# swallow it.
DENIED_EVERYWHERE = (
    # programs, tracing, other processes' memory
    "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    # network
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    # SysV and POSIX IPC (cross-job channels)
    "shmget", "shmat", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
    "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # namespaces and mounts
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr",
    # kernel keyrings, eBPF, io_uring, userfaultfd, perf
    "keyctl", "add_key", "request_key", "bpf", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "userfaultfd", "perf_event_open",
    # the machine itself
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
    "swapoff", "acct", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "sethostname",
    "setdomainname", "iopl", "ioperm", "quotactl", "syslog", "vhangup", "name_to_handle_at",
    "open_by_handle_at", "uselib", "lookup_dcookie",
)
# Only the job's child: new processes and signals to anyone (the warm parent
# is the same uid). EPERM for signals so glibc's abort() still ends the child.
# timer_create too: a POSIX timer delivers whatever signal it is given, SIGSTOP included,
# and a job that stopped itself would pass for one stopped from outside, which the runner
# blames on the grader ("not your code's fault") and runs again. alarm and setitimer stay:
# their signals are fixed, and no numpy or torch job needs a POSIX timer.
DENIED_TO_CHILD = ("fork", "vfork", "memfd_create", "pidfd_open")
SIGNALS = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal", "timer_create")

CLONE_THREAD = 0x00010000
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME
NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)
TIOCSTI = 0x5412
RLIMIT_CPU = 0
# Signals through file ownership: a process that owns an fd with O_ASYNC gets a
# signal (F_SETSIG picks which, SIGKILL or SIGSTOP included) when the fd becomes
# ready. The kernel sends it with the credentials of whoever set the owner, and
# every sandbox process is the same uid, so a job could kill the warm parent or
# the child forked for the next job. No owner may be set and no fd made async.
F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY, F_SETFL, O_ASYNC = 8, 10, 15, 1024, 1026, 4, 0o20000
FIOASYNC, FIOSETOWN, SIOCSPGRP, TIOCSPGRP = 0x5452, 0x8901, 0x8902, 0x5410
DENIED_FCNTL = (F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY)
DENIED_IOCTL = (TIOCSTI, FIOASYNC, FIOSETOWN, SIOCSPGRP, TIOCSPGRP)


class SeccompUnavailable(RuntimeError):
    pass


def _compile(child: bool, cpu_lock: bool = False) -> bytes:
    try:
        import pyseccomp as seccomp
    except ImportError:  # Debian's python3-seccomp offers the same API
        try:
            import seccomp  # type: ignore[no-redef]
        except ImportError:
            raise SeccompUnavailable("neither pyseccomp nor python3-seccomp is installed") from None
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
    except Exception as exc:  # libseccomp.so.2 missing
        raise SeccompUnavailable(f"libseccomp cannot be used: {exc}") from None

    def deny(action: int, name: str, *args: object) -> None:
        try:
            rules.add_rule(action, name, *args)
        except (OSError, ValueError, RuntimeError):
            pass  # not a syscall on this architecture

    if cpu_lock:
        # Loaded by a job's child once it has set its CPU limit for the job: a job that lowered
        # it (and ignored SIGXCPU) would die of the kernel's SIGKILL, which the runner cannot
        # tell from a kill from outside the job (it blames the grader and runs the job again).
        deny(seccomp.ERRNO(errno.EPERM), "setrlimit", seccomp.Arg(0, seccomp.MASKED_EQ, 0xFFFFFFFF, RLIMIT_CPU))
        deny(seccomp.ERRNO(errno.EPERM), "prlimit64", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, RLIMIT_CPU),
             seccomp.Arg(2, seccomp.NE, 0))  # reading the limit (no new value) stays allowed
        return _export(rules)
    for name in DENIED_EVERYWHERE:
        deny(seccomp.KILL_PROCESS, name)
    for request in DENIED_IOCTL:  # the request is an unsigned int: compare the low 32 bits only
        deny(seccomp.ERRNO(errno.EPERM), "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
    for name in ("fcntl", "fcntl64"):
        for command in DENIED_FCNTL:
            deny(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, command))
        deny(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, F_SETFL),
             seccomp.Arg(2, seccomp.MASKED_EQ, O_ASYNC, O_ASYNC))
    # clone3 passes its flags in memory a filter cannot read: glibc falls back to clone on ENOSYS.
    deny(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for flag in NAMESPACE_FLAGS:  # clone() into new namespaces, even as a thread
        deny(seccomp.KILL_PROCESS, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    if child:
        for name in DENIED_TO_CHILD:
            deny(seccomp.KILL_PROCESS, name)
        for name in SIGNALS:
            deny(seccomp.ERRNO(errno.EPERM), name)
        # The warm parent and the child waiting for the next job (another student's)
        # share our uid: no changing their limits, priority, CPUs or memory placement.
        for name in ("setpriority", "ioprio_set", "process_madvise", "process_mrelease"):
            deny(seccomp.ERRNO(errno.EPERM), name)
        for name in ("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr",
                     "migrate_pages", "move_pages"):
            deny(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(0, seccomp.NE, 0))  # only pid 0: itself
        # Threads are fine (clone with CLONE_THREAD); a new process is not.
        deny(seccomp.KILL_PROCESS, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    return _export(rules)


def _export(rules) -> bytes:
    with os.fdopen(os.memfd_create("nablagrade-bpf"), "w+b") as exported:
        rules.export_bpf(exported)
        exported.seek(0)
        program = exported.read()
    if not program or len(program) % 8:
        raise SeccompUnavailable("libseccomp exported an empty or malformed filter")
    return program


@lru_cache(maxsize=2)
def compiled_filter(child: bool) -> bytes:
    """Raw BPF (an array of struct sock_filter) for the warm parent or a job's child."""
    return _compile(child)


@lru_cache(maxsize=1)
def compiled_cpu_lock() -> bytes:
    """Raw BPF a job's child stacks on its filter once its CPU limit is set: no changing it."""
    return _compile(True, cpu_lock=True)
