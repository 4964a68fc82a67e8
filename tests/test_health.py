"""Liveness and readiness probes."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from carshare import create_app


def test_healthz_is_alive(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_when_migrated(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready" and body["revision"] == body["head"]


def test_readyz_503_when_not_migrated(tmp_path: Path) -> None:
    app = create_app("testing", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "not_migrated"


def test_readyz_503_when_database_unreachable() -> None:
    app = create_app("testing",
                     DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not_ready", "database": "unreachable",
                                   "revision": None, "head": response.get_json()["head"]}


def test_unknown_page_is_a_translated_404(app: Flask, client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "このページは存在しません。" in response.get_data(as_text=True)
