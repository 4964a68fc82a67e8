"""Translated labels for stored codes shown to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from carshare.models import RequestStatus

REQUEST_STATUS = {
    RequestStatus.REQUESTED: _l("requested"),
    RequestStatus.WAITING: _l("waiting list"),
    RequestStatus.PLANNED: _l("planned"),
    RequestStatus.CONFIRMED: _l("confirmed"),
    RequestStatus.COMPLETED: _l("completed"),
    RequestStatus.NO_SHOW: _l("no-show"),
    RequestStatus.CANCELLED: _l("cancelled"),
    RequestStatus.UNMET: _l("unmet"),
}


def status_label(status: RequestStatus) -> str:
    """Return the translated label of a request status."""
    return str(REQUEST_STATUS[RequestStatus(status)])
