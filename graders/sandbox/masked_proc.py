"""Why bubblewrap cannot mount /proc in a container, said in words an operator can act on.

Docker masks parts of the container's /proc (tmpfs or /dev/null mounted over /proc/acpi,
/proc/kcore, /proc/timer_list, ...; /proc/sys, /proc/fs read-only). Inside the new user
namespace bwrap creates, those mounts are locked, and the kernel then refuses any new
proc mount (it would reveal what they hide): `bwrap --proc /proc` fails with EPERM
(bubblewrap issues #284 and #505). Binding the container's /proc instead would show the
worker's processes to student code, so the fix is on the container: unmask /proc for the
grading worker (`security_opt: systempaths=unconfined`).
"""

from __future__ import annotations

from pathlib import Path

PROC_MOUNT_REFUSED = ("Can't mount proc", "Operation not permitted")
ADVICE = ("give the grading worker container `security_opt: [systempaths=unconfined]` (`docker run "
          "--security-opt systempaths=unconfined`), as docker-compose.yml does; see docs/security.md")


def masked_proc_paths(mountinfo: Path = Path("/proc/self/mountinfo")) -> list[str]:
    """Mount points strictly below /proc: what masks parts of it."""
    try:
        lines = mountinfo.read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split()
        if len(fields) > 4 and fields[4].startswith("/proc/"):
            found.append(fields[4].replace("\\040", " "))
    return found


def explain(detail: str, mountinfo: Path = Path("/proc/self/mountinfo")) -> str:
    """`detail` (bwrap's error output) with the cause and the fix appended when it is
    the masked-/proc failure; unchanged otherwise."""
    if not all(words in detail for words in PROC_MOUNT_REFUSED):
        return detail
    masked = masked_proc_paths(mountinfo)
    if masked:
        shown = ", ".join(masked[:6]) + (f" and {len(masked) - 6} more" if len(masked) > 6 else "")
        cause = (f"bubblewrap cannot mount a fresh /proc because this container masks parts of /proc "
                 f"({shown}); the kernel refuses a new proc mount over masked paths (Docker's default "
                 "masking: bubblewrap issues #284 and #505)")
    else:
        cause = ("bubblewrap cannot mount a fresh /proc (EPERM); in a container this is Docker's masked "
                 "/proc (bubblewrap issues #284 and #505)")
    return f"{detail} -- {cause}: {ADVICE}"
