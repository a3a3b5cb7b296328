"""What every page template can use (docs/frontend.md): cache-busted asset URLs, the filters that
format numbers and times, heat_map() from app.charts and diff_rows() from app.code_diff; plus the style guide in debug and test runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from flask_wtf.csrf import generate_csrf

from app.charts import heat_map
from app.code_diff import diff_rows
from app.result_view import as_rows, shape_text

# A year: a URL with ?v=<digest> changes whenever the file does, so it can be cached forever.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"

_digests: dict[str, tuple[float, str]] = {}


def count_of(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 student', '3 students': a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def asset_url(filename: str) -> str:
    """URL of a file under app/static with a content digest, so browsers cache it until it changes."""
    path = Path(current_app.static_folder or "") / filename
    mtime = path.stat().st_mtime
    cached = _digests.get(filename)
    if cached is None or cached[0] != mtime:
        cached = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
        _digests[filename] = cached
    return url_for("static", filename=filename, v=cached[1])


def _cache_static(response: Response) -> Response:
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.headers["Cache-Control"] = IMMUTABLE_CACHE
    return response


def short_number(value: float | None) -> str:
    """A number in a table cell: three significant digits, exponent form when tiny or huge."""
    if value is None:
        return "—"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e5:
        return f"{value:.4g}"
    return f"{value:.2e}"


def utc_iso(moment: dt.datetime | None) -> str:
    """ISO 8601 in UTC for <time datetime>; the database stores naive UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_text(moment: dt.datetime | None) -> str:
    """The same moment for people (and for pages read without JavaScript)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%a %d %b %Y, %H:%M UTC")


def epoch_utc(seconds: float) -> str:
    return utc_text(dt.datetime.fromtimestamp(seconds, dt.UTC))


def points(value: float | None) -> str:
    """Points as people write them: 7.5, 10, 0.25 (never 7.500000001)."""
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute") if minutes else "less than a minute"


def time_left(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "2 days 3 hours left" or "5 hours ago"; js/localtime.js words it the same way."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = (moment - (now or dt.datetime.now(dt.UTC))).total_seconds()
    return f"{_span(seconds)} left" if seconds >= 0 else f"{_span(-seconds)} ago"


def init_app(app: Flask) -> None:
    """Template helpers, static caching, and the style guide in debug and test runs."""
    app.jinja_env.globals.update(asset_url=asset_url, heat_map=heat_map, diff_rows=diff_rows, as_rows=as_rows,
                                 shape_text=shape_text)
    # The token base.html puts in a <meta> for htmx requests (js/live.js); CSRFProtect sets the same.
    app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
    app.jinja_env.filters.update(short_number=short_number, utc_iso=utc_iso, utc_text=utc_text, epoch_utc=epoch_utc,
                                 points=points, time_left=time_left)
    app.after_request(_cache_static)
    if app.debug or app.testing or app.config.get("STYLEGUIDE"):
        from app.styleguide import bp as styleguide_bp

        app.register_blueprint(styleguide_bp, url_prefix="/styleguide")
