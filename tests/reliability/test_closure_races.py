"""Closures sent twice at once (a double click, two staff): one closure, lifted once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import AuditLog, ClosureKind, RoadClosure, StaffUser
from carshare.services.closures import ClosureError, ClosureInput, add_closure, lift_closure
from carshare.timeutil import TOKYO, local_today
from tests.factories import small_town

TODAY = local_today(TOKYO)
SAME = ClosureInput(TODAY + timedelta(days=1), ClosureKind.AREA, 44.88, 141.74, 200, "橋の工事")


def at_once(app: Flask, username: str, act: Callable[[Session, StaffUser], str],
            n: int = 6) -> list[str]:
    """Run ``act`` in ``n`` threads, each with its own session, released at one moment."""
    barrier, said = threading.Barrier(n, timeout=60), list[str]()

    def one() -> None:
        with app.app_context(), Session(get_engine(), expire_on_commit=False) as own:
            staff = own.exec(sa.select(StaffUser).where(StaffUser.username == username)
                             ).scalar_one()
            barrier.wait()
            try:
                said.append(act(own, staff))
            except ClosureError as error:
                said.append(error.code)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return said


def _audit(session: Session, action: str) -> int:
    return len(session.exec(select(AuditLog).where(AuditLog.entity == "road_closure",
                                                   AuditLog.action == action)).all())


def test_the_same_closure_sent_six_times_at_once_is_stored_once(app: Flask,
                                                                session: Session) -> None:
    town = small_town(session)
    said = at_once(app, town["staff"].username,
                   lambda own, staff: str(add_closure(own, staff, SAME, TODAY).id))
    session.expire_all()
    rows = session.exec(select(RoadClosure)).all()
    assert len(rows) == 1 and said == [str(rows[0].id)] * 6
    assert _audit(session, "create") == 1
    other = add_closure(session, town["staff"], ClosureInput(
        SAME.day, ClosureKind.AREA, 44.88, 141.74, 300, "橋の工事"), TODAY)
    assert other.id != rows[0].id  # a different width is another closure


def test_one_closure_lifted_six_times_at_once_is_lifted_once(app: Flask,
                                                            session: Session) -> None:
    town = small_town(session)
    row = add_closure(session, town["staff"], SAME, TODAY)
    said = at_once(app, town["staff"].username,
                   lambda own, staff: f"lifted {lift_closure(own, staff, row.id).id}")
    assert sorted(said) == ["already_lifted"] * 5 + [f"lifted {row.id}"]
    session.expire_all()
    assert _audit(session, "lift") == 1
    again = add_closure(session, town["staff"], SAME, TODAY)
    assert again.id != row.id  # once lifted, the same closure may be entered again
