"""Path ids beyond the database's integers: every route with an ``int`` id answers 404.

Row ids are INTEGER columns (32-bit on PostgreSQL); an id of 2**31 or 2**63 in a URL used to
reach the database driver and end as a 500 (an overflow) on 13 routes. The routes are found,
not listed: every rule of ``app.url_map`` with an integer argument is requested by the role
that may use it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlmodel import Session
from werkzeug.routing import IntegerConverter, Rule

from carshare.db import get_engine
from carshare.models import ApiScope
from carshare.services.api_tokens import create_token
from tests.security.conftest import World
from tests.security.routes import Access, access_of

BIG = (2**31, 2**63, 2**64 + 1, 10**30)
MARK = 987654321  # stands for the id under test while the URL is built
CLIENT_OF = {Access.STAFF: "staff_a", Access.ADMIN: "admin", Access.RESIDENT: "rider",
             Access.DRIVER: "driver"}


def _id_rules(app: Flask) -> Iterator[tuple[Rule, str]]:
    """Every rule and each of its integer arguments."""
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                yield rule, name


def _path(app: Flask, world: World, rule: Rule, name: str, value: int) -> str:
    adapter = app.url_map.bind("localhost")
    values = {arg: world.a.ids.get(arg, 1) for arg in rule.arguments} | {name: MARK}
    return adapter.build(rule.endpoint, values).replace(str(MARK), str(value))


def _token(app: Flask, world: World) -> str:
    with app.app_context(), Session(get_engine()) as session:
        return create_token(session, world.a.data["town"].id, "ids", ApiScope.WRITE,
                            None, None).secret


def test_the_rule_table_has_the_routes_with_ids(app: Flask) -> None:
    rules = {rule.endpoint for rule, _ in _id_rules(app)}
    assert len(rules) >= 40
    assert {"trips.detail", "records.edit_resident", "costs.delete_price",
            "driver.undo_press", "api.get_offer"} <= rules


@pytest.mark.parametrize("value", BIG)
def test_ids_beyond_the_database_integers_are_404_on_every_route(
        app: Flask, world: World, value: int) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # the id is judged before any form is read
    app.extensions["carshare.limiter"].enabled = False
    bearer = {"Authorization": f"Bearer {_token(app, world)}"}
    failures = []
    for rule, name in _id_rules(app):
        access = access_of(rule.endpoint, rule.rule)
        client = world.by_role[CLIENT_OF.get(access, "staff_a")]  # type: ignore[arg-type]
        headers = bearer if access is Access.TOKEN else {}
        path = _path(app, world, rule, name, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, headers=headers,
                                   json={} if access is Access.TOKEN and method != "GET"
                                   else None)
            if response.status_code != 404:
                failures.append((method, path, response.status_code))
    assert not failures


def test_the_largest_row_id_still_reaches_the_view(app: Flask, world: World) -> None:
    """2**31 - 1 is a possible row id: it is looked up (and missing), not refused early."""
    client = world.by_role["staff_a"]
    assert client.get(f"/trips/{2**31 - 1}").status_code == 404
    assert client.get(f"/trips/{world.a.ids['route_id']}").status_code == 200
