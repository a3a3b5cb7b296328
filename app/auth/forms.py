"""The forms of the auth pages; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from app.services.passwords import MAX_LENGTH, MIN_LENGTH

NEW_PASSWORD_HELP = (f"At least {MIN_LENGTH} characters. A few unrelated words make a password that is strong and "
                     "easy to remember.")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1024)])
    next = HiddenField()
    submit = SubmitField("Log in")


class LogoutForm(FlaskForm):
    submit = SubmitField("Log out")


def new_password_field() -> PasswordField:
    # The length cap here only bounds the request; the rules and their messages are the service's.
    return PasswordField("New password", description=NEW_PASSWORD_HELP,
                         validators=[DataRequired("Choose a new password."), Length(max=MAX_LENGTH * 4)])


def confirm_field() -> PasswordField:
    return PasswordField("New password again", validators=[DataRequired("Type the new password again.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired("Enter your current password."), Length(max=1024)])
    new_password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Change password")


class SetPasswordForm(FlaskForm):
    new_password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Set password and log in")



class RosterImportForm(FlaskForm):
    file = FileField("Roster file (CSV)", validators=[FileRequired("Choose the CSV file exported from your LMS.")],
                     description="UTF-8 CSV (commas or semicolons) with a header row; at least an email column.")
    submit = SubmitField("Import roster")
