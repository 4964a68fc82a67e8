"""Configuration: defaults, CARSHARE_* overrides and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "5f0c7a9e1b3d42f6a8c0e2d4b6a81937"  # 32 random hex digits


def test_development_defaults() -> None:
    settings = load_config({}, "development")
    assert settings["TIMEZONE"] == "Asia/Tokyo"
    assert settings["DEFAULT_LOCALE"] == "ja"
    assert settings["DATABASE_URL"] == ""
    assert settings["SCHEDULER_ENABLED"] is True


def test_environment_variables_override_and_are_typed() -> None:
    environ = {"CARSHARE_PORT": "8080", "CARSHARE_SCHEDULER_ENABLED": "no",
               "CARSHARE_DATABASE_URL": "sqlite:///x.db"}
    settings = load_config(environ, "development")
    assert settings["PORT"] == 8080
    assert settings["SCHEDULER_ENABLED"] is False
    assert settings["DATABASE_URL"] == "sqlite:///x.db"


def test_env_name_comes_from_carshare_env() -> None:
    assert load_config({"CARSHARE_ENV": "testing"})["ENV_NAME"] == "testing"


@pytest.mark.parametrize(("environ", "needle"), [
    ({"CARSHARE_ENV": "staging"}, "CARSHARE_ENV='staging' is unknown"),
    ({"CARSHARE_COLOUR": "red"}, "CARSHARE_COLOUR is not a carshare setting"),
    ({"CARSHARE_PORT": "fifty"}, "CARSHARE_PORT='fifty' is not a whole number"),
    ({"CARSHARE_PORT": "70000"}, "out of range"),
    ({"CARSHARE_SQL_ECHO": "maybe"}, "CARSHARE_SQL_ECHO='maybe' is not a yes/no value"),
    ({"CARSHARE_TIMEZONE": "Mars/Base"}, "CARSHARE_TIMEZONE='Mars/Base' is not a time zone"),
    ({"CARSHARE_DEFAULT_LOCALE": "fr"}, "CARSHARE_LOCALES"),
])
def test_bad_values_name_the_variable(environ: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(")):
        load_config(environ)


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ConfigError, match="set CARSHARE_SECRET_KEY"):
        load_config({"CARSHARE_DATABASE_URL": "postgresql://db/x"}, "production")


def test_production_refuses_a_missing_database() -> None:
    with pytest.raises(ConfigError, match="set CARSHARE_DATABASE_URL"):
        load_config({"CARSHARE_SECRET_KEY": GOOD_SECRET}, "production")


def test_production_with_secret_and_database_loads() -> None:
    settings = load_config({"CARSHARE_SECRET_KEY": GOOD_SECRET,
                            "CARSHARE_DATABASE_URL": "postgresql://db/x"}, "production")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SCHEDULER_ENABLED"] is False


def _flask(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CARSHARE_")}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env={**environ, **env}, capture_output=True, text=True, timeout=60)


def test_bad_configuration_gives_one_line_and_non_zero_exit() -> None:
    result = _flask("jobs", "list", CARSHARE_ENV="production")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "carshare: configuration error: Production needs its own secret: "
        "set CARSHARE_SECRET_KEY to 32+ random characters."]


def test_env_example_lists_every_setting() -> None:
    from config.defaults import BaseConfig

    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = [key for key in dir(BaseConfig) if key.isupper() and key != "ENV_NAME"]
    missing = [name for name in names if f"CARSHARE_{name}=" not in text]
    assert missing == []
