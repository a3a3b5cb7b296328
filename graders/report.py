"""The readable report `nablagrade check` prints: one line per check, then the
messages a student needs to fix what failed."""

from __future__ import annotations

import textwrap
from typing import Any


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def render(document: dict[str, Any], filename: str) -> str:
    lines = []
    title = f"nablagrade {document.get('engine_version', '')}: {filename}"
    if document.get("assignment"):
        title += f" (assignment {document['assignment']})"
    lines.append(title)
    for problem in document["problems"]:
        lines.append("")
        head = f"{problem['id']}: {problem['function']}"
        lines.append(f"{head:<52} {_points(problem['score']):>6} / {_points(problem['max_score'])}")
        for check in problem["checks"]:
            mark = "  pass" if check["passed"] else "  FAIL"
            code = f" [{check['diagnosis']}]" if check["diagnosis"] else ""
            lines.append(f"{mark}  {check['name']}{code}")
            if not check["passed"]:
                for paragraph in check["message"].splitlines():
                    lines.extend(textwrap.wrap(paragraph, width=96, initial_indent="        ",
                                               subsequent_indent="        ", replace_whitespace=False) or [""])
        for note in problem.get("notes", []):
            lines.append(f"  note: {note}")
    lines.append("")
    lines.append(f"Total: {_points(document['score'])} / {_points(document['max_score'])}")
    return "\n".join(lines)
