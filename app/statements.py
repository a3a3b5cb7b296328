"""Problem statements: Markdown rendered on the server, LaTeX left for KaTeX in the browser.

Markdown goes through markdown-it-py's CommonMark parser with raw HTML turned off (it is
escaped, not passed through) and its own link check (no javascript: or data: URLs), so a
statement cannot inject markup or script. Math is lifted out before parsing, because Markdown
would otherwise eat its backslashes and underscores, and put back as \\( \\) and \\[ \\] text that
js/math.js renders; without JavaScript the reader sees the LaTeX source.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# $$...$$ (may span lines) first, then $...$ on one line; a \$ is a dollar sign, not math.
MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\\\s])\$", re.DOTALL)
PLACEHOLDER = "NABLAMATH{}X"
PLACED = re.compile(r"NABLAMATH(\d+)X")


@lru_cache(maxsize=512)
def render_statement(markdown: str) -> Markup:
    """Safe HTML for a statement (statements are few and fixed: cached)."""
    pieces: list[str] = []

    def lift(match: re.Match[str]) -> str:
        display, inline = match.group(1), match.group(2)
        if display is None:
            pieces.append(str(escape(f"\\({inline}\\)")))
        else:
            # A wide formula scrolls on its own on a phone, so its box can take the keyboard focus.
            formula = escape("\\[" + display.strip() + "\\]")
            pieces.append(f'<span class="math-scroll" tabindex="0" role="group" aria-label="Formula">{formula}</span>')
        return PLACEHOLDER.format(len(pieces) - 1)

    html = _parser.render(MATH.sub(lift, markdown))
    return Markup(PLACED.sub(lambda m: pieces[int(m.group(1))], html))
