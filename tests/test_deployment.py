"""The deployment files agree with each other: docker-compose runs the one-shot migration before
anything that uses the schema, and the worker settings have the same defaults in the Makefile,
the Docker entry point, docker-compose, `make demo` and the docs. (No Docker engine here, so the
files are read, not run.)"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ("WEB_CONCURRENCY", "GRADING_CONCURRENCY", "SERVICES_CONCURRENCY")
ENTRYPOINT_ROLE = {"web": "WEB_CONCURRENCY", "worker": "GRADING_CONCURRENCY", "services": "SERVICES_CONCURRENCY"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_migrate_is_one_shot_and_everything_using_the_schema_waits_for_it(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    assert "migrate" not in services["migrate"].get("depends_on", {})
    for name in ("web", "worker", "services", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}, name


def test_long_running_services_restart_on_their_own(compose):
    for name in ("web", "worker", "services", "beat", "redis", "postgres"):
        assert compose["services"][name]["restart"] in ("always", "unless-stopped"), name


def test_web_no_longer_migrates_by_itself():
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text()
    web = re.search(r"^\s*web\)(.*?);;", entrypoint, re.S | re.M)
    assert web is not None and "db upgrade" not in web.group(1)
    assert re.search(r"^\s*migrate\)\s*exec flask db upgrade", entrypoint, re.M)


def defaults_in_makefile() -> dict[str, str]:
    text = (ROOT / "Makefile").read_text()
    return {name: re.search(rf"^{name} \?= (\S+)$", text, re.M).group(1) for name in SETTINGS}


def defaults_in_entrypoint() -> dict[str, str]:
    text = (ROOT / "scripts" / "docker-entrypoint.sh").read_text()
    found = {}
    for role, name in ENTRYPOINT_ROLE.items():
        line = re.search(rf"^\s*{role}\)(.*)$", text, re.M).group(1)
        found[name] = re.search(rf"\$\{{{name}:-(\w+)\}}", line).group(1)
    return found


def defaults_in_compose(compose) -> dict[str, str]:
    environment = compose["services"]["worker"]["environment"]
    return {name: re.fullmatch(rf"\$\{{{name}:-(\w+)\}}", environment[name]).group(1) for name in SETTINGS}


def defaults_in_demo() -> dict[str, str]:
    text = (ROOT / "scripts" / "demo.py").read_text()
    return {name: re.search(rf'os\.environ\.get\("{name}", "(\w+)"\)', text).group(1) for name in SETTINGS}


def defaults_in_docs() -> dict[str, str]:
    text = (ROOT / "docs" / "operations.md").read_text()
    return {name: re.search(rf"^\| `{name}` \| `(\w+)` \|", text, re.M).group(1) for name in SETTINGS}


def test_worker_settings_have_one_default_everywhere(compose):
    makefile = defaults_in_makefile()
    assert defaults_in_entrypoint() == makefile
    assert defaults_in_compose(compose) == makefile
    assert defaults_in_demo() == makefile
    assert defaults_in_docs() == makefile


def test_makefile_targets_use_the_settings():
    text = (ROOT / "Makefile").read_text()
    assert re.search(r"gunicorn .*--workers \$\(WEB_CONCURRENCY\)", text)
    assert re.search(r"-Q grading -c \$\(GRADING_CONCURRENCY\)", text)
    assert re.search(r"-P threads -c \$\(SERVICES_CONCURRENCY\)", text)


def test_only_the_grading_worker_unmasks_proc_for_bubblewrap(compose):
    # bwrap --proc fails under Docker's masked /proc (docs/security.md, "Docker: the masked /proc").
    for name, service in compose["services"].items():
        options = service.get("security_opt", [])
        assert ("systempaths=unconfined" in options) == (name == "worker"), name
