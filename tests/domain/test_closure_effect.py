"""Replaying a planned route with a closure's travel times; straight legs through a closed area."""

from __future__ import annotations

from carshare.domain.closure_effect import (
    Visit,
    broken_rides,
    crosses,
    inside,
    later_rides,
    replay,
    rides_after_crossing,
)
from carshare.domain.travel import UNREACHABLE

SQUARE = ((0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0))
#: Start 0, pick up ride 1 at 600 (window to 900), a wait, drop it off at 1500 (by 1600), end.
ROUTE = [Visit((0, 0), 0, 0), Visit((0, 1), 600, 60, 900, 1),
         Visit((0, 2), 1500, 60, 1600, 1), Visit((0, 3), 1700, 0)]


def _legs(*seconds: int):  # type: ignore[no-untyped-def]
    return lambda k: seconds[k - 1]


def test_a_driver_never_comes_before_the_plan_and_slack_absorbs_a_delay() -> None:
    assert replay(ROUTE, _legs(600, 840, 140)) == [0, 600, 1500, 1700]  # as planned
    starts = replay(ROUTE, _legs(700, 840, 140))
    assert starts == [0, 700, 1600, 1800]  # 100 s late at the pick-up, still within bounds
    assert later_rides(ROUTE, starts) == {1} and broken_rides(ROUTE, starts) == set()


def test_a_long_detour_breaks_the_promise() -> None:
    starts = replay(ROUTE, _legs(600, 1200, 140))
    assert starts[2] == 1860 and broken_rides(ROUTE, starts) == {1}


def test_no_way_round_breaks_every_ride_after_it() -> None:
    starts = replay(ROUTE, _legs(UNREACHABLE, 840, 140))
    assert starts[1:] == [UNREACHABLE] * 3 and broken_rides(ROUTE, starts) == {1}


def test_an_own_stop_holds_the_driver_until_its_end() -> None:
    own = [ROUTE[0], Visit((5, 5), 1000, 0), *ROUTE[1:]]
    # the leg to the own stop is slower, but the driver stays there until 1000 anyway
    assert replay(own, _legs(900, 0, 840, 140))[1] == 1000


def test_straight_legs_through_a_closed_area() -> None:
    assert inside((0.5, 0.5), SQUARE) and not inside((1.5, 0.5), SQUARE)
    assert crosses((-1, 0.5), (2, 0.5), SQUARE)  # right through
    assert crosses((0.5, 0.5), (3, 3), SQUARE)  # from inside
    assert not crosses((-1, -1), (-1, 2), SQUARE)  # beside it
    route = [Visit((-1, 0.5), 0, 0), Visit((-1, 2), 600, 60, None, 1),
             Visit((0.5, 2), 900, 60, None, 2), Visit((0.5, -1), 1200, 60, None, 3),
             Visit((2, -1), 1500, 60, None, 2)]
    assert rides_after_crossing(route, [SQUARE]) == {2, 3}  # from the leg across it on
    assert rides_after_crossing(route[:3], [SQUARE]) == set()
