"""Chart data and heat maps (app/charts.py), template helpers (app/ui.py) and the macros (app/templates/macros) rendered on their own."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pytest
from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired

from app import charts, code_diff, create_app, ui


@pytest.fixture(scope="module")
def ui_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    instance: Path = tmp_path_factory.mktemp("ui-instance")
    return create_app({"TESTING": True, "SECRET_KEY": "ui-tests", "INSTANCE_PATH": str(instance),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'unused.sqlite3'}",
                       "CELERY_BROKER_URL": "memory://", "WTF_CSRF_ENABLED": False})


def render(app: Flask, source: str, **context: object) -> str:
    with app.test_request_context():
        return render_template_string(source, **context)


# ---- heat map ------------------------------------------------------------------------------------

def test_heat_map_of_a_transposed_answer() -> None:
    reference = np.arange(16, dtype=float).reshape(4, 4) ** 1.5
    hm = charts.heat_map(reference.T - reference, 1e-8)
    levels = [[cell.level for cell in row] for row in hm.rows]
    assert [levels[i][i] for i in range(4)] == [0, 0, 0, 0]  # the diagonal of a transpose is right
    assert hm.over_count == 12 and hm.total == 16 and hm.block == 1
    assert (hm.worst.row, hm.worst.col) in {(0, 3), (3, 0)}
    assert hm.worst.level == charts.HEAT_LEVELS and sum(c.worst for row in hm.rows for c in row) == 1
    # Larger errors never get a lighter shade.
    cells = sorted((c for row in hm.rows for c in row), key=lambda c: c.value)
    assert [c.level for c in cells] == sorted(c.level for c in cells)
    assert hm.bounds[-1] == pytest.approx(hm.worst.value)
    assert [low for _, low, _ in hm.legend][0] == 1e-8


def test_heat_map_counts_nan_and_inf_as_the_worst() -> None:
    diff = np.full((3, 3), 1e-12)
    diff[1, 2] = 5.0
    diff[2, 0] = np.nan
    hm = charts.heat_map(diff, 1e-6)
    assert hm.over_count == 2 and hm.nonfinite_count == 1
    worst = hm.rows[2][0]
    assert worst.worst and not worst.finite and worst.over and worst.level == charts.HEAT_LEVELS
    assert hm.rows[1][2].over and hm.rows[1][2].finite and not hm.rows[0][0].over


def test_heat_map_pools_large_matrices_into_block_maxima() -> None:
    diff = np.zeros((50, 30))
    diff[47, 3] = 2.0
    hm = charts.heat_map(diff, 1e-6, max_side=10)
    assert hm.block == 5 and len(hm.rows) == 10 and len(hm.rows[0]) == 6
    cell = hm.rows[9][0]
    assert cell.worst and cell.value == 2.0 and (cell.row, cell.col) == (45, 0)
    assert hm.over_count == 1


def test_heat_map_shapes() -> None:
    assert charts.heat_map(np.ones(5), 0.5).shape == (5, 1)
    assert charts.heat_map(3.0, 1.0).shape == (1, 1)
    assert charts.heat_map(np.zeros((2, 2)), 0.0).over_count == 0  # exact answers with a zero threshold
    with pytest.raises(ValueError):
        charts.heat_map(np.zeros((2, 2, 2)), 1.0)
    with pytest.raises(ValueError):
        charts.heat_map(np.zeros((0, 3)), 1.0)


# ---- charts --------------------------------------------------------------------------------------

def test_histogram_bins_on_the_server() -> None:
    spec = charts.histogram_chart([0, 9.9, 10, 55, 100, None, float("nan")], bins=10, value_range=(0, 100))
    assert spec["kind"] == "histogram" and len(spec["edges"]) == 11
    assert spec["counts"][0] == 2 and spec["counts"][1] == 1 and spec["counts"][-1] == 1  # 100 is in the last bin
    assert sum(spec["counts"]) == spec["total"] == 5
    assert charts.histogram_chart([])["counts"] == [0] * 10


def test_bar_and_series_specs() -> None:
    bars = charts.bar_chart(["a", "b"], [50.0, float("nan")])
    assert bars["values"] == [50.0, None]
    with pytest.raises(ValueError):
        charts.bar_chart(["a"], [1.0, 2.0])
    start = dt.datetime(2026, 3, 1, 12, 0)  # naive: UTC, as the database stores it
    series = charts.series_chart([start, start + dt.timedelta(hours=1)], {"n": [1, None]},
                             marks=[(start, "Deadline")])
    assert series["x"][0] == dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC).timestamp()
    assert series["series"][0]["values"] == [1.0, None] and series["marks"][0]["label"] == "Deadline"
    with pytest.raises(ValueError):
        charts.series_chart([start], {"n": [1, 2]})


# ---- numbers and times ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (None, "—"), (math.nan, "NaN"), (math.inf, "∞"), (-math.inf, "−∞"), (0.0, "0"), (1.5, "1.5"),
    (0.001234, "0.001234"), (3.1e-16, "3.10e-16"), (123456.0, "1.23e+05"), (-0.25, "-0.25"),
])
def test_short_number(value: float | None, text: str) -> None:
    assert ui.short_number(value) == text


@pytest.mark.parametrize(("value", "text"), [(7.5, "7.5"), (10.0, "10"), (7.500000001, "7.5"), (0.25, "0.25"),
                                              (-0.0, "0"), (None, "—")])
def test_points(value: float | None, text: str) -> None:
    assert ui.points(value) == text


NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
TIME_LEFT_CASES = [(2 * 86400 + 3 * 3600 + 59, "2 days 3 hours left"), (86400, "1 day left"),
                   (3600 + 60, "1 hour 1 minute left"), (59, "less than a minute left"), (0, "less than a minute left"),
                   (-5 * 3600, "5 hours ago"), (-120, "2 minutes ago"), (-(86400 + 7200), "1 day 2 hours ago")]


@pytest.mark.parametrize(("seconds", "text"), TIME_LEFT_CASES)
def test_time_left(seconds: int, text: str) -> None:
    assert ui.time_left(NOW + dt.timedelta(seconds=seconds), NOW) == text


def test_utc_texts_treat_naive_times_as_utc() -> None:
    naive = dt.datetime(2026, 3, 1, 23, 59)
    assert ui.utc_iso(naive) == "2026-03-01T23:59:00Z"
    assert ui.utc_iso(naive.replace(tzinfo=dt.timezone(dt.timedelta(hours=2)))) == "2026-03-01T21:59:00Z"
    assert ui.utc_text(naive) == "Sun 01 Mar 2026, 23:59 UTC"


# ---- macros --------------------------------------------------------------------------------------

BADGES = '{% from "macros/ui.html" import status_badge, STATUSES %}{% for s in statuses %}{{ status_badge(s) }}\n{% endfor %}'


def test_every_badge_has_an_icon_and_a_word(ui_app: Flask) -> None:
    statuses = ["queued", "running", "graded", "error", "pass", "fail", "partial", "unstable", "hidden", "late",
                "extension", "overridden", "skipped", "something_new"]
    html = render(ui_app, BADGES, statuses=statuses)
    badges = html.strip().splitlines()
    assert len(badges) == len(statuses)
    for badge in badges:
        assert '<svg class="icon' in badge and 'aria-hidden="true"' in badge
        word = re.search(r'<span class="badge__word">([^<]+)</span>', badge).group(1)
        assert word.strip()
    assert "Grading failed" in badges[3] and "Something new" in badges[-1]


def test_a_failed_grading_is_never_shown_as_a_score(ui_app: Flask) -> None:
    html = render(ui_app, '{% from "macros/ui.html" import score %}{{ score(none, 25) }}|{{ score(7.5, 10) }}')
    ungraded, graded = html.split("|")
    assert "Not graded yet" in ungraded and "0" not in re.sub(r"<[^>]+>", "", ungraded)
    assert "7.5" in graded and "(75%)" in graded and 'width="75.0"' in graded


def test_result_table_says_nan_is_not_a_number_rather_than_above_the_tolerance(ui_app: Flask) -> None:
    problems = [{"id": "p", "title": "P", "earned": 0, "points": 5, "status": "fail", "checks": [
        {"name": "nan", "status": "fail", "error": float("nan"), "tolerance": 1e-8},
        {"name": "ok", "status": "pass", "error": 1e-9, "tolerance": 1e-8},
        {"name": "no numbers", "status": "hidden", "hidden": True}]}]
    html = render(ui_app, '{% from "macros/results.html" import result_table %}{{ result_table(problems) }}',
                  problems=problems)
    rows = html.split("<tr class=")[1:]
    assert "NaN</span>: not a number, so not within 1.00e-08" in rows[0] and "above" not in rows[0]
    assert "err--over" in rows[0] and "within" in rows[1] and "Hidden until the deadline" in rows[2]


FIELD = '{% from "macros/forms.html" import field, form_errors %}{{ form_errors(form) }}{{ field(form.name, autocomplete="name") }}{{ field(form.agree) }}'


class _Form(FlaskForm):
    name = StringField("Your name", validators=[DataRequired()], description="As on the roster.")
    agree = BooleanField("I agree", validators=[DataRequired()])


def test_field_wires_label_help_and_errors(ui_app: Flask) -> None:
    with ui_app.test_request_context(method="POST", data={"name": ""}):
        form = _Form()
        assert not form.validate()
        html = render_template_string(FIELD, form=form)
    assert '<label class="field__label" for="name">Your name <span class="field__required">(required)</span></label>' in html
    control = re.search(r"<input[^>]*id=\"name\"[^>]*>", html).group()
    assert 'aria-describedby="name-help name-errors"' in control and 'aria-invalid="true"' in control
    assert 'autocomplete="name"' in control and "required" in control
    assert 'id="name-errors"' in html and "This field is required." in html
    assert '<a href="#name">Your name: This field is required.</a>' in html and 'role="alert"' in html
    checkbox = re.search(r"<input[^>]*id=\"agree\"[^>]*>", html).group()
    assert 'type="checkbox"' in checkbox and 'aria-invalid="true"' in checkbox


def test_field_without_errors_has_no_error_wiring(ui_app: Flask) -> None:
    with ui_app.test_request_context():
        html = render_template_string(FIELD, form=_Form())
    assert "aria-invalid" not in html and "name-errors" not in html and "error-summary" not in html
    assert 'aria-describedby="name-help"' in html


def test_input_field_for_plain_forms(ui_app: Flask) -> None:
    html = render(ui_app, '{% from "macros/forms.html" import input_field %}'
                          '{{ input_field("q", "Search", type="search", value="ada", errors=["Too short"], data_x="1") }}')
    assert '<label class="field__label" for="field-q">Search</label>' in html
    assert 'type="search"' in html and 'value="ada"' in html and 'data-x="1"' in html
    assert 'aria-describedby="field-q-errors"' in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize(("page", "pages", "shown"), [
    (1, 1, []), (1, 3, ["1", "2", "3"]), (6, 12, ["1", "…", "4", "5", "6", "7", "8", "…", "12"]),
    (12, 12, ["1", "…", "10", "11", "12"]),
])
def test_pagination_window(ui_app: Flask, page: int, pages: int, shown: list[str]) -> None:
    html = render(ui_app, '{% from "macros/ui.html" import pagination %}'
                          '{{ pagination(page, pages, "styleguide.index", args={"q": "x"}) }}', page=page, pages=pages)
    items = re.findall(r'class="pagination__(?:page|gap)"[^>]*>([^<]+)<', html)
    assert items == shown
    if pages > 1:
        assert html.count('aria-current="page"') == 1 and "q=x" in html
        assert ('rel="prev"' in html) == (page > 1) and ('rel="next"' in html) == (page < pages)


def test_local_time_falls_back_to_utc_text(ui_app: Flask) -> None:
    due = dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.UTC)
    html = render(ui_app, '{% from "macros/ui.html" import local_time %}{{ local_time(due, countdown=true) }}', due=due)
    assert '<time datetime="2030-01-02T03:04:00Z" data-local="datetime"' in html
    assert ">Wed 02 Jan 2030, 03:04 UTC</time>" in html and 'data-time-left="2030-01-02T03:04:00Z"' in html
    assert "left)" in html


def test_chart_carries_its_numbers_as_a_table(ui_app: Flask) -> None:
    spec = charts.histogram_chart([10, 20, 95], bins=2, value_range=(0, 100))
    html = render(ui_app, '{% from "macros/charts.html" import chart %}{{ chart("h", spec, "Scores") }}', spec=spec)
    assert '<figure class="chart" id="h" data-chart="histogram">' in html
    assert '<script type="application/json" class="chart__data">' in html
    assert re.findall(r'<td class="num">(\d+)</td>', html) == ["2", "1"]


# ---- diffs and sortable headers ------------------------------------------------------------------

def test_diff_rows_number_both_sides_and_mark_gaps() -> None:
    old = "\n".join(f"line {i}" for i in range(1, 21))
    new = old.replace("line 10", "line ten").replace("line 20", "line 20\nline 21")
    rows = code_diff.diff_rows(old, new, context=1)
    kinds = [row.kind for row in rows]
    assert kinds == ["gap", "same", "removed", "added", "same", "gap", "same", "added"]
    removed, added = rows[2], rows[3]
    assert (removed.old_line, removed.new_line, removed.text) == (10, None, "line 10")
    assert (added.old_line, added.new_line, added.text) == (None, 10, "line ten")
    assert rows[-1].new_line == 21 and rows[-1].text == "line 21"
    assert code_diff.diff_rows(old, old) == []
    assert [r.kind for r in code_diff.diff_rows("", "a\nb")] == ["added", "added"]


def test_diff_table_says_added_and_removed_in_words(ui_app: Flask) -> None:
    html = render(ui_app, '{% from "macros/results.html" import diff_table %}{{ diff_table(diff_rows(a, b), "Changes") }}',
                  a="x = 1\ny = 2\n", b="x = 1\ny = 3\n")
    assert html.count("diff__row--removed") == 1 and html.count("diff__row--added") == 1
    assert '<span class="visually-hidden">removed</span>' in html and '<span class="visually-hidden">added</span>' in html
    assert "no difference" in render(ui_app, '{% from "macros/results.html" import diff_table %}'
                                             '{{ diff_table(diff_rows(a, a), "Changes") }}', a="x\n")


@pytest.mark.parametrize(("sort", "direction", "aria", "next_dir"), [
    ("score", "asc", "ascending", "desc"), ("score", "desc", "descending", "asc"), ("name", "asc", None, "asc"),
])
def test_sort_header(ui_app: Flask, sort: str, direction: str, aria: str | None, next_dir: str) -> None:
    html = render(ui_app, '{% from "macros/ui.html" import sort_header %}'
                          '{{ sort_header("Best score", "score", sort, direction, "styleguide.index", args={"q": "ada"}) }}',
                  sort=sort, direction=direction)
    assert (f'aria-sort="{aria}"' in html) if aria else "aria-sort" not in html
    link = re.search(r'href="([^"]+)"', html).group(1)
    assert "sort=score" in link and f"dir={next_dir}" in link and "q=ada" in link and "page=" not in link
