"""The readable report `nablagrade check` prints: one line per check, each message
once, the visible trial's inputs, expected and received values when it failed,
and what the student's code printed; and the summary table of a batch."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np

WIDTH = 96
INDENT = " " * 8
VALUE_LINES = 6  # lines of one array shown; the rest is elided
PRINTED_LINES = 20  # lines of the student's own output shown
NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def _wrapped(text: str, indent: str = INDENT) -> list[str]:
    lines = []
    for paragraph in text.splitlines() or [""]:
        if paragraph.startswith("    "):  # code and caret lines keep their spacing
            lines.append(indent + paragraph)
            continue
        lines.extend(textwrap.wrap(paragraph, width=WIDTH, initial_indent=indent, subsequent_indent=indent,
                                   replace_whitespace=False) or [""])
    return lines


def _numbers(value: Any) -> Any:
    """The document spells non-finite floats as strings; numbers again for display."""
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    if isinstance(value, str) and value in NONFINITE:
        return NONFINITE[value]
    return value


def show_value(value: Any) -> list[str]:
    """A value of the document (nested lists, a number, or a note such as "array of
    shape (500, 500) (too large to show)") as at most VALUE_LINES lines."""
    value = _numbers(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or not isinstance(value, (list, int, float)):
        return [repr(value)]
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return [repr(value)[:WIDTH]]
    text = np.array2string(array, precision=6, threshold=24, edgeitems=3, max_line_width=WIDTH - 24,
                           suppress_small=False)
    lines = text.splitlines()
    if array.ndim:
        lines[-1] += f"   shape {array.shape}"
    if len(lines) > VALUE_LINES:
        lines = lines[: VALUE_LINES - 1] + [f"... ({len(lines) - VALUE_LINES + 1} more lines)"]
    return lines


def _details(details: dict[str, Any]) -> list[str]:
    lines = []
    for heading, key in (("inputs", "inputs"), ("expected", "expected"), ("received", "received")):
        values = details.get(key) or {}
        if not values:
            continue
        lines.append(f"{INDENT}{heading}:")
        for name, value in values.items():
            shown = show_value(value)
            label = f"{INDENT}  {name} = "
            lines.append(label + shown[0])
            lines.extend(" " * len(label) + line for line in shown[1:])
    return lines


def _problem(problem: dict[str, Any], shown_elsewhere: dict[str, str]) -> list[str]:
    head = f"{problem['id']}: {problem['function']}"
    lines = [f"{head:<60} {_points(problem['score']):>6} / {_points(problem['max_score'])}"]
    checks = problem["checks"]
    failed = [check for check in checks if not check["passed"]]
    # Nothing could run (a syntax error, a file that does not load, the wrong type): every
    # check failed for one reason, said once.
    blocked = len(checks) > 1 and len(failed) == len(checks) and len({c["diagnosis"] for c in failed}) == 1 \
        and len({c["message"] for c in failed if c.get("visible", True)}) == 1
    if blocked:
        check = next(c for c in failed if c.get("visible", True))
        lines.append(f"  FAIL  every check [{check['diagnosis']}]")
        lines.extend(_message(check["message"], problem["id"], shown_elsewhere))
    else:
        said: set[str] = set()
        for check in checks:
            mark = "  pass" if check["passed"] else "  FAIL"
            code = f" [{check['diagnosis']}]" if check["diagnosis"] else ""
            lines.append(f"{mark}  {check['name']}{code}")
            if check["passed"]:
                continue
            if check["message"] not in said:
                said.add(check["message"])
                lines.extend(_message(check["message"], problem["id"], shown_elsewhere))
            if check.get("details"):
                lines.extend(_details(check["details"]))
    for note in problem.get("notes", []):
        lines.extend(_wrapped(f"note: {note}", "  "))
    return lines


def _message(message: str, problem_id: str, shown_elsewhere: dict[str, str]) -> list[str]:
    """The message, or a pointer to the problem above that already said it (a syntax
    error is the same whole-file message for every problem)."""
    if message in shown_elsewhere:
        return [f"{INDENT}(the same message as for {shown_elsewhere[message]} above)"]
    shown_elsewhere[message] = problem_id
    return _wrapped(message)


def render(document: dict[str, Any], filename: str) -> str:
    title = f"nablagrade {document.get('engine_version', '')}: {filename}"
    if document.get("assignment"):
        title += f" (assignment {document['assignment']})"
    lines = [title]
    shown_elsewhere: dict[str, str] = {}
    for problem in document["problems"]:
        lines.append("")
        lines.extend(_problem(problem, shown_elsewhere))
    printed = str(document.get("output") or "")
    if printed.strip():
        lines.append("")
        lines.append("Your code printed:")
        output = printed.rstrip("\n").splitlines()
        lines.extend(f"  | {line[:WIDTH]}" for line in output[:PRINTED_LINES])
        if len(output) > PRINTED_LINES:
            lines.append(f"  ... ({len(output) - PRINTED_LINES} more lines)")
    lines.append("")
    lines.append(f"Total: {_points(document['score'])} / {_points(document['max_score'])}")
    return "\n".join(lines)


def summary(rows: list[tuple[str, dict[str, Any] | None, str]]) -> str:
    """The table after a batch's reports: one row per file, with its score, or why it
    was not graded. `rows` holds (path, document or None, error)."""
    width = min(max([len(path) for path, _, _ in rows] + [4]), 60)
    lines = [f"Summary of {len(rows)} files", f"{'file':<{width}}  {'score':>15}  result"]
    full = short = failed = 0
    for path, document, error in rows:
        name = path if len(path) <= width else "..." + path[-(width - 3):]
        if document is None:
            failed += 1
            lines.append(f"{name:<{width}}  {'-':>15}  not graded: {error}")
            continue
        score = f"{_points(document['score'])} / {_points(document['max_score'])}"
        if document["passed"]:
            full += 1
            result = "full marks"
        else:
            short += 1
            below = [p for p in document["problems"] if not p["passed"]]
            names = ", ".join(p["id"] for p in below) if len(below) <= 3 else \
                f"{len(below)} of {len(document['problems'])} problems"
            codes = {p["diagnosis"] for p in below}
            result = f"short on {names}" + (f" ({codes.pop()})" if len(codes) == 1 and len(below) > 1 else "")
        lines.append(f"{name:<{width}}  {score:>15}  {result}")
    lines.append(f"{full} with full marks, {short} short, {failed} not graded")
    return "\n".join(lines)
