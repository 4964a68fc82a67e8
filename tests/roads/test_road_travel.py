"""Travel times follow the roads of the test town: the bridge detour, the one-way street,
the closed middle of the north road, and the month's factor on top."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from carshare.domain import types as d
from carshare.domain.travel import RoadTravel, haversine_m
from carshare.models import ClosureKind, RoadClosure, TownTravelSettings
from carshare.services.travel import model_info, travel_for
from tests.factories import add
from tests.roads.conftest import river_town
from tests.roads.osm_town import CLOSED_MIDDLE, NORTH_LAT

JUNE, DECEMBER = date(2027, 6, 8), date(2027, 12, 7)


def _places(t: dict, *names: str) -> list[d.Place]:
    return [d.Place(p.id, p.name, p.lat, p.lon) for p in (t["places"][n] for n in names)]


def _time(session: Session, t: dict, a: str, b: str, day: date = JUNE) -> int:
    times, _ = travel_for(session, t["town"].id).matrix(*[_places(t, a), _places(t, b)], day)
    return times[0][0]


def test_times_follow_the_road_over_the_one_bridge(session: Session) -> None:
    t = river_town(session)
    model = travel_for(session, t["town"].id)
    assert isinstance(model, RoadTravel) and model_info().roads
    home, clinic = _places(t, "south_home", "north_clinic")
    straight = haversine_m(home, clinic)
    times, metres = model.matrix([home], [clinic], JUNE)
    assert 1_000 < straight < 1_200  # across the river
    assert 13_000 < metres[0][0] < 14_500  # 8 km east to the bridge, back 8 km west
    assert 700 < times[0][0] < 1_000  # about 14 minutes, not the 1–2 of a straight line


def test_the_one_way_street_is_driven_one_way(session: Session) -> None:
    t = river_town(session)
    up = _time(session, t, "north_shop", "hill_hamlet")
    down = _time(session, t, "hill_hamlet", "north_shop")
    assert up != down  # up the one-way street, back by the lane


def test_the_month_factor_slows_winter(session: Session) -> None:
    t = river_town(session)
    summer = _time(session, t, "south_home", "north_clinic", JUNE)
    add(session, TownTravelSettings(town_id=t["town"].id, month_factors=",".join(
        ["1.50"] * 3 + ["1.00"] * 8 + ["1.50"])))
    session.commit()
    winter = _time(session, t, "south_home", "north_clinic", DECEMBER)
    assert winter == -(-summer * 3 // 2)  # × 1.5, rounded up


def test_a_closure_sends_that_day_round_the_bypass(session: Session) -> None:
    t = river_town(session)
    before = _time(session, t, "north_clinic", "north_shop")
    lon1, lon2 = CLOSED_MIDDLE[0][1], CLOSED_MIDDLE[1][1]
    add(session, RoadClosure(town_id=t["town"].id, day=JUNE, kind=ClosureKind.SEGMENT,
                             lat=NORTH_LAT, lon=lon1, lat2=NORTH_LAT, lon2=lon2, radius_m=60,
                             note="北の道 工事"))
    session.commit()
    closed = _time(session, t, "north_clinic", "north_shop")
    assert closed > before + 120  # round the bypass
    assert _time(session, t, "north_clinic", "north_shop", date(2027, 6, 9)) == before


def test_a_place_far_from_any_road_is_estimated(session: Session) -> None:
    t = river_town(session)
    far = _time(session, t, "far_farm", "north_clinic")
    farm, clinic = _places(t, "far_farm", "north_clinic")
    assert far > haversine_m(farm, clinic) / 30  # the estimate, not the 47 s of a snapped road
