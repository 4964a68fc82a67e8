"""Helpers the record views share: today, list arguments, saving a form, rendering it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask_wtf import FlaskForm

from carshare.db import get_session
from carshare.presenters.record_messages import record_message
from carshare.services.records import RecordError
from carshare.timeutil import local_today


def today() -> date:
    """Return today's date in the town's zone."""
    return local_today(ZoneInfo(current_app.config["TIMEZONE"]))


def list_args() -> tuple[str, bool]:
    """Return the search text and whether to include deactivated records."""
    return request.args.get("q", "")[:100], request.args.get("inactive") == "1"


def attach(form: FlaskForm, error: RecordError) -> None:
    """Show a service's error next to its field, or above the form."""
    text = record_message(error.code, **error.params)
    target = getattr(form, error.field, None) if error.field != "form" else None
    if target is None:
        form.form_errors.append(text)
    else:
        target.errors = [*target.errors, text]


def saved(form: FlaskForm, save: Callable[[], Any]) -> bool:
    """Validate a submitted form and run ``save``; on a refusal roll back and show why."""
    if not form.validate_on_submit():
        return False
    try:
        save()
    except RecordError as error:
        get_session().rollback()
        attach(form, error)
        return False
    return True


def form_page(form: FlaskForm, title: str, template: str = "records/form.html",
              status: int | None = None, **context: Any) -> tuple[str, int]:
    """Render a record form; a submitted one that came back with errors answers 400."""
    if status is None:
        status = 400 if form.is_submitted() and form.errors else 200
    html = render_template(template, form=form, title=title, **context)
    return html, status
