"""The ``costs`` blueprint: every page needs a signed-in staff member of the town."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import login_required

from carshare.presenters.messages import message
from carshare.web.records.blueprint import CONTROL
from carshare.web.validators import day_arg, refuse

bp = Blueprint("costs", __name__, url_prefix="/costs")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Send anyone not signed in to the login page."""


@bp.before_request
def _no_control_characters() -> None:
    """Refuse NUL and other control characters no keyboard types."""
    if any(CONTROL.search(v) for v in [*request.args.values(), *request.form.values()]):
        abort(400)


def parse_day(text: str | None) -> date:
    """Read a YYYY-MM-DD date within the service horizon from the URL, or answer 400."""
    if not text:
        refuse(message("bad_date"))
    return day_arg(text)


def parse_month(text: str | None, default: date) -> date:
    """Read a YYYY-MM month from the URL (first day), ``default`` when absent, else 400."""
    if not text:
        return default.replace(day=1)
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(400, _("This month could not be read."))



@bp.record_once
def _cost_labels(state) -> None:  # type: ignore[no-untyped-def]
    """Give every template (and imported macros) ``cost_kind_label`` and ``cost_message``."""
    from carshare.web.costs.messages import cost_message, kind_label

    state.app.jinja_env.globals.update(cost_kind_label=kind_label, cost_message=cost_message)
