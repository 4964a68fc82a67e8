"""Database engine and per-request sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlmodel import Session

import carshare.models  # noqa: F401  (registers every table)

ENGINE_KEY = "carshare.engine"


def database_url(app: Flask) -> str:
    """Return the configured database URL, defaulting to an SQLite file under ``instance/``."""
    url = app.config["DATABASE_URL"]
    if url:
        return url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'carshare.db'}"


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys enforced and a busy timeout."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, echo=echo, connect_args={"check_same_thread": False,
                                                                 "timeout": 15})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Create the app's engine, close each request's session when the request ends, and
    answer 503 (not 500) while the database cannot be reached."""
    app.extensions[ENGINE_KEY] = make_engine(database_url(app), echo=app.config["SQL_ECHO"])
    app.teardown_appcontext(_close_session)
    for error in DATABASE_ERRORS:
        app.register_error_handler(error, _database_unavailable)


UNAVAILABLE_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>503</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>503</h1><p>{message}</p><p><a href="">{again}</a></p></body></html>"""


DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError)
RETRY_AFTER = {"Retry-After": "30"}


def outage_message() -> str:
    """Return the translated message shown while the database cannot be reached."""
    from flask_babel import gettext as _

    return _("The database cannot be reached at the moment. Nothing was saved by this "
             "request; please try again in a minute.")


def forget_request(error: sa.exc.DBAPIError) -> None:
    """Log the outage and drop this request's session and signed-in user, so that nothing
    after the error (hooks, templates) asks the database again."""
    from carshare.extensions import login_manager

    current_app.logger.warning("database unavailable: %s", str(error.orig or error)[:200])
    g._login_user = login_manager.anonymous_user()
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except sa.exc.SQLAlchemyError:
            pass  # the connection is gone already; the pool drops it


def _database_unavailable(error: sa.exc.DBAPIError):  # type: ignore[no-untyped-def]
    """The database went away (restart, network): nothing of this request was stored.

    The page is self-contained: no template context (which would ask the database for the
    signed-in user and the navigation). The pool reconnects by itself (``pool_pre_ping``)
    once the database is back.
    """
    from flask import request
    from flask_babel import get_locale
    from flask_babel import gettext as _
    from markupsafe import escape

    forget_request(error)
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        body = {"error": {"code": "database_unavailable", "message": outage_message()}}
        return body, 503, RETRY_AFTER
    page = UNAVAILABLE_PAGE.format(lang=escape(str(get_locale())),
                                   message=escape(outage_message()),
                                   again=escape(_("Try again")))
    return page, 503, RETRY_AFTER


def get_engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions[ENGINE_KEY]


def get_session() -> Session:
    """Return the session of the current request (or app context), opening it on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on error (jobs and CLI)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
