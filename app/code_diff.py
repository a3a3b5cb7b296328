"""Line diffs of two attempts for the diff_table macro (app/templates/macros/results.html)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Kind = Literal["same", "added", "removed", "gap"]


@dataclass(frozen=True)
class DiffRow:
    kind: Kind
    old_line: int | None  # 1-based line numbers; None where the line is not on that side
    new_line: int | None
    text: str


def diff_rows(old: str, new: str, context: int = 3) -> list[DiffRow]:
    """The changed lines with `context` unchanged lines around each change; a "gap" row stands
    for the unchanged lines left out. Identical sources give no rows."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    rows: list[DiffRow] = []
    groups = list(difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_grouped_opcodes(context))
    for index, group in enumerate(groups):
        first = group[0]
        if index > 0 or first[1] > 0 or first[3] > 0:
            rows.append(DiffRow("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffRow("same", i + 1, j + 1, old_lines[i]) for i, j in zip(range(i1, i2), range(j1, j2),
                                                                                     strict=True)]
                continue
            if tag in ("replace", "delete"):
                rows += [DiffRow("removed", i + 1, None, old_lines[i]) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                rows += [DiffRow("added", None, j + 1, new_lines[j]) for j in range(j1, j2)]
    if groups:
        last = groups[-1][-1]
        if last[2] < len(old_lines) or last[4] < len(new_lines):
            rows.append(DiffRow("gap", None, None, ""))
    return rows
