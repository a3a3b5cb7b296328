"""`make demo`'s script on the embedded stack: SQLite, the filesystem broker, four processes,
a green /healthz, a graded submission, and nothing left running after it stops; one demo per
instance folder; a process that exits on its own is started again."""

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.servers import ROOT, free_port, wait_for


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


class RunningDemo:
    """`scripts/demo.py` in the background, its output collected line by line."""

    def __init__(self, instance: Path, port: int) -> None:
        self.instance, self.port = instance, port
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "scripts/demo.py", "--port", str(port)], cwd=ROOT,
                                        env=demo_env(instance), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, text: str, timeout: float = 120) -> str:
        def found() -> str | None:
            if self.process.poll() is not None and not self.reader.is_alive():
                raise AssertionError(f"the demo exited ({self.process.returncode}):\n{self.output()}")
            return next((line for line in self.lines if text in line), None)

        return wait_for(found, timeout, f"{text!r} from the demo", interval=0.1)

    def owner(self) -> dict:
        return json.loads((self.instance / "demo.lock").read_text())

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(60)
        self.reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code


def demo_env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NABLAGRADE_", "CELERY_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(NABLAGRADE_INSTANCE=str(instance), PYTHONWARNINGS="ignore")
    return env


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def healthz(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read() or b"{}")
    except OSError:
        return {}


def test_a_second_demo_on_the_same_instance_refuses_and_names_the_first(tmp_path):
    instance = tmp_path / "instance"
    first = RunningDemo(instance, free_port())
    try:
        first.wait_for_line("nablagrade is up")
        second_port = free_port()
        second = subprocess.run([sys.executable, "scripts/demo.py", "--port", str(second_port)], cwd=ROOT,
                                env=demo_env(instance), capture_output=True, text=True, timeout=60)
        assert second.returncode == 2, second.stdout + second.stderr
        assert f"{instance} is in use by another `make demo`: pid {first.process.pid}," in second.stderr
        assert f"http://127.0.0.1:{first.port}" in second.stderr
        assert f"  {first.process.pid}  the demo (scripts/demo.py)" in second.stderr
        for role, pid in first.owner()["processes"].items():  # the workers it started hold the lock too
            assert f"  {pid}  {role}\n" in second.stderr
        assert "NABLAGRADE_INSTANCE=" in second.stderr
        assert "database:" not in second.stdout  # refused before migrating or starting anything
        assert healthz(second_port) == {}
        assert healthz(first.port)["status"] == "ok"  # the first one is untouched
        # Links and webhook result_urls name the demo's own address, in its processes and in a
        # `flask` command run beside it, not the default http://localhost:5000.
        url = f"http://127.0.0.1:{first.port}"
        for pid in first.owner()["processes"].values():
            assert f"NABLAGRADE_PUBLIC_URL={url}".encode() in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        beside = subprocess.run([sys.executable, "-c", "from app import create_app; print(create_app().config['PUBLIC_URL'])"],
                                cwd=ROOT, env=demo_env(instance), capture_output=True, text=True, timeout=60)
        assert beside.stdout.strip() == url, beside.stderr
    finally:
        assert first.stop() == 0, first.output()


def test_a_lock_left_by_a_dead_demo_does_not_block(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()
    (instance / "demo.lock").write_text(json.dumps({"pid": gone.pid, "url": "http://127.0.0.1:1"}))
    finished = subprocess.run([sys.executable, "scripts/demo.py", "--check", "--port", str(free_port())], cwd=ROOT,
                              env=demo_env(instance), capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "smoke test: submission 1 graded" in finished.stdout
    owner = json.loads((instance / "demo.lock").read_text())
    assert owner["pid"] != gone.pid  # the demo wrote itself in


def test_processes_a_dead_demo_left_running_still_hold_the_instance(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    lock = instance / "demo.lock"
    gone = subprocess.Popen(["true"])
    gone.wait()
    lock.write_text(json.dumps({"pid": gone.pid, "url": "http://127.0.0.1:1", "started": "earlier"}))
    # A worker whose demo was SIGKILLed: it inherited the locked file and still holds it.
    orphan = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\n"
                               f"f = open({str(lock)!r}, 'a+'); fcntl.flock(f, fcntl.LOCK_EX)\n"
                               "print('locked', flush=True); time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert orphan.stdout is not None and orphan.stdout.readline().strip() == "locked"
        refused = subprocess.run([sys.executable, "scripts/demo.py", "--port", str(free_port())], cwd=ROOT,
                                 env=demo_env(instance), capture_output=True, text=True, timeout=60)
    finally:
        orphan.kill()
        orphan.wait()
        if orphan.stdout is not None:
            orphan.stdout.close()
    assert refused.returncode == 2
    assert f"pid {gone.pid} has exited, but processes it started still run and hold demo.lock:" in refused.stderr
    assert f"  {orphan.pid}  {sys.executable} -c import fcntl" in refused.stderr


def test_a_process_that_exits_on_its_own_is_started_again_with_back_off(tmp_path):
    instance = tmp_path / "instance"
    demo = RunningDemo(instance, free_port())
    try:
        demo.wait_for_line("nablagrade is up")
        killed = []
        for attempt, delay in ((1, "1"), (2, "2")):
            pid = demo.owner()["processes"]["grading"]
            killed.append(pid)
            os.killpg(pid, signal.SIGKILL)  # the worker and its pool: as if it crashed
            demo.wait_for_line(f"grading (pid {pid}) exited on its own with signal SIGKILL; "
                               f"starting it again in {delay} s (restart {attempt};")
            restarted = demo.wait_for_line("grading started again (pid ")
            demo.lines.remove(restarted)  # the next round waits for its own line
            new_pid = int(restarted.rsplit("(pid ", 1)[1].rstrip(")"))
            assert alive(new_pid) and new_pid not in killed
            wait_for(lambda pid=new_pid: demo.owner()["processes"]["grading"] == pid, 10, "the lock file to name it")
        assert all(not alive(pid) for pid in killed)
        # The restarted worker grades: /healthz counts it again once it heart-beats.
        wait_for(lambda: healthz(demo.port).get("status") == "ok", 90, "a green /healthz after the restarts")
        log = (instance / "logs" / "demo.log").read_text()
        assert log.count("exited on its own") == 2 and log.count("started again") == 2
        assert demo.process.poll() is None
    finally:
        assert demo.stop() == 0, demo.output()
    assert "stopped." in demo.output()
    leftovers = subprocess.run(["pgrep", "-f", f"--bind 127.0.0.1:{demo.port}"], capture_output=True, text=True)
    assert leftovers.stdout == ""
