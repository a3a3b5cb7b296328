"""Reading a submitted file: the checks every entry point (CLI, web, API) shares."""

from __future__ import annotations

import codecs
import io
import stat
import tokenize
from pathlib import Path

MAX_BYTES = 256 * 1024


class SubmissionError(ValueError):
    """The file cannot be graded at all; the message says why, in one line."""


def _kib(size: int) -> str:
    # Rounded up: a file one byte over the limit must not read as "256 KiB; the limit is 256 KiB".
    return f"{-(-size // 1024)} KiB"


def decode_submission(data: bytes, name: str = "the file") -> str:
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"{name} is {_kib(len(data))}; the limit is {MAX_BYTES // 1024} KiB")
    if b"\x00" in data:
        raise SubmissionError(f"{name} is a binary file, not Python source")
    encoding = _declared_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1  # an editor shows lines, not byte offsets
        said = "UTF-8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding
        raise SubmissionError(f"{name} is not {said} text (line {line} has the byte 0x{data[exc.start]:02x}, perhaps "
                              "Latin-1 or Windows-1252): save it as UTF-8") from None
    except (LookupError, UnicodeError) as exc:
        # A coding line may name any codec Python knows, text or not: rot13, hex, zlib
        # ("is not a text encoding") or punycode and undefined, which fail on any text.
        # Python itself refuses to run such a file ("encoding problem").
        raise SubmissionError(f"{name} declares the encoding {encoding[:40]!r} on its coding line, which Python "
                              f"cannot read source in ({type(exc).__name__}): remove that line and save the file "
                              "as UTF-8") from None
    return text.removeprefix("\ufeff")


def _declared_encoding(data: bytes) -> str:
    """UTF-8, or what the file's coding line says (`# -*- coding: latin-1 -*-`, PEP 263):
    Python runs such a file, so the grader reads it the same way."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:  # an unknown encoding on the coding line, or a BOM that contradicts it
        return "utf-8"
    return encoding


def read_submission(path: Path) -> str:
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    if path.is_dir():
        raise SubmissionError(f"{path} is a directory, not a Python file")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A pipe would wait forever and /dev/zero never ends (an export may link to either).
            raise SubmissionError(f"{path} is not a regular file (a device, a pipe or a socket)")
        if info.st_size > MAX_BYTES:
            raise SubmissionError(f"{path} is {_kib(info.st_size)}; the limit is {MAX_BYTES // 1024} KiB")
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read it ({exc.strerror})") from None
    return decode_submission(data, str(path))
