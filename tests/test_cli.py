"""The flask commands: users, seed-demo, db, jobs; errors are one line and non-zero."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlmodel import Session, select

from carshare import create_app
from carshare.jobs.registry import JOBS
from carshare.jobs.runner import build_scheduler
from carshare.jobs.tasks import close_expired_requests
from carshare.models import RequestStatus, RideRequest, StaffUser, utcnow


def _run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_users_create(app: Flask, demo: None, session: Session) -> None:
    result = _run(app, "users", "create", "--username", "sato", "--name", "佐藤 一",
                  "--role", "admin", "--password", "a-long-password-42")
    assert result.exit_code == 0, result.output
    user = session.exec(select(StaffUser).where(StaffUser.username == "sato")).one()
    assert user.role == "admin" and user.password_hash.startswith("$argon2id$")


def test_users_create_refuses_short_password_and_taken_name(app: Flask, demo: None) -> None:
    result = _run(app, "users", "create", "--username", "sato", "--name", "x",
                  "--password", "short")
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    result = _run(app, "users", "create", "--username", "madoguchi", "--name", "x",
                  "--password", "a-long-password-42")
    assert result.exit_code == 1 and "is taken" in result.output


def test_users_create_needs_a_town(app: Flask) -> None:
    result = _run(app, "users", "create", "--username", "sato", "--name", "x",
                  "--password", "a-long-password-42")
    assert result.exit_code == 1 and "no town 'teshio'" in result.output


def test_seed_demo_twice(app: Flask) -> None:
    assert "demo town loaded" in _run(app, "seed-demo").output
    assert "already loaded" in _run(app, "seed-demo").output


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    app = create_app("testing", DATABASE_URL=f"sqlite:///{tmp_path / 'new.db'}")
    result = _run(app, "seed-demo")
    assert result.exit_code == 1
    assert "not migrated" in result.output and "db upgrade" in result.output
    assert _run(app, "db", "current").exit_code == 1
    assert _run(app, "db", "upgrade").exit_code == 0
    assert _run(app, "db", "current").exit_code == 0


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    app = create_app("testing",
                     DATABASE_URL="postgresql+psycopg://u:secret@127.0.0.1:1/x?connect_timeout=2")
    result = _run(app, "db", "upgrade")
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output and "CARSHARE_DATABASE_URL" in result.output
    assert "secret" not in result.output and "Traceback" not in result.output


def test_jobs_are_declared_once_with_stable_ids(app: Flask) -> None:
    assert len({spec.id for spec in JOBS}) == len(JOBS)
    scheduler = build_scheduler(app)
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(spec.id for spec in JOBS)
    assert "close-expired-requests" in _run(app, "jobs", "list").output


def test_expired_requests_become_unmet(app: Flask, demo: None, session: Session) -> None:
    request = session.exec(select(RideRequest)).first()
    request.window_start = utcnow() - timedelta(hours=3)
    request.window_end = utcnow() - timedelta(hours=2)
    session.add(request)
    session.commit()
    assert close_expired_requests(app) == 1
    session.expire_all()
    closed = session.get(RideRequest, request.id)
    assert closed.status == RequestStatus.UNMET and closed.outcome_code == "expired"
    assert close_expired_requests(app) == 0
