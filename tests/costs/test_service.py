"""Trip costs from the database: driven km, fuel price, entered items, split settings."""

from __future__ import annotations

import math
from datetime import time
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, select

from carshare.domain.costs import CostError, ItemKind, SplitRule
from carshare.domain.travel import haversine_m
from carshare.models import AuditLog, FuelPrice, Place, StopKind, TripCostItem
from carshare.models.travel import DEFAULT_CIRCUITY
from carshare.services.cost_items import ItemInput, add_cost_item, set_trip_distance
from carshare.services.cost_settings import SettingsInput, save_cost_settings
from carshare.services.costs import trip_costs, trip_stops

D = Decimal


def test_driven_km_follow_the_route_with_the_planners_travel_model(
        session: Session, trip: dict[str, Any]) -> None:
    costs = trip_costs(session, trip["town"].id, trip["offer"].id, trip["day"])
    stops = trip_stops(session, trip["town"].id, trip["offer"].id, trip["day"]).stops
    places = [session.get(Place, s.place_id) for s in stops]
    assert [s.kind for s in stops][0] is StopKind.START and stops[-1].kind is StopKind.END
    # Great circle × the town's circuity (default 1.15), rounded up to whole metres per leg,
    # as the planner does.
    legs = zip(places, places[1:], strict=False)
    metres = sum(math.ceil(haversine_m(a, b) * DEFAULT_CIRCUITY) for a, b in legs if a.id != b.id)
    assert costs.driven_km == D(metres) / 1000
    assert 70 < costs.driven_km < 110  # two homes, the clinic about 40 km away, and back
    assert not costs.km_from_staff
    assert costs.direct_km == 0  # no destination of their own: start and end are home


def test_whole_trip_split_with_odometer_km_toll_and_parking(
        session: Session, trip: dict[str, Any]) -> None:
    t, staff = trip, trip["staff"]
    set_trip_distance(session, staff, t["offer"].id, t["day"], D("84.0"), "odometer")
    add_cost_item(session, staff, t["town"].id, t["offer"].id, t["day"],
                  ItemInput("parking", 300, extra=False))
    add_cost_item(session, staff, t["town"].id, t["offer"].id, t["day"], ItemInput("toll", 125))
    costs = trip_costs(session, t["town"].id, t["offer"].id, t["day"])
    # Fuel: 84 km × ¥170 ÷ 20 km/L = ¥714; + ¥300 + ¥125 = ¥1,139 → nearest ¥10 = ¥1,140.
    assert costs.km_from_staff and costs.driven_km == D("84.0")
    assert costs.split.counted[0].amount == D(714)
    assert costs.split.whole == 1140
    # Two riders of one person each: 114 tens → 57 and 57.
    assert [p.total for p in costs.split.parts] == [570, 570]
    part = costs.part_of(t["requests"][0].id)
    # ¥570 by kind: fuel 714/1139 × 570 = 357.31, parking 150.13, toll 62.55 → 357, 150, 63.
    assert part.items == {ItemKind.FUEL: 357, ItemKind.PARKING: 150, ItemKind.TOLL: 63}


def test_extra_only_rule_counts_the_detour_from_the_drivers_own_trip(
        session: Session, trip: dict[str, Any]) -> None:
    t, staff = trip, trip["staff"]
    t["offer"].destination_place_id = t["clinic"].id
    t["offer"].arrive_by, t["offer"].leave_after = time(9), time(11)  # a trip has its own times
    session.add(t["offer"])
    session.commit()
    save_cost_settings(session, staff, SettingsInput("extra_only", 1, "down"))
    add_cost_item(session, staff, t["town"].id, t["offer"].id, t["day"],
                  ItemInput("parking", 300, extra=False))
    costs = trip_costs(session, t["town"].id, t["offer"].id, t["day"])
    assert costs.settings.split_rule is SplitRule.EXTRA_ONLY
    detour = costs.driven_km - costs.direct_km
    assert 0 < detour < 5  # the two homes lie next to the driver's on the way to the clinic
    fuel = detour * 170 / 20
    assert [i.kind for i in costs.split.counted] == [ItemKind.FUEL]  # parking is the driver's
    assert costs.split.whole == int(fuel)  # rounded down to ¥1
    assert sum(p.total for p in costs.split.parts) == costs.split.whole


def test_missing_fuel_price_is_an_error_not_zero(session: Session, trip: dict[str, Any]) -> None:
    session.delete(session.exec(select(FuelPrice)).one())
    session.commit()
    with pytest.raises(CostError) as error:
        trip_costs(session, trip["town"].id, trip["offer"].id, trip["day"])
    assert error.value.code == "fuel_price_missing"


def test_only_completed_riders_share(session: Session, town: dict[str, Any]) -> None:
    from tests.costs.conftest import book, fuel_price, ride, tomorrow

    first, second = book(session, town, 0), book(session, town, 1)
    fuel_price(session, town)
    with pytest.raises(CostError) as error:
        trip_costs(session, town["town"].id, town["offer"].id, tomorrow())
    assert error.value.code == "no_completed_riders"
    ride(session, town, first)
    costs = trip_costs(session, town["town"].id, town["offer"].id, tomorrow())
    assert [p.key for p in costs.split.parts] == [first.id]
    assert costs.part_of(second.id) is None


@pytest.mark.parametrize(("data", "code"), [
    (ItemInput("toll", 500_000), "amount_too_large"),
    (ItemInput("parking", -100), "negative_amount"),
    (ItemInput("fuel", 100), "bad_kind"),
    (ItemInput("tip", 100), "bad_kind"),
    (ItemInput("insurance", 100), "item_not_enabled"),
])
def test_bad_items_are_refused_and_nothing_is_written(
        session: Session, trip: dict[str, Any], data: ItemInput, code: str) -> None:
    t = trip
    before = len(session.exec(select(AuditLog)).all())
    with pytest.raises(CostError) as error:
        add_cost_item(session, t["staff"], t["town"].id, t["offer"].id, t["day"], data)
    session.rollback()
    assert error.value.code == code
    assert session.exec(select(TripCostItem)).all() == []
    assert len(session.exec(select(AuditLog)).all()) == before


def test_enabled_optional_item_is_shared_and_audited(session: Session,
                                                     trip: dict[str, Any]) -> None:
    t = trip
    save_cost_settings(session, t["staff"], SettingsInput("whole_trip", 10, "nearest",
                                                          insurance_enabled=True))
    row = add_cost_item(session, t["staff"], t["town"].id, t["offer"].id, t["day"],
                        ItemInput("insurance", 200))
    costs = trip_costs(session, t["town"].id, t["offer"].id, t["day"])
    assert ItemKind.INSURANCE in costs.part_of(t["requests"][0].id).items
    actions = {(a.action, a.entity) for a in session.exec(select(AuditLog))}
    assert ("create", "trip_cost_item") in actions and ("update", "town_cost_settings") in actions
    assert row.entered_by_staff_id == t["staff"].id


def test_other_towns_trip_is_not_found(session: Session, trip: dict[str, Any]) -> None:
    from tests.factories import small_town

    other = small_town(session, slug="other")
    with pytest.raises(CostError) as error:
        add_cost_item(session, other["staff"], other["town"].id, trip["offer"].id, trip["day"],
                      ItemInput("toll", 100))
    assert error.value.code == "no_trip"


@pytest.mark.parametrize("km", [D(-1), D(1001), D("12.34"), D("NaN")])
def test_bad_distance_is_refused(session: Session, trip: dict[str, Any], km: Decimal) -> None:
    with pytest.raises(CostError) as error:
        set_trip_distance(session, trip["staff"], trip["offer"].id, trip["day"], km)
    assert error.value.code == "bad_distance"


def test_fuel_price_in_force_is_the_newest_not_future_and_not_stale(
        session: Session, trip: dict[str, Any]) -> None:
    from datetime import timedelta

    from carshare.services.cost_settings import fuel_price_on

    town, day = trip["town"].id, trip["day"]
    session.delete(session.exec(select(FuelPrice)).one())
    for offset, price in ((-100, "150.0"), (-10, "160.0"), (1, "180.0")):
        session.add(FuelPrice(town_id=town, valid_from=day + timedelta(offset),
                              yen_per_litre=D(price)))
    session.commit()
    assert fuel_price_on(session, town, day).yen_per_litre == D("160.0")
    assert fuel_price_on(session, town, day + timedelta(1)).yen_per_litre == D("180.0")
    # 95 days on, the last price is 94 days old: too old to use.
    with pytest.raises(CostError) as error:
        fuel_price_on(session, town, day + timedelta(95))
    assert error.value.code == "fuel_price_missing"
    with pytest.raises(CostError):
        fuel_price_on(session, town, day - timedelta(101))


def test_ledger_counts_only_the_drivers_own_trips_and_gifts_apart(
        session: Session, trip: dict[str, Any]) -> None:
    from carshare.services.cost_ledger import GiftInput, driver_ledger, record_gift
    from carshare.services.costs import completed_trips
    from tests.costs.conftest import book, ride, second_driver

    t = trip
    other = second_driver(session, t)
    third = book(session, t | {"riders": t["riders"][::-1]}, 0, offer=other["offer"])
    ride(session, t, third, offer_id=other["offer"].id)
    set_trip_distance(session, t["staff"], t["offer"].id, t["day"], D("40.0"))
    set_trip_distance(session, t["staff"], other["offer"].id, t["day"], D("36.0"))
    record_gift(session, t["staff"], GiftInput(t["driver"].id, t["day"], "野菜", 500))
    trips = completed_trips(session, t["town"].id, t["day"], t["day"])
    assert sorted(x.offer.id for x in trips) == sorted([t["offer"].id, other["offer"].id])
    mine = driver_ledger(session, t["town"].id, t["driver"].id, t["month"])
    theirs = driver_ledger(session, t["town"].id, other["driver"].id, t["month"])
    # 40 km × 170 ÷ 20 = ¥340; 36 km × 170 ÷ 18 km/L = ¥340 as well, one rider alone.
    assert [r.offer_id for r in mine.rows] == [t["offer"].id] and mine.total == 340
    assert [r.offer_id for r in theirs.rows] == [other["offer"].id] and theirs.total == 340
    assert mine.gift_value == 500 and theirs.gifts == []
    with pytest.raises(CostError):
        driver_ledger(session, t["town"].id + 999, t["driver"].id, t["month"])


def test_a_row_written_twice_at_once_is_a_conflict_not_a_crash(
        session: Session, trip: dict[str, Any]) -> None:
    from carshare.services.cost_settings import flush_or_conflict

    first = session.exec(select(FuelPrice)).one()
    session.add(FuelPrice(town_id=first.town_id, valid_from=first.valid_from,
                          yen_per_litre=D("180.0")))
    with pytest.raises(CostError) as error:
        flush_or_conflict(session)
    assert error.value.code == "conflict"
    assert [p.yen_per_litre for p in session.exec(select(FuelPrice))] == [D("170.0")]
