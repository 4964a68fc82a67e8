"""The app factory wires configuration, database, extensions, views and commands."""

from __future__ import annotations

from pathlib import Path

from carshare import create_app
from carshare.db import database_url


def test_factory_applies_overrides_and_registers_everything(tmp_path: Path) -> None:
    app = create_app("testing", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert app.config["TESTING"] is True
    assert {"auth", "dashboard", "health", "i18n"} <= set(app.blueprints)
    assert {"db", "users", "jobs", "seed-demo", "serve"} <= set(app.cli.commands)
    assert app.config["BABEL_DEFAULT_LOCALE"] == "ja"


def test_default_database_is_sqlite_under_instance(tmp_path: Path) -> None:
    app = create_app("testing", DATABASE_URL="")
    app.instance_path = str(tmp_path / "instance")
    assert database_url(app) == f"sqlite:///{tmp_path / 'instance' / 'carshare.db'}"
    assert (tmp_path / "instance").is_dir()


def test_wsgi_module_exposes_app() -> None:
    import app as wsgi

    assert wsgi.app.name == "carshare"
