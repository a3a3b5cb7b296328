"""The readable report `nablagrade check` prints: one line per check, each message
once, the visible trial's inputs, expected and received values when it failed,
and what the student's code printed; and the summary table of a batch."""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from typing import Any

import numpy as np

WIDTH = 96  # the widest report; a narrower terminal gets a narrower one (`render(width=...)`)
NARROWEST = 40
INDENT = " " * 8
VALUE_LINES = 8  # lines of one value shown (a 7-vector as a column and its shape); the rest is elided
PRINTED_LINES = 20  # lines of the student's own output shown
NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def printable(text: str) -> str:
    """`text` with its control and format characters spelt out ("\\x1b"): what a student
    printed, raised or named a file must not clear the TA's terminal, colour it, move
    the cursor over the score, or reverse a line (U+202E)."""
    return "".join(c if c in "\n" or (c == "\t") or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co")
                   else f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in text)


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def _score(scored: dict[str, Any]) -> str:
    """'7.5 / 10' of a document or of one of its problems."""
    return f"{_points(scored['score'])} / {_points(scored['max_score'])}"


def _wrapped(text: str, indent: str = INDENT, width: int = WIDTH, first: str | None = None) -> list[str]:
    """`text` wrapped to `width`; `first` replaces the indent of the very first line."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        start = first if first is not None and not lines else indent
        if paragraph.startswith("    "):  # code and caret lines keep their spacing
            lines.append(start + paragraph)
            continue
        lines.extend(textwrap.wrap(paragraph, width=width, initial_indent=start, subsequent_indent=indent,
                                   replace_whitespace=False, break_on_hyphens=False) or [start.rstrip()])
    return lines


def _numbers(value: Any) -> Any:
    """The document spells non-finite floats as strings; numbers again for display."""
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    if isinstance(value, str) and value in NONFINITE:
        return NONFINITE[value]
    return value


def _scalar(value: int | float) -> str:
    """An int as an int (`steps = 6`, not `6.`), a float as a float (`beta = 3.0`)."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.7g}"
    return text if any(mark in text for mark in (".", "e", "n")) else text + ".0"


def _fixed_point_reads_well(array: np.ndarray) -> bool:
    """Six decimals show every entry that matters when the largest is neither tiny nor
    huge: a Jacobian whose smallest entries are 1e-5 then reads like the student's,
    not in exponents that wrap it over twice as many lines."""
    finite = np.abs(array[np.isfinite(array)])
    return finite.size > 0 and 1e-3 <= float(finite.max()) < 1e8


def show_value(value: Any, width: int = WIDTH) -> list[str]:
    """A value of the document (nested lists, a number, or a note such as "array of
    shape (500, 500) (too large to show)") as at most VALUE_LINES lines of about
    `width` characters."""
    value = _numbers(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or not isinstance(value, (list, int, float)):
        return [repr(value)[:width]]
    if not isinstance(value, list):
        return [_scalar(value)]
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iu":
            array = array.astype(np.float64)
    except (TypeError, ValueError):
        return [repr(value)[:width]]
    text = np.array2string(array, precision=6, threshold=24, edgeitems=3, max_line_width=max(width, 20),
                           suppress_small=array.dtype.kind == "f" and _fixed_point_reads_well(array))
    lines = text.splitlines()
    shape = f"   shape {array.shape}"
    if len(lines[-1]) + len(shape) <= width:
        lines[-1] += shape
    else:
        lines.append(shape.strip())
    if len(lines) > VALUE_LINES:
        lines = lines[: VALUE_LINES - 1] + [f"... ({len(lines) - VALUE_LINES + 1} more lines)"]
    return lines


def _details(details: dict[str, Any], width: int) -> list[str]:
    lines = []
    inputs = details.get("inputs") or {}
    for heading, key in (("inputs", "inputs"), ("expected", "expected"), ("received", "received")):
        values = details.get(key) or {}
        if not values:
            continue
        lines.append(f"{INDENT}{heading}:")
        for name, value in values.items():
            # An answer named after an input is the derivative with respect to it: "x = "
            # under "expected" would read as the value of x shown above.
            shown_name = f"d/d{name}" if key != "inputs" and name in inputs else name
            label = f"{INDENT}  {shown_name} = "
            shown = show_value(value, max(width - len(label), 20))
            lines.append(label + shown[0])
            lines.extend(" " * len(label) + line for line in shown[1:])
    return lines


def _headline(problem: dict[str, Any], width: int) -> str:
    """The problem and its score, the scores in one column when the width allows it."""
    head, score = f"{problem['id']}: {problem['function']}", _points(problem["score"])
    column = min(60, width - 16)
    line = f"{head:<{column}} {score:>6}" if len(head) < column else f"{head} {score}"
    return f"{line} / {_points(problem['max_score'])}"


def _problem(problem: dict[str, Any], shown_elsewhere: dict[str, str], width: int) -> list[str]:
    lines = [_headline(problem, width)]
    checks = problem["checks"]
    check = _blocking(problem)
    if check is not None:  # every check failed for one reason, said once
        lines.append(f"  FAIL  every check [{check['diagnosis']}]")
        lines.extend(_message(check["message"], problem["id"], shown_elsewhere, width))
    else:
        said: set[str] = set()
        detailed: set[str] = set()
        for check in checks:
            mark = "  pass  " if check["passed"] else "  FAIL  "
            code = f" [{check['diagnosis']}]" if check["diagnosis"] else ""
            lines.extend(_wrapped(f"{check['name']}{code}", INDENT, width, first=mark))
            if check["passed"]:
                continue
            if check["message"] not in said:
                said.add(check["message"])
                lines.extend(_message(check["message"], problem["id"], shown_elsewhere, width))
            # The values behind a message are shown once: the same transposed answer on
            # every trial, shown three times, would only bury the rest of the report.
            if check.get("details") and check["message"] not in detailed:
                detailed.add(check["message"])
                lines.extend(_details(check["details"], width))
    for note in problem.get("notes", []):
        lines.extend(_wrapped(f"note: {note}", "  ", width))
    return lines


def _blocking(problem: dict[str, Any]) -> dict[str, Any] | None:
    """The check that says why nothing of this problem could run, when every check failed
    for that one reason (a syntax error, a file that does not load, the wrong type)."""
    checks = problem["checks"]
    failed = [check for check in checks if not check["passed"]]
    if len(checks) > 1 and len(failed) == len(checks) and len({c["diagnosis"] for c in failed}) == 1 \
            and len({c["message"] for c in failed if c.get("visible", True)}) == 1:
        return next(c for c in failed if c.get("visible", True))
    return None


def _whole_file_failure(problems: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one check that stopped every problem of the file, if one reason did."""
    blocking = [_blocking(problem) for problem in problems]
    if len(problems) > 1 and all(blocking) and len({check["message"] for check in blocking}) == 1:
        return blocking[0]
    return None


def _message(message: str, problem_id: str, shown_elsewhere: dict[str, str], width: int) -> list[str]:
    """The message, or a pointer to the problem above that already said it (a syntax
    error is the same whole-file message for every problem)."""
    if message in shown_elsewhere:
        return _wrapped(f"(the same message as for {shown_elsewhere[message]} above)", INDENT, width)
    shown_elsewhere[message] = problem_id
    return _wrapped(message, INDENT, width)


def render(document: dict[str, Any], filename: str, width: int = WIDTH) -> str:
    """The report of one file, its lines at most about `width` characters (a long
    file name or a long line of code may run over)."""
    width = max(width, NARROWEST)
    title = f"nablagrade {document.get('engine_version', '')}: {filename}"
    if document.get("assignment"):
        title += f" (assignment {document['assignment']})"
    lines = [title]
    shown_elsewhere: dict[str, str] = {}
    whole_file = _whole_file_failure(document["problems"])
    if whole_file is not None:
        # A syntax error, an empty file, a loop at module level: said once, then the scores.
        lines += ["", f"FAIL  every problem [{whole_file['diagnosis']}]", *_wrapped(whole_file["message"], INDENT, width),
                  ""]
        lines += [_headline(p, width) for p in document["problems"]]
    for problem in document["problems"] if whole_file is None else []:
        lines.append("")
        lines.extend(_problem(problem, shown_elsewhere, width))
    printed = str(document.get("output") or "")
    if printed.strip():
        lines.append("")
        lines.append("Your code printed:")
        output = printed.rstrip("\n").splitlines()
        lines.extend(f"  | {line[:width - 4]}" for line in output[:PRINTED_LINES])
        if len(output) > PRINTED_LINES:
            lines.append(f"  ... ({len(output) - PRINTED_LINES} more lines)")
    lines.append("")
    lines.append(f"Total: {_score(document)}")
    return printable("\n".join(lines).expandtabs(4))


def _cells(text: str) -> int:
    """Terminal cells `text` takes: a CJK character takes two, a combining accent none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, cells: int) -> str:
    """`text` padded to `cells` terminal cells, or cut from the left ("...export/bob/hw1.py")."""
    if _cells(text) > cells:
        while text and _cells(text) > cells - 3:
            text = text[1:]
        text = "..." + text
    return text + " " * (cells - _cells(text))


def why_not_graded(error: str, path: str) -> str:
    """The reason of a file's error without the path it starts with, for a table that
    shows the path in its own column ("batch/a.py is a binary file" -> "a binary file")."""
    reason = error.removeprefix(path).lstrip(":").strip()
    # A long aside (the list of the bank's functions) is for the file's own message, not a table.
    reason = re.sub(r" \([^()]{30,}\)", "", reason)
    return reason.removeprefix("is ") or error


def _shortfall(document: dict[str, Any]) -> str:
    below = [p for p in document["problems"] if not p["passed"]]
    names = ", ".join(p["id"] for p in below) if len(below) <= 3 else \
        f"{len(below)} of {len(document['problems'])} problems"
    codes = {p["diagnosis"] for p in below} - {None}
    return f"short on {names}" + (f" ({codes.pop()})" if len(codes) == 1 else "")


def summary(rows: list[tuple[str, dict[str, Any] | None, str]], width: int = WIDTH) -> str:
    """The table after a batch's reports: one row per file, with its score, or why it
    was not graded, each row cut to `width`. `rows` holds (path, document or None, error)."""
    width = max(width, NARROWEST)
    rows = [(printable(path), document, printable(error)) for path, document, error in rows]
    column = min(max([_cells(path) for path, _, _ in rows] + [4]), 60, width // 2 - 4)
    scores = [_score(d) for _, d, _ in rows if d is not None]
    score_width = max([len(score) for score in scores] + [5])
    lines = [f"Summary of {len(rows)} files", f"{_fit('file', column)}  {'score':>{score_width}}  result"]
    full = short = failed = 0
    for path, document, error in rows:
        if document is None:
            failed += 1
            score, result = "-", f"not graded: {why_not_graded(error, path)}"
        else:
            score = _score(document)
            full, short = (full + 1, short) if document["passed"] else (full, short + 1)
            result = "full marks" if document["passed"] else _shortfall(document)
        start = f"{_fit(path, column)}  {score:>{score_width}}  "
        # A result too long for the line goes on below it, under its column if there is room.
        room = width - _cells(start)
        indent = " " * _cells(start) if room >= 24 else "    "
        wrapped = textwrap.wrap(result, width=width - len(indent), break_on_hyphens=False)
        lines.append(start + wrapped[0] if room >= 24 or _cells(start + wrapped[0]) <= width else start.rstrip())
        lines.extend(indent + line for line in (wrapped[1:] if lines[-1].endswith(wrapped[0]) else wrapped))
    lines.append(f"{full} with full marks, {short} short, {failed} not graded")
    return "\n".join(lines)
