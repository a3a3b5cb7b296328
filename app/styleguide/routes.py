"""The style guide page, its form and its polling fragment, filled with made-up sample data."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
from flask import Blueprint, Response, flash, make_response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from wtforms import BooleanField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from app import charts

bp = Blueprint("styleguide", __name__)

STARTER = '''import numpy as np


def sigmoid_grad(x):
    """d sigmoid / dx for a column vector x of shape (n, 1)."""
    raise NotImplementedError
'''

SAMPLE_CODE = '''import numpy as np


def softmax_jacobian(x):
    # Shift by the max so exp() cannot overflow at large inputs.
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T  # (n, n), symmetric
'''

# Attempt 2 of the same student, for the diff against SAMPLE_CODE (attempt 3).
EARLIER_CODE = '''import numpy as np


def softmax_jacobian(x):
    e = np.exp(x)
    s = e / e.sum()
    return np.diagflat(s) - s.T @ s
'''

POLL_STEPS = ("queued", "running", "graded")


class SampleForm(FlaskForm):
    title = StringField("Attempt title", validators=[DataRequired(), Length(max=80)],
                        description="A name for this attempt, shown in your history.")
    source = TextAreaField("Your solution", validators=[DataRequired(message="Write some code first.")],
                           description="Python 3. Tab indents; press Esc then Tab to leave the editor.")
    own_work = BooleanField("I wrote this code myself", validators=[DataRequired(message="Tick this box to submit.")])
    submit = SubmitField("Submit for grading")


def sample_results() -> list[dict]:
    return [
        {"id": "sigmoid", "title": "Sigmoid gradient", "earned": 10, "points": 10, "status": "pass", "checks": [
            {"name": "Shape (n, 1)", "status": "pass"},
            {"name": "Visible trial", "status": "pass", "error": 3.1e-16, "tolerance": 1e-8},
            {"name": "Large inputs (|x| = 800)", "status": "pass", "error": 0.0, "tolerance": 1e-8},
        ]},
        {"id": "softmax", "title": "Softmax Jacobian", "earned": 5, "points": 15, "status": "partial",
         "note": "2 hidden checks run after the deadline.", "checks": [
            {"name": "Shape (n, n)", "status": "pass"},
            {"name": "Visible trial", "status": "fail", "code": "transposed", "error": 0.83, "tolerance": 1e-8,
             "message": "The Jacobian looks transposed (denominator layout: the gradient has the shape of the variable)."},
            {"name": "Large inputs", "status": "unstable", "code": "not_finite", "error": float("nan"), "tolerance": 1e-8,
             "message": "Overflows at x = 710: exp() returned inf."},
            {"name": "Hidden trial 1", "status": "hidden", "hidden": True},
        ]},
        {"id": "relu_net", "title": "ReLU network", "earned": None, "points": 20, "status": "error", "checks": [
            {"name": "All checks", "status": "error",
             "message": "Grading failed: not counted, and it will be retried automatically."},
        ]},
    ]


def sample_matrices() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    reference = rng.normal(size=(6, 6))
    return reference.T, reference  # a transposed answer: the diagonal is right, the rest mirrored


def diagonal_only_error() -> np.ndarray:
    """|S - R| of a 40 x 40 answer that kept only the diagonal, with one entry that overflowed."""
    rng = np.random.default_rng(3)
    reference = rng.normal(size=(40, 40)) * np.logspace(-4, 0, 40)
    error = np.abs(reference - np.diag(np.diag(reference)))
    error[31, 5] = np.inf
    return error


def sample_charts(now: dt.datetime) -> dict[str, dict]:
    rng = np.random.default_rng(11)
    scores = np.clip(np.concatenate([rng.normal(82, 9, 90), rng.normal(45, 12, 30)]), 0, 100)
    hours = [now - dt.timedelta(hours=47 - h) for h in range(48)]
    submitted = [float(round(4 + 30 * np.exp(-((h - 40) / 5) ** 2) + rng.integers(0, 4))) for h in range(48)]
    failed = [round(v * 0.3) for v in submitted]
    return {
        "histogram": charts.histogram_chart(scores, bins=10, value_range=(0, 100), x_label="Score (%)", y_label="Students"),
        "pass_rates": charts.bar_chart(["sigmoid", "softmax", "softplus", "l2_loss", "linear", "logistic", "relu_net"],
                                   [96.0, 61.5, 88.0, 92.3, 70.1, 54.8, 38.2], x_label="Problem", y_label="Pass rate"),
        "timeline": charts.series_chart(hours, {"Submissions": submitted, "Failed": failed},
                                    marks=[(now - dt.timedelta(hours=6), "Deadline")], y_label="Per hour"),
    }


@bp.route("/", methods=["GET", "POST"])
def index() -> Response:
    form = SampleForm()
    received = None
    status = 200
    if request.method == "GET":
        form.source.data = form.source.data or STARTER
        flash("Your extension to Friday was granted.", "success")
        flash("Grading is slower than usual: 14 submissions are queued.", "warning")
    elif form.validate_on_submit():
        source = form.source.data
        received = {"lines": len(source.splitlines()), "sha256": hashlib.sha256(source.encode()).hexdigest()[:16],
                    "source": source, "title": form.title.data}
        flash(f"Received {received['lines']} lines of code.", "success")
    else:
        status = 422
        flash("The form has errors; nothing was submitted.", "error")
    now = dt.datetime.now(dt.UTC)
    answer, reference = sample_matrices()
    page = max(1, request.args.get("page", 1, type=int))
    sort, direction = request.args.get("sort", "score"), request.args.get("dir", "desc")
    html = render_template(
        "styleguide/index.html", form=form, received=received, results=sample_results(),
        heat=charts.heat_map(answer - reference, 1e-6), answer=answer, reference=reference,
        big_heat=charts.heat_map(diagonal_only_error(), 1e-6),
        charts=sample_charts(now), sample_code=SAMPLE_CODE, earlier_code=EARLIER_CODE, page=page, pages=12,
        sort=sort, direction=direction,
        due_soon=now + dt.timedelta(days=2, hours=3), due_past=now - dt.timedelta(hours=5),
        courses=[{"code": "DL101", "title": "Deep learning"}, {"code": "ML201", "title": "Optimisation"}],
        current_course={"code": "DL101"}, course_switch_url=url_for("styleguide.index"), role="ta",
        mistakes=[("Transposed the W gradient", 38.0), ("Forgot the 1/m of the mean", 21.0),
                  ("Broadcast (n,) against (n, 1)", 12.5), ("Overflow in exp() at large inputs", 7.0)],
    )
    return make_response(html, status)


@bp.post("/regrade")
def regrade() -> Response:
    """The enhanced-form pattern: htmx swaps in a fragment (its CSRF token comes in the X-CSRFToken
    header that js/live.js adds); without JavaScript the form posts its hidden token and the browser
    is sent back to the page with a flash message."""
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.form.get("csrf_token"))
    except ValidationError as error:
        return make_response(f"Refused: {error}", 400)
    if request.headers.get("HX-Request") == "true":
        return make_response(render_template("styleguide/_regrade.html", requested=True), 200)
    flash("Regrade requested: a TA will look at check “Visible trial”.", "success")
    return redirect(url_for("styleguide.index", _anchor="live"), 303)


@bp.get("/status")
def status() -> Response:
    """A submission that goes queued -> running -> graded, one step per poll."""
    step = min(max(request.args.get("step", 0, type=int), 0), len(POLL_STEPS) - 1)
    html = render_template("styleguide/_status.html", state=POLL_STEPS[step], step=step,
                           queue_position=3 - step if step == 0 else None, graded_at=dt.datetime.now(dt.UTC))
    # 286 tells htmx to stop polling; the final fragment also carries no trigger.
    return make_response(html, 286 if POLL_STEPS[step] == "graded" else 200)
