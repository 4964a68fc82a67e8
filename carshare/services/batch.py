"""Load many rows at once: one query per table instead of one ``session.get`` per row.

Pages that list a day (the dashboard, a driver's manifest, the booking options) need, for
every row, its driver, car, places and rider. Asking for each one in a loop costs a round
trip per row (and the session forgets a row again as soon as nothing holds it); these
helpers fetch each table's rows in one ``IN`` query and return them by id. Holding the
returned mapping also keeps the rows in the session, so a later ``session.get`` (or
:func:`by_id`) of one of them asks the database nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, SQLModel, col, select

from carshare.models import Resident, RideRequest


def by_id[Row: SQLModel](session: Session, model: type[Row],
                        ids: Iterable[int | None]) -> dict[int, Row]:
    """Return the rows of ``model`` whose ids are in ``ids`` (``None`` ignored), by id.

    Like ``session.get`` for each id, rows the session holds already (and has not expired)
    are taken from it; the others come in one query, none when there is nothing to load.
    """
    found: dict[int, Row] = {}
    missing = set()
    for i in {i for i in ids if i is not None}:
        row = session.identity_map.get(identity_key(model, i))
        if row is not None and not sa.inspect(row).expired_attributes:
            found[i] = row
        else:
            missing.add(i)
    if missing:
        key = col(model.id)  # type: ignore[attr-defined]
        found.update((row.id, row) for row in session.exec(select(model).where(key.in_(missing))))  # type: ignore[attr-defined]
    return found


def riders_of(session: Session, request_ids: Iterable[int | None]) -> dict[int, Resident]:
    """Return the rider of each ride request, by request id (at most two queries)."""
    requests = by_id(session, RideRequest, request_ids)
    people = by_id(session, Resident, (r.rider_id for r in requests.values()))
    return {i: people[r.rider_id] for i, r in requests.items()}
