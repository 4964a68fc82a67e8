"""Load many rows at once: one query per table instead of one ``session.get`` per row.

Pages that list a day (the dashboard, a driver's manifest, the booking options) need, for
every row, its driver, car, places and rider. Asking for each one in a loop costs a round
trip per row (and the session forgets a row again as soon as nothing holds it); these
helpers fetch each table's rows in one ``IN`` query and return them by id. Holding the
returned mapping also keeps the rows in the session, so a later ``session.get`` of one of
them asks the database nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, SQLModel, col, select

from carshare.models import Resident, RideRequest


def by_id[Row: SQLModel](session: Session, model: type[Row],
                        ids: Iterable[int | None]) -> dict[int, Row]:
    """Return the rows of ``model`` whose ids are in ``ids`` (``None`` ignored), by id; one
    query, none when there is nothing to load."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    key = col(model.id)  # type: ignore[attr-defined]
    return {row.id: row for row in session.exec(select(model).where(key.in_(wanted)))}  # type: ignore[attr-defined]


def riders_of(session: Session, request_ids: Iterable[int | None]) -> dict[int, Resident]:
    """Return the rider of each ride request, by request id (one query)."""
    wanted = {i for i in request_ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(RideRequest.id, Resident)
                        .join(Resident, col(Resident.id) == RideRequest.rider_id)
                        .where(col(RideRequest.id).in_(wanted)))
    return {request_id: rider for request_id, rider in rows}  # type: ignore[misc]
