"""Reading a submitted file: the checks every entry point (CLI, web, API) shares."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 256 * 1024


class SubmissionError(ValueError):
    """The file cannot be graded at all; the message says why, in one line."""


def decode_submission(data: bytes, name: str = "the file") -> str:
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"{name} is {len(data) / 1024:.0f} KiB; the limit is {MAX_BYTES // 1024} KiB")
    if b"\x00" in data:
        raise SubmissionError(f"{name} is a binary file, not Python source")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"{name} is not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def read_submission(path: Path) -> str:
    if not path.exists():
        raise SubmissionError(f"{path}: no such file")
    if path.is_dir():
        raise SubmissionError(f"{path} is a directory, not a Python file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SubmissionError(f"{path} is {size / 1024:.0f} KiB; the limit is {MAX_BYTES // 1024} KiB")
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read it ({exc.strerror})") from None
    return decode_submission(data, str(path))
