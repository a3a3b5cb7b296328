"""Lists: `{"data": [...], "next_cursor": ...}`, paged by keyset.

A cursor is the position after the last row of a page plus the filters of the listing,
signed with the app's key: opaque to a client, useless for another listing or other
filters, and stable while rows are added (no offset that shifts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import marshmallow as ma
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.api.problems import Problem

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageArgs(ma.Schema):
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=2000),
                              metadata={"description": "The `next_cursor` of the previous page; omit for the first."})
    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT),
                              metadata={"description": f"Page size, 1 to {MAX_LIMIT}."})


def list_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of a list of `item`."""
    return ma.Schema.from_dict({
        "data": ma.fields.List(ma.fields.Nested(item), required=True),
        "next_cursor": ma.fields.String(required=True, allow_none=True, metadata={
            "description": "Pass as ?cursor= for the next page; null on the last page."}),
    }, name=name)


def _serializer(listing: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"nablagrade.api.cursor.{listing}")


def encode(listing: str, position: dict[str, Any]) -> str:
    return _serializer(listing).dumps(position)


def decode(listing: str, cursor: str, filters: dict[str, Any]) -> dict[str, Any]:
    """The position a cursor of `listing` holds; a 400 problem when it is not one of ours or
    was made for other filters."""
    try:
        position = _serializer(listing).loads(cursor)
    except BadSignature:
        raise Problem(400, "invalid-cursor", "the cursor is not one this listing gave out; "
                                             "start again without ?cursor=") from None
    if not isinstance(position, dict) or position.get("filters") != filters:
        raise Problem(400, "invalid-cursor", "the cursor was made for other filters; pass the same filters "
                                             "as for the first page, or start again without ?cursor=")
    return position


def page(listing: str, rows: Sequence[T], limit: int, filters: dict[str, Any],
         position_of: Callable[[T], dict[str, Any]]) -> tuple[Sequence[T], str | None]:
    """The page (of `rows`, fetched with limit + 1) and the cursor of the next one."""
    if len(rows) <= limit:
        return rows, None
    shown = rows[:limit]
    return shown, encode(listing, {**position_of(shown[-1]), "filters": filters})
