"""Issue 19 (8): production refuses to start with an unsafe setting, naming it; a request
body has a size limit answered with 413 (translated page or problem JSON), never a 500."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from config import ConfigError, load_config
from tests.api.conftest import town  # noqa: F401  (fixture: a town with API tokens)
from tests.deploy.servers import BIN, ROOT, app_env, free_port

SECRET = "5f0c7a9e1b3d42f6a8c0e2d4b6a81937"
BASE = {"CARSHARE_SECRET_KEY": SECRET, "CARSHARE_DATABASE_URL": "postgresql://db/x"}


def _refused(**environ: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config({**BASE, **environ}, "production")
    return str(caught.value)


@pytest.mark.parametrize(("variable", "value"), [
    ("CARSHARE_WTF_CSRF_ENABLED", "false"),
    ("CARSHARE_SESSION_COOKIE_SECURE", "false"),
    ("CARSHARE_SESSION_COOKIE_SAMESITE", "None"),
])
def test_production_refuses_an_unsafe_setting_and_names_it(variable: str, value: str) -> None:
    assert variable in _refused(**{variable: value})


@pytest.mark.parametrize("secret", ["x" * 40, "abc" * 12, "0123456789" * 4,
                                    "change-me-to-32-or-more-random-characters"])
def test_production_refuses_a_repetitive_or_placeholder_secret(secret: str) -> None:
    assert "CARSHARE_SECRET_KEY" in _refused(CARSHARE_SECRET_KEY=secret)


def test_memory_limits_are_refused_only_under_several_workers() -> None:
    message = _refused(CARSHARE_WEB_WORKERS="4")
    assert "CARSHARE_RATELIMIT_STORAGE_URI" in message and "4 workers" in message
    load_config({**BASE, "CARSHARE_WEB_WORKERS": "1"}, "production")
    load_config({**BASE, "CARSHARE_WEB_WORKERS": "4",
                 "CARSHARE_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, "production")


def test_every_unsafe_setting_is_named_at_once() -> None:
    message = _refused(CARSHARE_WTF_CSRF_ENABLED="false", CARSHARE_SESSION_COOKIE_SECURE="no")
    assert "CARSHARE_WTF_CSRF_ENABLED" in message and "CARSHARE_SESSION_COOKIE_SECURE" in message


def test_a_setting_is_kept_only_when_named_in_unsafe_allowed() -> None:
    load_config({**BASE, "CARSHARE_SESSION_COOKIE_SECURE": "false",
                 "CARSHARE_UNSAFE_ALLOWED": "SESSION_COOKIE_SECURE"}, "production")
    message = _refused(CARSHARE_SESSION_COOKIE_SECURE="false", CARSHARE_WTF_CSRF_ENABLED="false",
                       CARSHARE_UNSAFE_ALLOWED="SESSION_COOKIE_SECURE")
    assert "CARSHARE_WTF_CSRF_ENABLED" in message
    assert "CARSHARE_SESSION_COOKIE_SECURE" not in message


def test_development_keeps_its_conveniences() -> None:
    settings = load_config({"CARSHARE_WTF_CSRF_ENABLED": "false"}, "development")
    assert settings["WTF_CSRF_ENABLED"] is False


def test_gunicorn_with_several_workers_refuses_memory_limits(tmp_path: Path) -> None:
    """The real deployment: gunicorn's master tells the workers how many they are."""
    env = app_env("postgresql+psycopg://nobody@127.0.0.1:1/none",
                  CARSHARE_UNSAFE_ALLOWED="SESSION_COOKIE_SECURE")
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "-w", "2",
               "-b", f"127.0.0.1:{free_port()}", "app:app"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "CARSHARE_RATELIMIT_STORAGE_URI" in result.stdout + result.stderr


# --- request size ------------------------------------------------------------------------

def test_request_bodies_have_a_size_limit(client: FlaskClient) -> None:
    assert client.application.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


def test_a_too_large_form_is_a_translated_413_page(client: FlaskClient) -> None:
    big = "x" * (2 * 1024 * 1024 + 10)
    response = client.post("/login", data={"username": big, "password": "y"})
    assert response.status_code == 413
    assert "大きすぎ" in response.get_data(as_text=True)
    response = client.post("/me/login", data={"phone": big})
    assert response.status_code == 413


def test_a_too_large_api_body_is_a_413_problem(client: FlaskClient,
                                                town: dict[str, Any]) -> None:  # noqa: F811
    body = b'{"name": "' + b"x" * (2 * 1024 * 1024 + 10) + b'"}'
    response = client.post("/api/v1/places", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {town['write']}"})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 413
