"""The one start-up step that writes to disk, run before the app starts (`make demo`,
the Makefile's service targets, the Docker entrypoint): `python -m app.setup`.

It makes what the embedded set-up needs under instance/: the folder, the filesystem
broker's folders, and a secret key when SECRET_KEY is unset. A production deployment sets
SECRET_KEY, DATABASE_URL and REDIS_URL, and then this writes nothing at all.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from app import config


def write_secret_key(path: Path) -> bool:
    """A new random key at `path` unless one is there; True if this call wrote it."""
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return True


def prepare_instance(instance: Path | None = None) -> list[str]:
    """Create what the configuration expects to find under instance/; returns what it did."""
    instance = Path(instance or config.instance_path())
    done: list[str] = []
    folders: list[Path] = []
    if not os.environ.get("DATABASE_URL", "").strip():
        folders.append(instance)  # the SQLite file's folder
    if config.broker_url().startswith("filesystem://"):
        folders.extend(config.filesystem_broker_folders(instance).values())
    want_key = not os.environ.get("SECRET_KEY", "").strip()
    if want_key:
        folders.append(instance)
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            done.append(f"created {folder}")
    if want_key and write_secret_key(instance / config.SECRET_KEY_FILE):
        done.append(f"generated a secret key in {instance / config.SECRET_KEY_FILE}")
    return done


def main() -> int:
    for line in prepare_instance():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
