"""carshare: shared rides in residents' private cars for a rural town."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

from config import load_config


def create_app(env_name: str | None = None, **overrides: Any) -> Flask:
    """Create the web application.

    :param env_name: ``development``, ``testing`` or ``production`` (default ``CARSHARE_ENV``).
    :param overrides: settings that win over defaults and the environment (used by tests).
    :raise config.ConfigError: when a setting is missing or wrong.
    """
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    register_config(app, env_name, overrides)
    register_logging(app)
    register_database(app)
    register_roads(app)
    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_api(app)
    register_cli(app)
    return app


def register_config(app: Flask, env_name: str | None, overrides: dict[str, Any]) -> None:
    """Load settings from defaults, ``CARSHARE_*`` variables and ``overrides``."""
    settings = load_config(os.environ, env_name, **overrides)
    app.config.from_mapping(settings)
    app.config["TESTING"] = settings["ENV_NAME"] == "testing"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["BABEL_DEFAULT_LOCALE"] = settings["DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = settings["TIMEZONE"]


def register_logging(app: Flask) -> None:
    """Log at the configured level, with phone numbers and addresses masked everywhere."""
    from carshare import logmask

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("carshare").setLevel(app.config["LOG_LEVEL"])
    logmask.install()


def register_database(app: Flask) -> None:
    """Create the engine and the per-request session handling."""
    from carshare import db

    db.init_app(app)


def register_roads(app: Flask) -> None:
    """Point the travel model at this installation's road graphs (``ROADS_DIR``)."""
    from pathlib import Path

    from carshare.roads.store import roads_root
    from carshare.services import travel
    from carshare.services.road_cache import watch_places

    setting = app.config.get("ROADS_DIR", "")
    travel.configure(None if setting == "off"
                     else Path(setting) if setting else roads_root(app.instance_path))
    watch_places()  # does nothing while no road graph is in use


def register_extensions(app: Flask) -> None:
    """Initialise Flask-Login, CSRF protection and Babel."""
    from carshare import extensions

    extensions.init_app(app)


def register_converters(app: Flask) -> None:
    """Bound ``<int:...>`` path ids to the database's integers (before any route is added)."""
    from carshare.web import converters

    converters.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount the web views and the error handlers."""
    from carshare import web

    web.init_app(app)


def register_api(app: Flask) -> None:
    """Mount the JSON API under /api/v1, its docs and the API tokens page."""
    from carshare import api

    api.init_app(app)


def register_cli(app: Flask) -> None:
    """Add the ``flask`` commands (db, seed-demo, users, serve, jobs)."""
    from carshare import cli

    cli.init_app(app)
