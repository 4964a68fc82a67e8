"""Several processes: two dispatchers never send a row twice; a killed and restarted
scheduler loses no due message and sends none twice."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, func, select

from carshare.db import get_engine
from carshare.models import Notification, Town, utcnow
from carshare.services.notify_dispatch import recover_stale

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"\[(code:\d+)\]")


def due_codes(app: Flask, count: int) -> None:
    """Write ``count`` sign-in codes due now (sent at any hour, so real time is fine)."""
    now = utcnow()
    with app.app_context(), Session(get_engine()) as session:
        town = Town(slug="t", name="テスト町")
        session.add(town)
        session.flush()
        session.add_all(Notification(
            town_id=town.id, recipient=f"+8190{n:08d}", channel="sms", template="signin_code",
            payload={"code": f"{n:06d}", "start": now.isoformat()},
            due_at=now - timedelta(seconds=n % 60), idempotency_key=f"code:{n}")
            for n in range(count))
        session.commit()


def worker(*args: str) -> subprocess.Popen:
    """Start a worker process; its stderr goes to a file (a full pipe would block it)."""
    errors = open(f"{args[2]}.err", "w")  # noqa: SIM115 (the child writes to it)
    return subprocess.Popen([sys.executable, "-m", "tests.notifications.worker", *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def errors_of(proc: subprocess.Popen) -> str:
    return Path(f"{proc.args[5]}.err").read_text()


def logged(path: Path) -> list[str]:
    return KEY.findall(path.read_text()) if path.exists() else []


def states(app: Flask) -> dict[str, int]:
    with app.app_context(), Session(get_engine()) as session:
        rows = session.exec(select(Notification.state, func.count()).group_by(
            Notification.state))
        return {state.value: n for state, n in rows}


def test_two_dispatchers_at_once_send_each_row_once(app: Flask, migrated_url: str,
                                                     backend: str, tmp_path: Path) -> None:
    if backend != "postgresql":
        pytest.skip("the two-process claim race is checked on PostgreSQL (SKIP LOCKED)")
    due_codes(app, 1000)
    go = tmp_path / "go"
    procs = [worker("dispatch", migrated_url, str(tmp_path / f"{n}.log"), str(go))
             for n in (1, 2)]
    time.sleep(2)  # both are up and waiting
    go.touch()
    outcomes = []
    for proc in procs:
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, errors_of(proc)
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    first, second = logged(tmp_path / "1.log"), logged(tmp_path / "2.log")
    assert outcomes == [{"sent": len(first)}, {"sent": len(second)}]
    assert len(first) + len(second) == 1000 and len(set(first) | set(second)) == 1000
    assert set(first).isdisjoint(second) and first and second  # both took part
    assert states(app) == {"sent": 1000}


def run_until(log: Path, lines: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(logged(log)) < lines:
        assert proc.poll() is None, errors_of(proc)
        assert time.monotonic() < deadline, f"only {len(logged(log))} sent"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_scheduler_restarts_without_losing_or_doubling(
        app: Flask, migrated_url: str, tmp_path: Path, signum: int) -> None:
    total = 400
    due_codes(app, total)
    log = tmp_path / "sent.log"
    first = worker("scheduler", migrated_url, str(log))
    run_until(log, 50, first)
    first.send_signal(signum)
    first.communicate(timeout=60)
    at_kill = len(logged(log))
    assert at_kill < total, "the scheduler finished before it was killed"
    second = worker("scheduler", migrated_url, str(log))
    deadline = time.monotonic() + 120
    while states(app).get("pending", 0) and time.monotonic() < deadline:
        time.sleep(0.1)
    second.send_signal(signal.SIGTERM)
    second.communicate(timeout=60)
    assert second.returncode == 0, errors_of(second)
    with app.app_context(), Session(get_engine()) as session:  # after the lease, a row the
        recover_stale(session, utcnow() + timedelta(minutes=10))  # kill cut off is for staff
    keys, final = logged(log), states(app)
    assert len(keys) == len(set(keys)), "a message was sent twice"
    if signum == signal.SIGTERM:  # a stop request finishes the message in hand
        assert final == {"sent": total} and len(keys) == total
    else:  # a kill may cut one message off mid-send: it goes to the call list, not resent
        assert final.get("sent", 0) + final.get("needs_attention", 0) == total
        assert final.get("needs_attention", 0) <= 1
        assert len(keys) - final["sent"] in (0, final.get("needs_attention", 0))
