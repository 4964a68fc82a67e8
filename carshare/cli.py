"""The ``flask --app app`` commands: db, seed-demo, users, serve, jobs, worker, tasks."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from carshare import migrate
from carshare.cli_support import friendly_errors, require_migrated, warm_up_in_background
from carshare.db import get_engine, session_scope

db_cli = AppGroup("db", help="Migrate the database (Alembic).")
users_cli = AppGroup("users", help="Manage staff accounts.")
jobs_cli = AppGroup("jobs", help="Run the periodic jobs.")
notifications_cli = AppGroup("notifications", help="Send and inspect notifications.")


def init_app(app: Flask) -> None:
    """Register the command groups on ``app``."""
    for group in (db_cli, users_cli, jobs_cli, notifications_cli):
        app.cli.add_command(group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(serve_command)
    from carshare.cli_export import export_cli
    from carshare.cli_plan import plan_command
    from carshare.cli_roads import roads_cli
    from carshare.tasks.cli import tasks_command, worker_command

    app.cli.add_command(worker_command)
    app.cli.add_command(tasks_command)
    app.cli.add_command(plan_command)
    app.cli.add_command(export_cli)
    app.cli.add_command(roads_cli)


def _url() -> str:
    return get_engine().url.render_as_string(hide_password=False)


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@friendly_errors
def db_upgrade(revision: str) -> None:
    """Migrate the database up to a revision."""
    migrate.upgrade(_url(), revision)
    click.echo(f"database at revision {migrate.current_revision(get_engine())}")


@db_cli.command("downgrade")
@click.option("--revision", default="-1", show_default=True)
@friendly_errors
def db_downgrade(revision: str) -> None:
    """Migrate the database down to a revision (default: one step)."""
    migrate.downgrade(_url(), revision)
    click.echo(f"database at revision {migrate.current_revision(get_engine())}")


@db_cli.command("current")
@friendly_errors
def db_current() -> None:
    """Print the database's revision and the newest one; exit 1 when they differ."""
    current, head = migrate.current_revision(get_engine()), migrate.head_revision()
    click.echo(f"current: {current}  head: {head}")
    if current != head:
        raise click.ClickException("the database is not migrated: run flask --app app db upgrade")


@click.command("seed-demo")
@click.option("--history", is_flag=True,
              help="Also load six weeks of past service (reports, costs, ledgers).")
@with_appcontext
@friendly_errors
def seed_demo_command(history: bool) -> None:
    """Load the Teshio–Wakkanai demo town (does nothing if it is already loaded)."""
    from carshare.models import utcnow
    from carshare.services.demo import seed_demo

    require_migrated()
    with session_scope(get_engine()) as session:
        result = seed_demo(session, utcnow(), ZoneInfo(current_app.config["TIMEZONE"]))
    if result.created:
        click.echo(f"demo town loaded: {result.residents} residents, {result.offers} offers, "
                   f"{result.requests} ride requests")
    else:
        click.echo("demo town already loaded; nothing to do")
    if history:
        _seed_demo_history()


def _seed_demo_history() -> None:
    """Load the demo town's past service (see :mod:`carshare.services.demo_history`)."""
    from carshare.models import utcnow
    from carshare.services.demo_history import load_history

    with session_scope(get_engine()) as session:
        past = load_history(session, utcnow(), ZoneInfo(current_app.config["TIMEZONE"]))
    if past.created:
        click.echo(f"demo history loaded: {past.days} days, {past.requests} ride requests, "
                   f"{past.completed} completed")
    else:
        click.echo("demo history already loaded; nothing to do")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Name shown in the console.")
@click.option("--role", type=click.Choice(["staff", "admin"]), default="staff", show_default=True)
@click.option("--town", default=None, help="Town slug (default CARSHARE_TOWN_SLUG).")
@click.password_option(help="At least 12 characters (asked for when not given).")
@friendly_errors
def users_create(username: str, display_name: str, role: str, town: str | None,
                 password: str) -> None:
    """Create a staff or admin account."""
    from carshare.models import StaffRole
    from carshare.services.users import create_user

    require_migrated()
    with session_scope(get_engine()) as session:
        user = create_user(session, town or current_app.config["TOWN_SLUG"], username,
                           display_name, password, StaffRole(role))
        click.echo(f"created {user.role.value} {user.username!r}")


@jobs_cli.command("list")
def jobs_list() -> None:
    """List the periodic jobs."""
    from carshare.jobs.registry import JOBS

    for spec in JOBS:
        args = spec.resolve(current_app.config)
        click.echo(f"{spec.id:28} {spec.trigger} {args}  {spec.description}")


@jobs_cli.command("run")
@friendly_errors
def jobs_run() -> None:
    """Run the scheduler in the foreground (production: exactly one such process)."""
    from carshare.jobs.runner import run_forever

    require_migrated()
    click.echo("scheduler running; Ctrl+C to stop")
    try:
        run_forever(current_app._get_current_object())
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None


@notifications_cli.command("dispatch")
@friendly_errors
def notifications_dispatch() -> None:
    """Send the notifications that are due now, once, and print what happened."""
    from carshare.notifications import make_notifier
    from carshare.notifications.settings import NotifySettings
    from carshare.services.notify_dispatch import dispatch_due

    require_migrated()
    app = current_app._get_current_object()
    counts = dispatch_due(get_engine(), make_notifier(app.config),
                          NotifySettings.from_config(app.config))
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}, expired {counts['expired']}, "
               f"retrying {counts['retry']}, unknown (call list) {counts['uncertain']}")


@click.command("serve")
@with_appcontext
@friendly_errors
def serve_command() -> None:
    """Serve the web app (and the scheduler when enabled) on CARSHARE_HOST:CARSHARE_PORT."""
    from werkzeug.serving import run_simple

    from carshare.jobs.runner import start_in_process
    from carshare.services.demo_data import DEMO_LOGINS

    app = current_app._get_current_object()
    require_migrated()
    if app.config["SCHEDULER_ENABLED"]:
        start_in_process(app)  # once: run_simple runs without the reloader
    warm_up_in_background()
    url = f"http://{app.config['HOST']}:{app.config['PORT']}"
    click.echo(f"\ncarshare is running at {url}\n")
    for username, _name, role, password in DEMO_LOGINS:
        click.echo(f"  demo {role:5} login: {username} / {password}")
    click.echo("")
    run_simple(app.config["HOST"], app.config["PORT"], app, use_reloader=False, threaded=True)
