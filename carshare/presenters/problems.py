"""One error shape for the whole API: RFC 9457 problem details, in the caller's language.

``{"type", "title", "status", "detail", "errors": [{"field", "code", "message"}]}`` is sent
as ``application/problem+json`` for every 4xx (and the 500 that should never happen).
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, json
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:carshare:problem:"


class FieldError(BaseModel):
    """What is wrong with one input field (``field`` is empty for the request as a whole)."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="Dotted path of the field, empty for the whole request.")
    code: str = Field(description="A stable, machine-readable reason.")
    message: str = Field(description="The reason in the caller's language.")


class Problem(BaseModel):
    """An error response (RFC 9457)."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


class ApiProblem(Exception):
    """Raise to answer with a problem; views never build error responses themselves."""

    def __init__(self, status: int, code: str, detail: str,
                 errors: list[FieldError] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail
        self.errors, self.headers = errors or [], headers or {}


def titles() -> dict[int, str]:
    """Return the translated title of each status the API answers with."""
    return {
        400: _("Bad request"), 401: _("Not signed in"), 403: _("Not allowed"),
        404: _("Not found"), 405: _("Method not allowed"), 406: _("Not acceptable"),
        409: _("Conflict"), 413: _("Request too large"), 415: _("Unsupported media type"),
        422: _("Invalid input"), 429: _("Too many requests"),
        500: _("Something went wrong on our side"),
    }


def problem_response(status: int, code: str, detail: str,
                     errors: list[FieldError] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    """Return a problem+json response."""
    body = Problem(type=TYPE_BASE + code, title=titles().get(status, str(status)),
                   status=status, detail=detail, errors=errors or [])
    response = current_app.response_class(json.dumps(body.model_dump()), status=status,
                                          mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def from_exception(error: ApiProblem) -> Response:
    """Answer an :class:`ApiProblem`."""
    return problem_response(error.status, error.code, error.detail, error.errors, error.headers)


def http_details() -> dict[int, str]:
    """Return the translated explanation of plain HTTP errors."""
    return {
        400: _("The request could not be understood."),
        401: _("Send a valid API token in the header: Authorization: Bearer <token>."),
        403: _("This token may not do this."),
        404: _("There is no such resource in your town."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        415: _("Send the body as JSON (Content-Type: application/json)."),
        500: _("Something went wrong on our side. Please try again; if it persists, call "
               "support."),
    }


def from_http(error: HTTPException) -> Response:
    """Answer a werkzeug HTTP error (routing, method, size) as a problem, keeping ``Allow``."""
    status = error.code or 500
    headers: dict[str, Any] = {}
    allowed = getattr(error, "valid_methods", None)
    if allowed:
        headers["Allow"] = ", ".join(allowed)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="carshare"'
    name = (error.name or "error").lower().replace(" ", "_")
    return problem_response(status, name, http_details().get(status, error.description or ""),
                            headers=headers)
