"""Planning and quotes use road times: a ride across the river is timed over the one bridge."""

from __future__ import annotations

from datetime import time

from sqlmodel import Session

from carshare.domain import types as d
from carshare.domain.travel import haversine_m
from carshare.models import WindowKind, utcnow
from carshare.services.booking import BookingInput, create_booking
from carshare.services.quoting import answer
from carshare.services.travel import travel_for
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, small_town
from tests.roads.osm_town import POINTS


def _on_the_river(session: Session) -> dict:
    """The small town of the factories, moved onto the test town's roads."""
    t = small_town(session, seats=2)
    t["clinic"].lat, t["clinic"].lon = POINTS["north_clinic"]
    for home in t["homes"]:
        home.lat, home.lon = POINTS["south_home"]
    t["homes"][2].lat, t["homes"][2].lon = POINTS["north_shop"]  # the driver's home
    session.commit()
    return t


def test_a_quote_times_the_ride_over_the_bridge(session: Session) -> None:
    t = _on_the_river(session)
    rider = t["riders"][0]
    data = BookingInput(rider_id=rider.id, pickup_place_id=rider.home_place_id,
                        dropoff_place_id=t["clinic"].id, day=FUTURE,
                        window_kind=WindowKind.ARRIVE_BY, clock=time(10))
    request = create_booking(session, t["staff"], data, utcnow(), TOKYO).outbound
    option = answer(session, request, TOKYO).options[0].option
    ride_s = option.arrival - option.pickup_time  # seconds of problem time
    home, clinic = (d.Place(p.id, p.name, p.lat, p.lon) for p in (t["homes"][0], t["clinic"]))
    road = travel_for(session, t["town"].id).matrix([home], [clinic], FUTURE)[0][0][0]
    assert haversine_m(home, clinic) < 1_200  # across the river from the clinic
    assert ride_s >= road > 700  # about 14 minutes round by the bridge
