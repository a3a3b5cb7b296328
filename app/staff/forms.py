"""The forms of the staff pages; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    DecimalField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation

from app.services import tokens


class TokenForm(FlaskForm):
    name = StringField("Integration name", description="What uses it, e.g. canvas or moodle-prod.",
                       validators=[DataRequired("Name the integration."), Length(max=100)])
    scopes = SelectMultipleField(
        "Scopes", choices=[SelectChoice(scope, f"{scope}: {text}") for scope, text in tokens.SCOPE_HELP.items()],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one scope.")])
    submit = SubmitField("Create token")


class ScoreField(DecimalField):
    """A score typed by staff: text that is not a number gets one message, in words."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("The score must be a number, such as 21.5.") from None


def a_number(form: FlaskForm, field: DecimalField) -> None:
    """Stop at text that is not a number, before NumberRange calls it negative as well."""
    if field.process_errors:
        raise StopValidation()


class OverrideForm(FlaskForm):
    score = ScoreField("New score", places=None,
                       description="Replaces the score that counts, late penalty included; kept across regrades.",
                       validators=[InputRequired("Enter the score, from 0 to the maximum."), a_number,
                                   NumberRange(min=0, message="The score cannot be negative.")])
    comment = TextAreaField("Comment for the student", description="Required: the student sees it with the new score.",
                            validators=[DataRequired("Say why: the student sees this comment."),
                                        Length(max=2000, message="Keep the comment under 2000 characters.")])
    submit = SubmitField("Override the score")


class ClearOverrideForm(FlaskForm):
    comment = TextAreaField("Why the graded score counts again",
                            validators=[DataRequired("Say why: the student sees this comment."), Length(max=2000)])
    submit = SubmitField("Take the override back")


class ExtensionForm(FlaskForm):
    due = DateTimeLocalField("New due date (UTC)", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                             description="Replaces the assignment's due date for this student only, in UTC.",
                             validators=[InputRequired("Choose the new due date and time (UTC).")])
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Grant the extension")


class ConfirmForm(FlaskForm):
    """A button that changes something (revoke an extension, commit a regrade): the CSRF token only."""

    submit = SubmitField("Confirm")
