"""The submission forms of the assignment page; each carries a CSRF token (Flask-WTF). The rules
a file must follow are the submissions service's; these only say which field is which."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from graders.submission import MAX_BYTES


class UploadForm(FlaskForm):
    file = FileField("Python file (.py)", description=f"One .py file with your functions, at most "
                                                      f"{MAX_BYTES // 1024} KiB, UTF-8.")
    upload = SubmitField("Upload and grade")


class EditorForm(FlaskForm):
    # The length cap only bounds the request (characters, not bytes); the service applies the real limit.
    source = TextAreaField("Your solution", validators=[Length(max=MAX_BYTES * 2)],
                           description="Python 3. Tab indents; press Esc then Tab to leave the editor.")
    send = SubmitField("Submit this code")
