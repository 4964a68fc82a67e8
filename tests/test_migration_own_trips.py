"""Migration 0012 gives existing offers their own trips, and its downgrade gives detours back."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import sqlalchemy as sa

from carshare import migrate
from carshare.db import make_engine
from tests.dbs import empty_database, seed_demo_at

OLD = sa.table("offer", sa.column("id", sa.Integer()), sa.column("depart_after", sa.Time()),
               sa.column("return_by", sa.Time()), sa.column("destination_place_id", sa.Integer()),
               sa.column("end_place_id", sa.Integer()), sa.column("start_place_id", sa.Integer()),
               sa.column("seats", sa.Integer()), sa.column("detour_minutes", sa.Integer()),
               sa.column("vehicle_id", sa.Integer()))
NEW = sa.table("offer", sa.column("id", sa.Integer()), sa.column("arrive_by", sa.Time()),
               sa.column("leave_after", sa.Time()), sa.column("extra_minutes", sa.Integer()),
               sa.column("wheelchair_spaces", sa.Integer()))
VEHICLE = sa.table("vehicle", sa.column("id", sa.Integer()),
                   sa.column("wheelchair_spaces", sa.Integer()))

#: Old offers: (depart, return, has destination, seats, per-rider detour) and what they become:
#: (arrive_by, leave_after, extra_minutes).
CASES = [
    ((time(8), time(15), True, 3, 20), (time(10, 20), time(12, 40), 60)),
    ((time(9), time(12), True, 3, 180), (time(10), time(11), 540)),
    ((time(9), time(12), True, 4, 180), (time(10), time(11), 600)),  # at most 600
    ((time(8, 3), time(8, 7), True, 1, 0), (time(8, 3), time(8, 5), 0)),  # never before leaving
    ((time(7, 30), time(13, 59), True, 2, 15), (time(9, 35), time(11, 45), 30)),
    ((time(8), time(12), False, 3, 30), (None, None, 240)),
    ((time(6), time(20), False, 3, 30), (None, None, 600)),
]


def _set_old_offers(url: str) -> list[int]:
    """Rewrite the first offers (at revision 0011) as the cases say; return their ids."""
    engine = make_engine(url)
    with engine.begin() as conn:
        rows = conn.execute(sa.select(OLD.c.id, OLD.c.start_place_id).order_by(OLD.c.id)).all()
        for (offer_id, start), (old, _new) in zip(rows, CASES, strict=False):
            depart, back, has_destination, seats, detour = old
            conn.execute(OLD.update().where(OLD.c.id == offer_id).values(
                depart_after=depart, return_by=back, seats=seats, detour_minutes=detour,
                end_place_id=start,
                **({} if has_destination else {"destination_place_id": None})))
    engine.dispose()
    return [offer_id for offer_id, _ in rows[:len(CASES)]]


def _read(url: str, table: sa.TableClause, ids: list[int]) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*[c for c in table.c if c.name != "id"])
                            .where(table.c.id.in_(ids)).order_by(table.c.id)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _car_spaces(url: str, ids: list[int]) -> list[int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(VEHICLE.c.wheelchair_spaces).select_from(
            OLD.join(VEHICLE, OLD.c.vehicle_id == VEHICLE.c.id))
            .where(OLD.c.id.in_(ids)).order_by(OLD.c.id)).all()
    engine.dispose()
    return [r[0] for r in rows]


def test_old_offers_get_their_own_trips_and_back(backend: str, tmp_path: Path) -> None:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        seed_demo_at(url)
        migrate.downgrade(url, "0011")
        ids = _set_old_offers(url)
        assert len(ids) == len(CASES)
        spaces = _car_spaces(url, ids)
        assert any(spaces)  # the demo has a car with a wheelchair space among them
        migrate.upgrade(url)
        got = _read(url, NEW, ids)
        assert [row[:3] for row in got] == [new for _old, new in CASES]
        assert [row[3] for row in got] == spaces
        migrate.downgrade(url, "0011")
        detours = [row[-2] for row in _read(url, OLD, ids)]
        assert detours == [20, 180, 150, 0, 15, 180, 180]
        migrate.upgrade(url)
        assert [row[:3] for row in _read(url, NEW, ids)] == [new for _old, new in CASES]
