"""The forms of the staff pages; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.services import tokens


class TokenForm(FlaskForm):
    name = StringField("Integration name", description="What uses it, e.g. canvas or moodle-prod.",
                       validators=[DataRequired("Name the integration."), Length(max=100)])
    scopes = SelectMultipleField(
        "Scopes", choices=[SelectChoice(scope, f"{scope}: {text}") for scope, text in tokens.SCOPE_HELP.items()],
        option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one scope.")])
    submit = SubmitField("Create token")
