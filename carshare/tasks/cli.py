"""``flask --app app worker`` (run tasks) and ``flask --app app tasks`` (list them)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Town, utcnow
from carshare.tasks import get_queue, queue_mode
from carshare.tasks.port import STATUSES, TaskRow

NOT_NEEDED = ("no worker is needed here: with SQLite (or CARSHARE_TASK_QUEUE={mode}) tasks run "
              "inside the app process (make run / flask --app app serve). A worker needs "
              "PostgreSQL: CARSHARE_DATABASE_URL=postgresql+psycopg://...")


@click.command("worker")
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Tasks run at once by this process (planning uses one core each: "
                   "prefer more processes).")
@click.option("--name", default=None, help="Shown in the logs (default: worker).")
@click.option("--poll-seconds", default=5.0, show_default=True, type=click.FloatRange(0.1, 60),
              help="Longest wait before looking for a task again (new tasks wake it at once).")
@click.option("--metrics-port", default=0, show_default=True, type=click.IntRange(0, 65535),
              help="Serve this worker's Prometheus metrics (planning time, messages) on this "
                   "port; 0: none (with PROMETHEUS_MULTIPROC_DIR they reach /metrics).")
@click.option("--metrics-address", default="127.0.0.1", show_default=True,
              help="Address of --metrics-port (an internal one: it has no token).")
@with_appcontext
def worker_command(concurrency: int, name: str | None, poll_seconds: float,
                   metrics_port: int, metrics_address: str) -> None:
    """Run tasks (planning, sending, retention) until stopped; start one or more per machine."""
    from carshare.cli_support import friendly_errors, require_migrated

    app = current_app._get_current_object()
    try:
        mode = queue_mode(app)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if mode != "procrastinate":
        raise click.ClickException(NOT_NEEDED.format(mode=mode))
    friendly_errors(require_migrated)()
    from carshare.tasks.pg import ProcrastinateQueue

    queue = get_queue(app)
    assert isinstance(queue, ProcrastinateQueue)
    if metrics_port:
        from prometheus_client import start_http_server

        from carshare.metrics import REGISTRY

        start_http_server(metrics_port, addr=metrics_address, registry=REGISTRY)
        click.echo(f"metrics on http://{metrics_address}:{metrics_port}/metrics")
    from carshare.cli_support import warm_up_in_background

    warm_up_in_background()  # the planning kernel compiled before the first task needs it
    click.echo(f"worker running ({concurrency} at once); Ctrl+C to stop after the running tasks")
    queue.run_worker(concurrency=concurrency, name=name, poll_seconds=poll_seconds)


@click.command("tasks")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 10000))
@with_appcontext
def tasks_command(limit: int) -> None:
    """List the tasks queued, running and failed (the last day), per town, with their age."""
    app = current_app._get_current_object()
    try:
        queue = get_queue(app)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if queue.mode != "procrastinate":
        click.echo(f"tasks run inside the app process ({queue.mode}): this command cannot see "
                   "them; the staff page Settings > Tasks of the running app lists them.")
        return
    rows = queue.rows(limit)
    towns = town_slugs()
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUSES}
    click.echo(", ".join(f"{status} {count}" for status, count in counts.items())
               + f"; workers alive {queue.workers_alive()}")
    if rows:
        click.echo(f"{'TOWN':16} {'TASK':20} {'STATUS':8} {'TRIES':>5}  AGE  ID")
    for row in sorted(rows, key=lambda r: (towns.get(r.town_id or 0, "-"), r.since)):
        click.echo(f"{towns.get(row.town_id or 0, '-'):16} {row.task:20} {row.status:8} "
                   f"{row.attempts:>5}  {age_text(row)}  {row.id}")


def town_slugs() -> dict[int, str]:
    """Return every town's slug by id."""
    with Session(get_engine()) as session:
        return {town_id: slug for town_id, slug in session.exec(select(Town.id, Town.slug))}


def age_seconds(row: TaskRow) -> float:
    """Seconds since the task was queued, started or failed."""
    return max(0.0, (utcnow() - row.since).total_seconds())


def age_text(row: TaskRow) -> str:
    """Return the age as ``1h 02m``, ``3m 05s`` or ``12s``."""
    seconds = int(age_seconds(row))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
