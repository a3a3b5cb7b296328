"""/api/v1/docs: the API reference as a page, rendered on the server from the same OpenAPI
document as /api/v1/openapi.json. No script and no outside asset, so the strict CSP holds."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, current_app, render_template
from markupsafe import Markup, escape

from app.api.problems import TYPES
from app.services import tokens

bp = Blueprint("api-reference", __name__)

METHODS = ("get", "post", "put", "patch", "delete")
CODE = re.compile(r"`([^`]+)`")


def inline_code(text: str | None) -> Markup:
    """Escaped text with `backticks` as <code> and blank lines as paragraph breaks."""
    paragraphs = [CODE.sub(r"<code>\1</code>", str(escape(p.replace("\n", " "))))
                  for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs))


def schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def type_of(schema: dict[str, Any] | None) -> Markup:
    """A schema's type in a few words, a $ref as a link to its section."""
    if not schema:
        return Markup("any")
    if "$ref" in schema:
        name = schema_name(schema["$ref"])
        return Markup(f'<a href="#schema-{escape(name)}">{escape(name)}</a>')
    kind = schema.get("type", "object")
    kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if k != "null"] or ["null"]
    words = []
    for k in kinds:
        if k == "array":
            words.append(Markup("array of ") + type_of(schema.get("items")))
        else:
            words.append(escape(k + (f" ({schema['format']})" if schema.get("format") else "")))
    text = Markup(" or ").join(words)
    if isinstance(kind, list) and "null" in kind:
        text += Markup(", or null")
    if schema.get("enum"):
        text += Markup(": one of ") + Markup(", ").join(Markup(f"<code>{escape(v)}</code>") for v in schema["enum"])
    return text


def operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in doc.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method in item:
                op = item[method]
                found.append({"method": method, "path": path, "op": op,
                              "parameters": shared + op.get("parameters", []),
                              "anchor": f"op-{method}-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-')}"})
    return found


@bp.get("/docs")
def reference() -> str:
    document = current_app.extensions["nablagrade.api"].document()
    return render_template("api/reference.html", doc=document, operations=operations(document),
                           problem_types=TYPES, scopes=tokens.SCOPE_HELP, text=inline_code, type_of=type_of,
                           schema_name=schema_name, as_json=lambda value: json.dumps(value, indent=2))
