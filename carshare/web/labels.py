"""Translated labels for stored codes shown to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from carshare.models import RequestStatus, StopKind

REQUEST_STATUS = {
    RequestStatus.QUOTED: _l("options being read out"),
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


STOP_KIND = {
    StopKind.START: _l("start"),
    StopKind.PICKUP: _l("pick up"),
    StopKind.DROPOFF: _l("drop off"),
    StopKind.END: _l("end"),
}

RISKS = {
    "no_driver": _l("no driver yet: call the rider or find a car"),
    "driver_declined": _l("the driver withdrew the offer"),
    "driver_refused": _l("the driver declined this rider and no other car can take them"),
    "documents_expired": _l("the driver's licence or insurance has expired"),
    "promise_broken": _l("the plan no longer carries this ride"),
    "closure": _l("affected by a road closure"),
    "closure_unverified": _l("affected by a road closure (no road data: check with the driver)"),
}


def stop_label(kind: StopKind) -> str:
    """Return the translated label of a stop kind."""
    return str(STOP_KIND[StopKind(kind)])


def risk_label(code: str) -> str:
    """Return the translated reason why a confirmed ride is at risk."""
    return str(RISKS.get(code, code))


CHANGES = {
    "added": _l("now has a driver"),
    "dropped": _l("no longer has a driver"),
    "moved": _l("moved to another driver"),
    "retimed": _l("pick-up time changed"),
}


def change_label(kind: str) -> str:
    """Return the translated description of what re-planning changed for a rider."""
    return str(CHANGES.get(kind, kind))
