"""Error pages people can act on: what happened and where to go next, in the site's frame.

Refusals from the services become the matching pages: NotFound a 404 (also for objects of
another course), access.Forbidden a 403 that says who may. Under /api/v1 the API's problem+json
answers instead (app/api/problems.py), whichever handler Flask picked."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.api import problems
from app.services.access import Forbidden
from app.services.errors import NotFound

PAGES = {
    400: ("Bad request", "The request could not be understood. Go back, reload the page and try again."),
    403: ("Not allowed", "You do not have access to this page."),
    404: ("Page not found", "There is nothing here, or nothing you have access to. Check the address, or start "
                            "again from your courses."),
    405: ("Not allowed here", "This address does not accept that kind of request."),
    413: ("Too large", "What you sent is larger than the service accepts."),
    429: ("Too many requests", "Slow down a little and try again shortly."),
    500: ("Something went wrong", "The service failed to answer. Nothing you did caused it; try again in a moment."),
}


def render_error(code: int, message: str | None = None, title: str | None = None) -> tuple[str, int]:
    default_title, default_message = PAGES.get(code, ("Error", "Something went wrong."))
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default_message), code


def is_api() -> bool:
    return problems.under_api(request.path)


def http_error(error: HTTPException) -> object:
    if is_api():
        return problems.for_http_exception(error)
    if error.code is None or error.code < 400:
        return error
    # abort(403, description=...) carries a sentence for people; werkzeug's default text does not.
    custom = error.description if error.description != type(error).description else None
    response = error.get_response()
    body, code = render_error(error.code, custom)
    response.set_data(body)
    response.status_code = code
    response.mimetype = "text/html"
    return response


def csrf_error(error: CSRFError) -> object:
    if is_api():
        return problems.for_http_exception(error)
    return render_error(400, "This form had expired, or your browser did not send its security token (cookies "
                             "must be enabled). Go back, reload the page and send it again.", "Form expired")


def not_found(error: NotFound) -> object:
    if is_api():
        return problems.for_service_error(error)
    return render_error(404)


def forbidden(error: Forbidden) -> object:
    if is_api():
        return problems.for_service_error(error)
    return render_error(403, str(error))


def server_error(error: InternalServerError) -> object:
    if is_api():
        return problems.for_http_exception(error)
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(Forbidden, forbidden)
    app.register_error_handler(InternalServerError, server_error)
