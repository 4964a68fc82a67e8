"""A driver's route of the day as the dashboard and the closure check read it (the rows only;
``timeline.py`` builds them)."""

from __future__ import annotations

from dataclasses import dataclass

from carshare.models import Place, Resident, Route, Stop, Vehicle
from carshare.services.legs import OwnTrip


@dataclass(frozen=True)
class StopRow:
    """A stop with its place and, for pick-ups and drop-offs, the rider."""

    stop: Stop
    place: Place
    rider: Resident | None


@dataclass(frozen=True)
class RouteRow:
    """One driver's route: who drives which car, and the stops in order."""

    route: Route
    driver: Resident
    vehicle: Vehicle
    stops: list[StopRow]
    own: OwnTrip | None = None  # the driver's own errand (shown from the offer)
    own_at: int | None = None  # the stop index the own errand comes before
