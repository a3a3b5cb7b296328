"""Logging in and out, changing one's password, and setting one from an emailed or copied link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.access import home_for, viewer
from app.auth.forms import ChangePasswordForm, LoginForm, LogoutForm, SetPasswordForm
from app.auth.sessions import safe_next
from app.auth.throttle import throttle, wait_words
from app.services import accounts, password_links
from app.services.passwords import PasswordRejected, WrongPassword

# The blueprint lives with its routes, so the package imports them and they never import it back.
bp = Blueprint("auth", __name__)

FAILED_LOGIN = "Wrong email or password."
INVALID = 422  # a form sent back with its errors (as every form of the app answers)


def form_status(form: Any) -> int:
    return INVALID if request.method == "POST" else 200


def private(response: Any) -> Response:
    """Pages with a password form or a token in the address stay out of every cache."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def start_session(user: Any) -> None:
    # A fresh session: nothing from before the login (the anonymous CSRF token included) carries on.
    session.clear()
    login_user(user)
    session.permanent = True  # lasts PERMANENT_SESSION_LIFETIME after the last request


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    form = LoginForm()
    target = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target or home_for(viewer()))
    form.next.data = target or ""
    if form.validate_on_submit():
        email = form.email.data or ""
        wait = throttle().retry_after("login", email)
        if wait is not None:
            form.form_errors.append(f"Too many failed attempts. Try again in {wait_words(wait)}.")
            response = private(render_template("auth/login.html", form=form))
            response.status_code = 429
            response.headers["Retry-After"] = str(wait)
            return response
        user = accounts.authenticate(email, form.password.data or "")
        if user is not None:
            throttle().succeeded("login", email)
            start_session(user)
            return redirect(target or home_for(user))
        throttle().failed("login", email)
        form.form_errors.append(FAILED_LOGIN)
    return private((render_template("auth/login.html", form=form), form_status(form)))


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response:
    form = LogoutForm()
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash("You are logged out.", "success")
        return redirect(url_for("auth.login"))
    # GET (someone typed the address): ask, since logging out by a link could be forged.
    return private(render_template("auth/logout.html", form=form))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response:
    form = ChangePasswordForm()
    user = viewer()
    status = form_status(form)
    if form.validate_on_submit():
        wait = throttle().retry_after("password", str(user.id))
        if wait is not None:
            form.current_password.errors = [f"Too many wrong attempts. Try again in {wait_words(wait)}."]
            status = 429
        else:
            try:
                accounts.change_password(user, form.current_password.data or "", form.new_password.data or "",
                                         form.confirm.data or "")
            except WrongPassword as exc:
                throttle().failed("password", str(user.id))
                form.current_password.errors = [str(exc)]
            except PasswordRejected as exc:
                form.new_password.errors = list(exc.problems)
                if exc.mismatch:
                    form.confirm.errors = ["The two passwords do not match."]
            else:
                # The password change ended every session of the user; this one carries on.
                start_session(user)
                flash("Your password is changed. Other browsers where you were logged in are logged out.", "success")
                return redirect(url_for("auth.change_password"))
    return private((render_template("auth/change_password.html", form=form), status))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response:
    try:
        link = password_links.resolve(token)
    except password_links.LinkInvalid as exc:
        status = 404 if exc.reason == "unknown" else 410
        return private((render_template("auth/link_invalid.html", message=str(exc), reason=exc.reason), status))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = password_links.redeem(token, form.new_password.data or "", form.confirm.data or "")
        except password_links.LinkInvalid as exc:
            return private((render_template("auth/link_invalid.html", message=str(exc), reason=exc.reason), 410))
        except PasswordRejected as exc:
            form.new_password.errors = list(exc.problems)
            if exc.mismatch:
                form.confirm.errors = ["The two passwords do not match."]
        else:
            if current_user.is_authenticated:
                logout_user()
            start_session(user)
            flash("Your password is set. Welcome to nablagrade.", "success")
            return redirect(home_for(user))
    return private((render_template("auth/set_password.html", form=form, link=link, user=link.user),
                    form_status(form)))


@bp.get("/forgot")
def forgot_password() -> Response:
    return private(render_template("auth/forgot.html"))
