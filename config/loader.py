"""Build the settings dictionary from the defaults and the ``CARSHARE_*`` environment."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from typing import Any

from config.defaults import DEFAULT_SECRET_KEY, ENVIRONMENTS, BaseConfig

PREFIX = "CARSHARE_"
#: Variables with the prefix that are not settings (read elsewhere).
NOT_SETTINGS = frozenset({"CARSHARE_ENV", "CARSHARE_TEST_DATABASE_URL",
                          "CARSHARE_WEB_WORKERS"})  # the last one: set by gunicorn.conf.py
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which variable to set and how."""


def load_config(
    environ: Mapping[str, str], env_name: str | None = None, **overrides: Any
) -> dict[str, Any]:
    """Return the settings for one environment.

    :param environ: the process environment (``os.environ``) or a test mapping.
    :param env_name: ``development``, ``testing`` or ``production``; default ``CARSHARE_ENV``.
    :param overrides: settings given in code (tests), applied last.
    :raise ConfigError: for an unknown environment, variable or value.
    """
    name = env_name or environ.get("CARSHARE_ENV", "development")
    if name not in ENVIRONMENTS:
        choices = ", ".join(ENVIRONMENTS)
        raise ConfigError(f"CARSHARE_ENV={name!r} is unknown; use one of: {choices}.")
    defaults = _settings_of(ENVIRONMENTS[name])
    settings = {**defaults, **_from_environ(environ, defaults), **overrides}
    _validate(settings, environ)
    return settings


def _settings_of(cls: type[BaseConfig]) -> dict[str, Any]:
    return {key: getattr(cls, key) for key in dir(cls) if key.isupper()}


def _from_environ(environ: Mapping[str, str], defaults: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for var, raw in environ.items():
        if not var.startswith(PREFIX) or var in NOT_SETTINGS:
            continue
        key = var.removeprefix(PREFIX)
        if key not in defaults or key == "ENV_NAME":
            raise ConfigError(f"{var} is not a carshare setting; see .env.example for the list.")
        found[key] = _coerce(var, raw, defaults[key])
    return found


def _coerce(var: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value in _TRUE | _FALSE:
            return value in _TRUE
        raise ConfigError(f"{var}={raw!r} is not a yes/no value; use true or false.")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{var}={raw!r} is not a whole number.") from None
    return raw


def _validate(settings: dict[str, Any], environ: Mapping[str, str]) -> None:
    try:
        zoneinfo.ZoneInfo(settings["TIMEZONE"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"CARSHARE_TIMEZONE={settings['TIMEZONE']!r} is not a time zone; use e.g. Asia/Tokyo."
        ) from None
    locales = [loc.strip() for loc in settings["LOCALES"].split(",")]
    if settings["DEFAULT_LOCALE"] not in locales or not set(locales) <= {"ja", "en"}:
        raise ConfigError("CARSHARE_LOCALES may list ja and en and must include the default.")
    if not 0 < settings["PORT"] < 65536:
        raise ConfigError(f"CARSHARE_PORT={settings['PORT']} is out of range (1-65535).")
    if settings["ENV_NAME"] == "production":
        _validate_production(settings, environ)


def _validate_production(settings: dict[str, Any], environ: Mapping[str, str]) -> None:
    from config.production import refusal, weak_secret

    if settings["SECRET_KEY"] == DEFAULT_SECRET_KEY or len(settings["SECRET_KEY"]) < 32:
        raise ConfigError(
            "Production needs its own secret: set CARSHARE_SECRET_KEY to 32+ random characters."
        )
    weak = weak_secret(settings["SECRET_KEY"])
    if weak:
        raise ConfigError(f"CARSHARE_SECRET_KEY is not a secret: {weak}; use 32+ random "
                          "characters (python -c 'import secrets; print(secrets.token_hex(32))').")
    if not settings["DATABASE_URL"]:
        raise ConfigError("Production needs a database: set CARSHARE_DATABASE_URL.")
    refused = refusal(settings, environ)
    if refused:
        raise ConfigError(refused)
