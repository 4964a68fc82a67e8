"""What every ``flask`` command group shares: one-line database errors, the migration check,
compiling the planning kernel in the background."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
import sqlalchemy as sa

from carshare import migrate
from carshare.db import get_engine


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn database and input errors into one-line messages with a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except sa.exc.OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            if _reachable():
                raise click.ClickException(f"database error: {reason}") from None
            raise click.ClickException(
                f"cannot reach the database {_masked_url()} ({reason}); "
                "check CARSHARE_DATABASE_URL and that the server is running") from None
        except ValueError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


def _reachable() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return False
    return True


def _masked_url() -> str:
    return get_engine().url.render_as_string(hide_password=True)


def require_migrated() -> None:
    """Stop with a one-line message when the database is not at the newest revision."""
    if not migrate.is_up_to_date(get_engine()):
        raise click.ClickException(
            "the database is not migrated to the newest revision: run flask --app app db upgrade")


def warm_up_in_background() -> None:
    """Compile the planning kernel now, so the first plan of a fresh install gets its full time."""
    import threading

    from carshare.domain.fast_search import warm_up

    threading.Thread(target=warm_up, name="kernel-warm-up", daemon=True).start()
