"""Who is signed in on this phone: the resident behind the session cookie."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import redirect, request, url_for

from carshare.db import get_session
from carshare.models import Driver, Resident, utcnow
from carshare.services.resident_auth import driver_role, resident_for

COOKIE = "carshare_phone"
_UNSET = object()


def current_resident() -> Resident | None:
    """Return the resident signed in on this phone (looked up once per request)."""
    cached = request.environ.get("carshare.resident", _UNSET)
    if cached is _UNSET:
        token = request.cookies.get(COOKIE, "")
        cached = resident_for(get_session(), token, utcnow()) if token else None
        request.environ["carshare.resident"] = cached
    return cached


def current_driver() -> Driver | None:
    """Return the driver role of the signed-in resident, if they have one (looked up once
    per request)."""
    cached = request.environ.get("carshare.driver", _UNSET)
    if cached is _UNSET:
        resident = current_resident()
        cached = driver_role(get_session(), resident.id) if resident is not None else None
        request.environ["carshare.driver"] = cached
    return cached


def resident_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send people who are not signed in on this phone to the code sign-in."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_resident() is None:
            return redirect(url_for("me.login", next=request.path))
        return view(*args, **kwargs)

    return wrapper
