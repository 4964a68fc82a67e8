"""``flask --app app plan DATE``: re-plan a day from the command line, with a progress bar."""

from __future__ import annotations

import threading
import time
from datetime import date
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from carshare.db import get_engine, session_scope


@click.command("plan")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--time-limit", default=10.0, show_default=True, help="Seconds of search.")
@click.option("--town", default=None, help="Town slug (default CARSHARE_TOWN_SLUG).")
@with_appcontext
def plan_command(day, time_limit: float, town: str | None) -> None:  # type: ignore[no-untyped-def]
    """Re-plan every open request of DAY (YYYY-MM-DD), keeping every promise."""
    from carshare.cli_support import require_migrated

    require_migrated()
    town_id = _town_id(town or current_app.config["TOWN_SLUG"])
    outcome: dict = {}
    worker = threading.Thread(target=_run, args=(
        current_app._get_current_object(), town_id, day.date(), time_limit, outcome))
    worker.start()
    _progress(worker, time_limit)
    if "error" in outcome:
        raise click.ClickException(str(outcome["error"]))
    _report(outcome["result"])


def _town_id(slug: str) -> int:
    from sqlmodel import select

    from carshare.models import Town

    with session_scope(get_engine()) as session:
        town = session.exec(select(Town).where(Town.slug == slug)).first()
        if town is None:
            raise click.ClickException(f"no town {slug!r}")
        return town.id


def _run(app, town_id: int, day: date, limit: float, outcome: dict) -> None:  # type: ignore[no-untyped-def]
    from carshare.services.planning import plan_day

    try:
        with app.app_context(), session_scope(get_engine()) as session:
            outcome["result"] = plan_day(session, town_id, day, ZoneInfo(app.config["TIMEZONE"]),
                                         time_limit_s=limit)
    except Exception as error:  # reported as one line by the command
        outcome["error"] = error


def _progress(worker: threading.Thread, limit: float) -> None:
    started = time.monotonic()
    with click.progressbar(length=int(limit * 10), label="planning",
                           show_eta=False) as bar:
        while worker.is_alive():
            worker.join(0.1)
            bar.update(min(int((time.monotonic() - started) * 10), bar.length) - bar.pos)
        bar.update(bar.length - bar.pos)


def _report(result) -> None:  # type: ignore[no-untyped-def]
    click.echo(f"served {result.served}, waiting {len(result.unserved)}")
    for change in result.changes:
        click.echo(f"  request {change.request_id}: {change.kind}")
