"""`make demo`'s script on the embedded stack: SQLite, the filesystem broker, four processes,
a green /healthz, a graded submission, and nothing left running after it stops."""

import os
import subprocess
import sys

from tests.support.servers import ROOT, free_port


def test_demo_comes_up_green_and_stops_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NABLAGRADE_", "CELERY_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(NABLAGRADE_INSTANCE=str(tmp_path / "instance"), PYTHONWARNINGS="ignore")
    port = free_port()
    finished = subprocess.run([sys.executable, "scripts/demo.py", "--check", "--port", str(port)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    out = finished.stdout
    assert "database: sqlite, broker: filesystem" in out
    assert f"nablagrade is up: http://127.0.0.1:{port}" in out
    assert "instructor@example.edu" in out and "password: nablagrade" in out
    assert "smoke test: submission 1 graded 100.0/100.0" in out
    assert out.rstrip().endswith("stopped.")
    assert (tmp_path / "instance" / "nablagrade.sqlite3").exists()
    assert (tmp_path / "instance" / "secret_key").exists()
    logs = tmp_path / "instance" / "logs"
    assert {p.name for p in logs.iterdir()} == {"web.log", "grading.log", "services.log", "beat.log"}
    assert "ready" in (logs / "grading.log").read_text()
    leftovers = subprocess.run(["pgrep", "-f", f"--bind 127.0.0.1:{port}"], capture_output=True, text=True)
    assert leftovers.stdout == ""
