"""Every route × every role: who may open what, and nobody sees another town's data.

Roles: anonymous, rider and driver (phone sign-in, town A), staff of town A, staff of town B,
and an admin of town A who may switch to town B. Every route is called with town A's object
ids; routes that take ids are also called with town B's ids by A's staff and driver. Each
response is checked against the route's class in ``tests/security/routes.py`` and searched for
the surname markers of each town's booked rider, which only that town's staff may ever see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.security.conftest import World
from tests.security.routes import TABLE, Access, access_of
from tests.security.world import MARK_A, MARK_B, Town

ROLES = ("anonymous", "rider", "driver", "staff_a", "staff_b", "admin")
ID_ARGS = {"request_id", "route_id", "resident_id", "driver_id", "vehicle_id", "place_id",
           "offer_id", "run_id", "assignment_id", "price_id", "item_id", "token_id",
           "event_id", "closure_id"}
REACHED = {200, 302, 303, 400, 409}  # the view ran (a bare POST may be refused as invalid)
HIDDEN = {403, 404}
SIGN_OUTS = {"auth.logout", "me.logout"}
#: whose surname one may see (a driver: their own riders', whom they greet by it)
ENTITLED = {"staff_a": MARK_A, "admin": MARK_A, "staff_b": MARK_B, "driver": MARK_A}


@dataclass(frozen=True)
class Call:
    """One request of the matrix."""

    rule: Rule
    method: str
    role: str
    town: str  # whose ids are in the URL: "a" or "b"

    @property
    def takes_ids(self) -> bool:
        """Tell whether the URL names records by id."""
        return bool(self.rule.arguments & ID_ARGS)


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def test_every_route_is_classified(app: Flask) -> None:
    rules = _rules(app)
    unclassified = [f"{r.endpoint} {r.rule}" for r in rules
                    if access_of(r.endpoint, r.rule) is None]
    assert not unclassified, f"add these routes to tests/security/routes.py: {unclassified}"
    stale = set(TABLE) - {r.endpoint for r in rules}
    assert not stale, f"routes gone from the app, remove them from the table: {stale}"


def _calls(app: Flask) -> list[Call]:
    calls = []
    for rule in _rules(app):
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"}, key=lambda m: m != "GET")
        for method in methods:
            calls += [Call(rule, method, role, "a") for role in ROLES]
            if rule.arguments & ID_ARGS:
                calls += [Call(rule, method, role, "b") for role in ("staff_a", "driver")]
    # reads first, then writes, and the sign-outs (which end the sessions) last
    return sorted(calls, key=lambda c: (c.method != "GET", c.rule.endpoint in SIGN_OUTS,
                                        c.rule.endpoint == "auth.logout"))


def _url(app: Flask, call: Call, towns: dict[str, Town]) -> str:
    ids = towns[call.town].ids
    values = {arg: ids[arg] for arg in call.rule.arguments}
    return app.url_map.bind("localhost").build(call.rule.endpoint, values, method=call.method)


def _to_login(response: Any, path: str) -> bool:
    location = urlsplit(response.headers.get("Location", ""))
    return response.status_code == 302 and location.path == path


def _reached(call: Call, response: Any) -> bool:
    """Tell whether the view ran (and the client was not sent to a sign-in page)."""
    signed_out = _to_login(response, "/login") or _to_login(response, "/me/login")
    if signed_out and call.rule.endpoint not in SIGN_OUTS:
        return False
    return response.status_code in REACHED


def _verdict(access: Access, call: Call, response: Any) -> str:
    """Return what is wrong with ``response`` for ``call``, or an empty string."""
    status, role = response.status_code, call.role
    staff, phone = role in ("staff_a", "staff_b", "admin"), role in ("rider", "driver")
    foreign = (role == "staff_b") != (call.town == "b") if staff else call.town == "b"
    if status >= 500:
        return "server error"
    if access is Access.PUBLIC:
        return ""
    if access is Access.TWILIO:
        return "" if status == 403 else "unsigned webhook accepted"
    if access is Access.TOKEN:
        return "" if status in (401, 403) else "API without a token"
    if access is Access.FEED:
        return "" if status == 200 else "calendar feed refused its own token"
    if access in (Access.STAFF, Access.ADMIN):
        if not staff:
            return "" if _to_login(response, "/login") else "staff page without staff sign-in"
        if access is Access.ADMIN and role != "admin" or foreign and call.takes_ids:
            return "" if status in HIDDEN else "another town's (or an admin's) record reached"
        return "" if _reached(call, response) else "own town's record refused"
    if not phone:
        return "" if _to_login(response, "/me/login") else "phone page without phone sign-in"
    if access is Access.DRIVER and role == "rider":
        return "" if status in HIDDEN else "driver page opened by a rider"
    others_ride = access is Access.RESIDENT and "request_id" in call.rule.arguments
    if foreign and call.takes_ids or others_ride:
        # town B's records, or a ride of rider 0 (neither the rider nor the driver signed in)
        return "" if status in HIDDEN else "someone else's record reached"
    return "" if _reached(call, response) else "own record refused"


def _leak(call: Call, body: str) -> str:
    allowed = ENTITLED.get(call.role)
    if call.role == "staff_a" and call.town == "b" or call.role == "staff_b" and call.town == "a":
        allowed = ENTITLED[call.role]
    for mark in (MARK_A, MARK_B):
        if mark in body and mark != allowed:
            return f"shows {mark}"
    return ""


def _csrf_tokens(world: World) -> dict[str, str]:
    """Each client's CSRF token, so that POSTs reach the rules behind the CSRF check."""
    pages = {"anonymous": "/login", "rider": "/me/", "driver": "/me/"}
    tokens = {}
    for role, client in world.by_role.items():
        html = client.get(pages.get(role, "/dashboard")).get_data(as_text=True)
        tokens[role] = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', html).group(1)
    return tokens


def _matrix(app: Flask, world: World) -> tuple[int, list[str]]:
    app.extensions["carshare.limiter"].enabled = False
    towns, tokens = {"a": world.a, "b": world.b}, _csrf_tokens(world)
    problems, calls, deleted = [], _calls(app), set()
    for call in calls:
        access = access_of(call.rule.endpoint, call.rule.rule)
        url = _url(app, call, towns)
        data = {"csrf_token": tokens[call.role]} if call.method != "GET" else None
        response = world.by_role[call.role].open(url, method=call.method, data=data,
                                                 headers={"Accept": "text/html"})
        body = response.get_data().decode("utf-8", "replace")  # a zip or CSV file too
        wrong = _verdict(access, call, response) or _leak(call, body)
        ids = {(arg, towns[call.town].ids[arg]) for arg in call.rule.arguments & ID_ARGS}
        if "delete" in call.rule.endpoint and response.status_code in (200, 302):
            deleted |= ids
        if wrong and response.status_code == 404 and ids & deleted:
            wrong = ""  # an earlier call of the matrix deleted this row
        if wrong:
            problems.append(f"{call.method} {url} as {call.role} with town {call.town}'s ids → "
                            f"{response.status_code} {response.headers.get('Location', '')}: "
                            f"{wrong}")
    return len(calls), problems


def test_matrix_every_route_every_role(app: Flask, world: World) -> None:
    count, problems = _matrix(app, world)
    assert count > 400
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mark", [MARK_A, MARK_B])
def test_markers_are_shown_to_the_towns_own_staff(world: World, mark: str) -> None:
    """The leak check can fail: each marker is on its town's staff pages."""
    role, town = ("staff_a", world.a) if mark == MARK_A else ("staff_b", world.b)
    page = world.by_role[role].get(f"/records/residents/{town.ids['resident_id']}")
    assert page.status_code == 200 and mark in page.get_data(as_text=True)
