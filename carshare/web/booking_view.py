"""What the booking pages show about options and legs (driver, car, places)."""

from __future__ import annotations

from sqlmodel import Session

from carshare.services.legs import DriverLabel, driver_labels
from carshare.services.quoting import Answer


def option_labels(session: Session, result: Answer) -> dict[int, DriverLabel]:
    """Return the driver label of every offer in the options and alternatives."""
    return driver_labels(session, {o.option.vehicle_id
                                   for o in result.options + result.alternatives})
