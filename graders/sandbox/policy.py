"""What the sandbox may see and who it runs as: the bubblewrap command line, the
read-only binds, and the unprivileged identity it starts under.

Only what Python and numpy need is bound (torch too, for a torch parent); the
checkout, its instance folder, other submissions and home directories are
never bound. Our own few source files cross as copies (`--ro-bind-data`).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import pwd
import shutil
import stat
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from graders.sandbox.errors import SandboxUnavailable

SANDBOX_USER = "nablagrade-sandbox"
FALLBACK_UID = 65534  # nobody
STAGE = Path("/run/nablagrade-sandbox")  # mount point of a private staging tmpfs (see stage_and_drop)
SCRATCH_BYTES = 16 << 20
# Files and directories on the scratch tmpfs: its size counts bytes, not inodes, and a job
# making empty files could pin gigabytes of kernel memory. Only a mount we make as root can
# say so (bwrap has no option for it); unprivileged, the warm parent recycles after many.
SCRATCH_INODES = 4096
SCRATCH_ROOT, SCRATCH_DIR = "/scratch", "/scratch/job"  # as in zygote.py, which imports nothing of ours
APP_FILES = ("__init__.py", "harness.py", "wire.py")  # the graders modules the untrusted side imports
GRADERS = Path(__file__).resolve().parent.parent
ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "HOME": "/tmp", "LANG": "C.UTF-8", "PATH": "/usr/bin",
}

# Linux constants for the root-only staging step.
_CLONE_NEWNS = 0x00020000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
_PR_SET_NO_NEW_PRIVS = 38


@dataclass(frozen=True)
class Identity:
    uid: int
    gid: int
    name: str


def find_bwrap(bwrap: str | None = None) -> str:
    """The bubblewrap binary, or SandboxUnavailable saying how to install it."""
    found = shutil.which(bwrap or "bwrap")
    if not found:
        raise SandboxUnavailable(f"bubblewrap is not installed ({bwrap or 'bwrap'} is not on PATH); "
                                 "install it with `apt-get install bubblewrap` (scripts/install-system-packages.sh)")
    return found


def sandbox_identity(uid: int | None = None) -> Identity | None:
    """Who the sandbox runs as when we are root: the dedicated user if it exists,
    else nobody. None when we are already unprivileged."""
    if os.geteuid() != 0:
        return None
    if uid is not None:
        entry = _passwd(uid)
        return Identity(uid, entry.pw_gid if entry else uid, entry.pw_name if entry else str(uid))
    for name in (SANDBOX_USER, "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid != 0:
            return Identity(entry.pw_uid, entry.pw_gid, name)
    return Identity(FALLBACK_UID, FALLBACK_UID, str(FALLBACK_UID))


def _passwd(uid: int) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwuid(uid)
    except KeyError:
        return None


# What each kind of warm parent imports, by top-level name: numpy, and for torch
# the packages `import torch` and autograd's gradcheck load (a test keeps this
# list equal to what torch really loads). Each is bound on its own under
# /sandbox/site; the site-packages around them (the project itself after a
# non-editable install, with the bank's reference solutions, Flask, ...) never is.
PACKAGES = {
    "numpy": ("numpy",),
    "torch": ("numpy", "torch", "torchgen", "typing_extensions", "sympy", "mpmath"),
}
SITE = "/sandbox/site"


def module_location(name: str) -> Path | None:
    """A top-level module's package directory or single file, resolved."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve()
    return Path(spec.origin).resolve() if spec.origin and spec.has_location else None


def _system_library_dirs() -> list[Path]:
    """Where the shared libraries Python, numpy and torch load live: the multiarch
    directory (Debian, and the python images built on it) and the dynamic loader's,
    or, on other layouts, /usr/lib as a whole (with other Pythons hidden)."""
    multiarch = sysconfig.get_config_var("MULTIARCH")
    found = [Path("/usr/lib") / multiarch] if multiarch else []
    found = [path for path in found if path.is_dir()] or [Path("/usr/lib")]
    for name in ("/usr/lib64", "/lib64", "/lib"):  # real directories only: merged /usr makes them symlinks
        if os.path.isdir(name) and not os.path.islink(name):
            found.append(Path(name))
    return [Path(os.path.realpath(path)) for path in found]


def _package_dirs(root: Path, stdlib: Path) -> list[Path]:
    """Python package directories under a bound directory: other interpreters'
    libraries (/usr/lib/python3 with Debian's dist-packages) and our standard
    library's own site-packages, where scipy or sympy may sit."""
    found = [path for path in root.glob("python3*")
             if path.is_dir() and path != stdlib and not stdlib.is_relative_to(path)]
    found += [stdlib / name for name in ("site-packages", "dist-packages") if (stdlib / name).is_dir()]
    return [path for path in found if path.is_relative_to(root)]


def _config_path(name: str) -> Path | None:
    value = sysconfig.get_config_var(name)
    return Path(os.path.realpath(value)) if value else None


@dataclass
class Binds:
    """Read-only binds (host path, path inside) and directories hidden under them."""

    read_only: list[tuple[Path, str]] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    def add(self, host: Path, inside: str | None = None) -> None:
        if all(host != existing for existing, _ in self.read_only):
            self.read_only.append((host, inside or str(host)))


@dataclass
class SandboxPolicy:
    """Everything needed to start one warm parent of a given kind ("numpy" or "torch")."""

    bwrap: str
    identity: Identity | None
    python: Path = field(default_factory=lambda: Path(os.path.realpath(sys.executable)))
    extra_args: tuple[str, ...] = ()  # only for tests that prove the self-check catches a weakened sandbox

    def binds(self, kind: str) -> Binds:
        """The interpreter, its standard library and the system libraries it loads,
        and the packages of PACKAGES[kind]: nothing else of the host."""
        binds = Binds()
        for directory in _system_library_dirs():
            binds.add(directory)
        binds.add(self.python)
        stdlib = Path(os.path.realpath(os.path.dirname(os.__file__)))
        binds.add(stdlib)
        dynload = _config_path("DESTSHARED")
        if dynload is not None and dynload.is_dir() and not dynload.is_relative_to(stdlib):
            binds.add(dynload)
        libdir, soname = _config_path("LIBDIR"), sysconfig.get_config_var("INSTSONAME")
        if sysconfig.get_config_var("Py_ENABLE_SHARED") and libdir and soname and (libdir / soname).exists():
            binds.add(Path(os.path.realpath(libdir / soname)), str(libdir / soname))
        # Other Python installations' packages inside what is bound (Debian's
        # dist-packages in /usr/lib, the base interpreter's own site-packages).
        for host, inside in list(binds.read_only):
            if host.is_dir():
                binds.hidden += [f"{inside}/{p.relative_to(host)}" for p in _package_dirs(host, stdlib)]
        for name in PACKAGES[kind]:
            location = module_location(name)
            if location is None:
                raise SandboxUnavailable(f"{name} is not installed (the {kind} sandbox needs it)")
            binds.add(location, f"{SITE}/{location.name}")
            vendored = location.parent / f"{name}.libs"  # the shared libraries a wheel carries (OpenBLAS)
            if vendored.is_dir():
                binds.add(vendored, f"{SITE}/{vendored.name}")
        return binds

    def check_readable(self, kind: str) -> None:
        """The unprivileged uid reads these files through binds: they must be world-readable."""
        if self.identity is None:
            return
        probes = [self.python, Path(os.__file__)]
        numpy_dir = module_location("numpy")
        if numpy_dir is not None:
            probes.append(numpy_dir / "__init__.py")
        for probe in probes:
            if probe.exists() and not probe.stat().st_mode & stat.S_IROTH:
                raise SandboxUnavailable(f"the sandbox user {self.identity.name} cannot read {probe} "
                                         "(make the Python installation and the venv world-readable)")

    def bwrap_argv(self, kind: str, control_fd: int, handoff_fd: int, data_fds: dict[str, int],
                   staged: dict[str, str]) -> list[str]:
        """The bubblewrap command line; `staged` maps a sandbox path to where its host
        path is staged (root only), `data_fds` a sandbox file to an fd with its content."""
        argv = [self.bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                "--new-session", "--as-pid-1", "--clearenv", "--hostname", "sandbox"]
        for key, value in ENVIRONMENT.items():
            argv += ["--setenv", key, value]
        for name in ("lib", "lib64", "bin"):
            if os.path.islink(f"/{name}"):  # merged /usr: /lib -> usr/lib
                argv += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
        if os.path.exists("/etc/ld.so.cache"):
            argv += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
        binds = self.binds(kind)
        for host, inside in binds.read_only:
            argv += ["--ro-bind", staged.get(inside, str(host)), inside]
        for inside in binds.hidden:  # an empty, read-only directory over it
            argv += ["--tmpfs", inside, "--remount-ro", inside]
        for inside, fd in data_fds.items():
            argv += ["--perms", "0444", "--ro-bind-data", str(fd), inside]
        # The scratch tmpfs: the warm parent makes SCRATCH_DIR afresh for every job, and /tmp points to it.
        if SCRATCH_ROOT in staged:  # made as root, with a bound number of inodes
            scratch = ["--bind", staged[SCRATCH_ROOT], SCRATCH_ROOT]
        else:
            scratch = ["--size", str(SCRATCH_BYTES), "--tmpfs", SCRATCH_ROOT]
        argv += ["--proc", "/proc", "--dev", "/dev", *scratch,
                 "--symlink", SCRATCH_DIR, "/tmp", "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/",
                 *self.extra_args,
                 "--", str(self.python), "-I", "-S", "-B", "/sandbox/app/zygote.py", str(control_fd),
                 str(handoff_fd), kind]
        return argv

    def app_files(self) -> dict[str, bytes]:
        """Sandbox path -> content of the few graders modules the untrusted side runs."""
        files = {f"/sandbox/app/graders/{name}": (GRADERS / name).read_bytes() for name in APP_FILES}
        files["/sandbox/app/zygote.py"] = (GRADERS / "sandbox" / "zygote.py").read_bytes()
        return files


# ---------------------------------------------------------------- privileged start-up


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc: ctypes.CDLL, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    if libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                  data and data.encode()) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source or ''} on {target}: {os.strerror(err)}")


def prepare_stage() -> None:
    """The empty host directory the private staging tmpfs is mounted on."""
    try:
        STAGE.mkdir(mode=0o755, parents=True, exist_ok=True)
    except OSError as exc:
        raise SandboxUnavailable(f"cannot create {STAGE}: {exc}") from None
    info = STAGE.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0:
        raise SandboxUnavailable(f"{STAGE} is not a directory owned by root")


def staged_paths(binds: list[tuple[Path, str]]) -> dict[str, str]:
    """Where each bind's source, and the scratch tmpfs, are staged (see stage_and_drop)."""
    staged = {inside: str(STAGE / f"{index}") for index, (_host, inside) in enumerate(binds)}
    staged[SCRATCH_ROOT] = str(STAGE / "scratch")
    return staged


def stage_and_drop(binds: list[tuple[Path, str]], identity: Identity, attach=None):
    """A preexec function, run as root in the forked child just before bwrap:

    bwrap must run unprivileged (as root it keeps capabilities and could remount
    its read-only binds), but the unprivileged uid cannot reach paths such as a
    Python under /root. So, in a private mount namespace no other process sees,
    root bind-mounts each source read-only under STAGE, mounts the scratch tmpfs
    there (bounded in bytes and inodes), then drops to the sandbox uid for good (no groups, no capabilities, no new privileges).
    """

    def preexec() -> None:
        try:
            stage()
        except Exception as exc:  # subprocess only says "Exception occurred in preexec_fn"
            os.write(2, f"cannot stage the binds and drop to {identity.name}: {exc}".encode())
            raise

    def stage() -> None:
        if attach is not None:
            attach()  # into the sandbox's cgroup while still root
        libc = _libc()
        if libc.unshare(_CLONE_NEWNS) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS) failed")
        _mount(libc, None, "/", None, _MS_REC | _MS_PRIVATE)
        _mount(libc, "tmpfs", str(STAGE), "tmpfs", _MS_NOSUID | _MS_NODEV, "mode=0755,size=64k")
        for index, (host, _inside) in enumerate(binds):
            target = STAGE / f"{index}"
            if host.is_dir():
                target.mkdir()
            else:
                target.touch()
            _mount(libc, str(host), str(target), None, _MS_BIND | _MS_REC)
            _mount(libc, None, str(target), None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | _MS_NODEV)
        scratch = STAGE / "scratch"
        scratch.mkdir()
        _mount(libc, "tmpfs", str(scratch), "tmpfs", _MS_NOSUID | _MS_NODEV,
               f"mode=0711,size={SCRATCH_BYTES},nr_inodes={SCRATCH_INODES},uid={identity.uid},gid={identity.gid}")
        _mount(libc, None, str(STAGE), None, _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | _MS_NODEV)
        os.setgroups([])
        os.setresgid(identity.gid, identity.gid, identity.gid)
        os.setresuid(identity.uid, identity.uid, identity.uid)
        if os.getuid() == 0 or os.geteuid() == 0:
            raise OSError("could not leave uid 0")
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    return preexec


def unprivileged_preexec():
    """Already unprivileged: only forbid regaining privileges through exec."""

    def preexec() -> None:
        _libc().prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    return preexec
