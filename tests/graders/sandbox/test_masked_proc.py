"""Docker's masked /proc (bubblewrap issues #284 and #505): the start-up self-check
names the cause and the fix. The failure is reproduced for real, not mocked: a mount
namespace with mounts over parts of /proc, as Docker makes them, in which bwrap's
`--proc /proc` is refused by the kernel."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.sandbox.masked_proc import explain, masked_proc_paths

BWRAP_EPERM = "bwrap: Can't mount proc on /newroot/proc: Operation not permitted"
CHECKOUT = Path(__file__).resolve().parents[3]


def _masked(command: str) -> subprocess.CompletedProcess:
    """Run `command` where /proc/fs is covered by a tmpfs and /proc/timer_list by /dev/null."""
    script = ("mount -t tmpfs tmpfs /proc/fs && mount --bind /dev/null /proc/timer_list && " + command)
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script],
                          capture_output=True, text=True, timeout=300, cwd=CHECKOUT)


needs_root = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("bwrap") is None,
                                reason="masking /proc in a private mount namespace needs root, unshare and bwrap")


@needs_root
def test_the_self_check_says_masked_proc_and_how_to_fix_it():
    done = _masked(f"exec {sys.executable} -c 'from graders.sandbox import verify_sandbox; verify_sandbox()'")
    assert done.returncode != 0
    assert BWRAP_EPERM in done.stderr  # the kernel really refused bwrap's proc mount
    assert "/proc/fs" in done.stderr and "/proc/timer_list" in done.stderr
    assert "systempaths=unconfined" in done.stderr and "#284" in done.stderr


@needs_root
def test_the_cli_says_it_too(tmp_path):
    source = tmp_path / "s.py"
    source.write_text("def sigmoid_grad(x):\n    return x\n")
    done = _masked(f"exec {sys.executable} -m graders.cli check {source}")
    assert done.returncode == 2
    assert "cannot start the sandbox" in done.stderr and "systempaths=unconfined" in done.stderr


@needs_root
def test_without_the_masks_the_same_sandbox_starts():
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", sys.executable, "-c",
                           "from graders.sandbox import verify_sandbox; verify_sandbox()"],
                          capture_output=True, text=True, timeout=300, cwd=CHECKOUT)
    assert done.returncode == 0, done.stderr[-2000:]


def test_other_failures_are_left_as_they_are(tmp_path):
    assert explain("bwrap: No permissions to create new namespace") == "bwrap: No permissions to create new namespace"
    unmasked = tmp_path / "mountinfo"
    unmasked.write_text("22 27 0:21 / /proc rw,relatime - proc proc rw\n23 1 0:5 / /dev rw - tmpfs tmpfs rw\n")
    assert masked_proc_paths(unmasked) == []
    message = explain(BWRAP_EPERM, unmasked)  # no masks seen: the likely cause, without listing any
    assert "systempaths=unconfined" in message and "masks parts" not in message
    masked = tmp_path / "masked"
    masked.write_text(unmasked.read_text() + "30 22 0:40 / /proc/acpi ro,relatime - tmpfs tmpfs ro\n")
    assert masked_proc_paths(masked) == ["/proc/acpi"]
    assert "(/proc/acpi)" in explain(BWRAP_EPERM, masked)
