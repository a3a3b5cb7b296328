"""The sandbox for untrusted submissions: bubblewrap as an unprivileged uid, a
warm fork-server inside it, rlimits and a seccomp filter per job.

`sandbox_runner()` is the one runner the CLI and the Celery worker use; it
raises `SandboxUnavailable` (saying what is missing) rather than run unisolated.
"""

from graders.sandbox.errors import SandboxUnavailable
from graders.sandbox.pool import SandboxRunner, sandbox_runner, verify_sandbox

__all__ = ["SandboxRunner", "SandboxUnavailable", "sandbox_runner", "verify_sandbox"]
