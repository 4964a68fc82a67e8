"""Deeply nested or oversized JSON bodies on the API: a 400/413 problem, never a 500.

A body such as ``[[[[...]]]]`` nested thirty thousand times made the JSON parser hit
Python's recursion limit (RecursionError: a 500). The API's guard measures the nesting
before it parses anything.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session, select

from carshare.api.blueprint import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_depth
from carshare.db import get_engine
from carshare.models import ApiScope, Resident
from carshare.services.api_tokens import create_token
from tests.security.conftest import World

PROBLEM = "application/problem+json"


def _headers(app: Flask, world: World) -> dict[str, str]:
    with app.app_context(), Session(get_engine()) as session:
        secret = create_token(session, world.a.data["town"].id, "json", ApiScope.WRITE,
                              None, None).secret
    return {"Authorization": f"Bearer {secret}", "Content-Type": "application/json",
            "Accept-Language": "en"}


def _residents(app: Flask) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(sa.func.count()).select_from(Resident)).one()


@pytest.mark.parametrize("body", [
    b"[" * 30_000 + b"]" * 30_000,  # under the size limit, far over Python's stack
    b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    b'{"family_name": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b"[" * 60_000,  # never closed
])
@pytest.mark.parametrize("path", ["/api/v1/residents", "/api/v1/offers", "/api/v1/places",
                                  "/api/v1/ride-requests"])
def test_deeply_nested_json_is_a_400_problem(app: Flask, world: World, body: bytes,
                                             path: str) -> None:
    before = _residents(app)
    response = world.by_role["anonymous"].post(path, data=body, headers=_headers(app, world))
    assert response.status_code == 400, response.status_code
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"].endswith("json_too_deep")
    assert str(MAX_JSON_DEPTH) in problem["detail"]
    assert _residents(app) == before


def test_an_oversized_json_body_is_a_413_problem(app: Flask, world: World) -> None:
    body = b'{"family_name": "' + b"a" * (MAX_BODY_BYTES + 1) + b'"}'
    response = world.by_role["anonymous"].post("/api/v1/residents", data=body,
                                               headers=_headers(app, world))
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert response.get_json()["type"].endswith("body_too_large")


def test_ordinary_nesting_still_reaches_validation(app: Flask, world: World) -> None:
    body = b'{"phones": [[["0163-22-1000"]]]}'
    response = world.by_role["anonymous"].post("/api/v1/residents", data=body,
                                               headers=_headers(app, world))
    assert response.status_code == 422


def test_the_depth_counts_brackets_outside_strings_only() -> None:
    assert json_depth(b'{"a": "[[[[[[{{{{"}') == 1
    assert json_depth(b'{"a": "\\"[[["}') == 1
    assert json_depth(b"[[1], [2, [3]]]") == 3
    assert json_depth(b"1") == 0
