"""One error shape: an HTML page for people, JSON for API and health clients."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def json_error(status: int, code: str, message: str, **extra: Any):  # type: ignore[no-untyped-def]
    """Return the JSON error response every JSON endpoint uses."""
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


def _is_api() -> bool:
    """The JSON API answers every error as a problem (its own shape, RFC 9457)."""
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please check what you entered."),
        403: _("You do not have permission to see this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        500: _("Something went wrong on our side. Please try again; if it persists, call support."),
    }


def handle_http_error(error: HTTPException):  # type: ignore[no-untyped-def]
    """Render an HTTP error in the user's language."""
    status = error.code or 500
    if _is_api():
        from carshare.presenters.problems import from_http

        return from_http(error)
    message = _messages().get(status, error.description or "")
    if _wants_json():
        return json_error(status, (error.name or "error").lower().replace(" ", "_"), message)
    return render_template("error.html", status=status, message=message), status


def handle_csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
    """A form came back without a valid token (expired page or forged request)."""
    message = _("The form has expired or was not sent from this site. Please reload and try again.")
    if _wants_json():
        return json_error(400, "csrf", message)
    return render_template("error.html", status=400, message=message), 400


def handle_unexpected(error: Exception):  # type: ignore[no-untyped-def]
    """Log an unexpected error and answer with a translated 500 page."""
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=error)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
