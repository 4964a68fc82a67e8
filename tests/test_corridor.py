"""Riders go with drivers whose own trip they fit, within the driver's detour budget."""

from __future__ import annotations

from carshare.domain.corridor import OwnTrip, fitting_trips
from carshare.domain.travel import GreatCircleTravel
from carshare.domain.types import Place, Request, Window

TESHIO = Place("teshio", "天塩町役場", 44.884, 141.747)
WAKKANAI = Place("hospital", "市立稚内病院", 45.413, 141.680)
TOYOTOMI = Place("toyotomi", "豊富町役場", 45.103, 141.779)
HORONOBE = Place("horonobe", "幌延町役場", 45.019, 141.846)
BAKKAI = Place("bakkai", "抜海", 45.303, 141.636)
NAKAGAWA = Place("nakagawa", "中川町役場", 44.815, 142.076)  # inland, off Route 40
PLACES = {p.id: p for p in (TESHIO, WAKKANAI, TOYOTOMI, HORONOBE, BAKKAI, NAKAGAWA)}
WINDOW = Window(9 * 3600, 10 * 3600)


def _request(rid: str, pickup: Place, dropoff: Place) -> Request:
    return Request(rid, pickup.id, dropoff.id, dropoff_window=WINDOW)


def test_riders_along_the_way_fit_and_others_do_not() -> None:
    trip = OwnTrip("teshio", "hospital", "teshio", 20 * 60)
    requests = (
        _request("same", TESHIO, WAKKANAI),        # exactly the driver's trip
        _request("on_the_way", TOYOTOMI, WAKKANAI),  # Route 40 passes near Toyotomi
        _request("back_home", WAKKANAI, TESHIO),   # the way back
        _request("far_off", NAKAGAWA, TOYOTOMI),   # from inland, far off the coast road
    )
    fits = fitting_trips(requests, {"car": trip}, PLACES, GreatCircleTravel())
    assert fits["same"] == fits["on_the_way"] == fits["back_home"] == frozenset({"car"})
    assert fits["far_off"] == frozenset()


def test_a_larger_budget_takes_more_riders() -> None:
    request = (_request("horonobe", HORONOBE, WAKKANAI),)
    small = fitting_trips(request, {"car": OwnTrip("teshio", "hospital", "teshio", 60)},
                          PLACES, GreatCircleTravel())
    large = fitting_trips(request, {"car": OwnTrip("teshio", "hospital", "teshio", 3600)},
                          PLACES, GreatCircleTravel())
    assert small["horonobe"] == frozenset() and large["horonobe"] == frozenset({"car"})
