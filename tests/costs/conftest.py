"""Cost fixtures: the driver tests' small town with a trip of two riders, both dropped off."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from carshare.models import FuelPrice, RideRequest, TripEventKind, utcnow
from carshare.services.driver_trips import Press, record
from carshare.timeutil import local_today
from tests.driver.conftest import book, driver_client, second_driver, sign_in, tomorrow, town

__all__ = ["book", "driver_client", "second_driver", "sign_in", "tomorrow", "town"]

FUEL_PRICE = Decimal("170.0")


def press(session: Session, t: dict[str, Any], request: RideRequest, kind: TripEventKind,
          offer_id: int | None = None) -> None:
    """Press a trip button for ``request`` as the town's driver."""
    driver = t["driver"]
    person = session.get(type(t["riders"][0]), driver.resident_id)
    record(session, t["town"].id, person,
           Press(offer_id or t["offer"].id, tomorrow(), kind, request.id,
                 f"test-{kind.value}-{request.id}", utcnow()))


def ride(session: Session, t: dict[str, Any], request: RideRequest, offer_id: int | None = None
         ) -> None:
    """The driver picks the rider up and drops them off."""
    press(session, t, request, TripEventKind.PICKED_UP, offer_id)
    press(session, t, request, TripEventKind.DROPPED_OFF, offer_id)


def fuel_price(session: Session, t: dict[str, Any], price: Decimal = FUEL_PRICE) -> FuelPrice:
    """Enter the town's fuel price valid from today."""
    row = FuelPrice(town_id=t["town"].id, valid_from=local_today(), yen_per_litre=price)
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def trip(session: Session, town: dict[str, Any]) -> dict[str, Any]:
    """Two riders booked on tomorrow's offer, both carried, and a fuel price for the day."""
    requests = [book(session, town, 0), book(session, town, 1)]
    for request in requests:
        ride(session, town, request)
    fuel_price(session, town)
    return town | {"requests": requests, "day": tomorrow(),
                   "month": tomorrow().replace(day=1), "yesterday": tomorrow() - timedelta(2)}
