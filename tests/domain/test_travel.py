"""Great-circle travel model and matrix extension."""

from datetime import UTC, date, datetime

from conftest import request

from carshare.domain.model import compile_problem
from carshare.domain.travel import GreatCircleTravel, TravelConfig, haversine_m
from carshare.domain.types import Place, Problem

TESHIO = Place("teshio", "Teshio Town Office", 44.884, 141.747)
WAKKANAI = Place("wakkanai", "Wakkanai City Hospital", 45.413, 141.680)


def test_teshio_to_wakkanai_distance_and_time():
    assert 58_000 < haversine_m(TESHIO, WAKKANAI) < 60_000
    times, dists = GreatCircleTravel(TravelConfig(circuity=1.15, speed_kmh=60)).matrix(
        [TESHIO], [WAKKANAI], date(2026, 6, 1))
    assert 67_000 < dists[0][0] < 69_000  # about 68 km by road
    assert 66 * 60 < times[0][0] < 70 * 60


def test_winter_is_slower():
    model = GreatCircleTravel()
    summer, _ = model.matrix([TESHIO], [WAKKANAI], date(2026, 7, 1))
    winter, _ = model.matrix([TESHIO], [WAKKANAI], date(2026, 1, 15))
    assert winter[0][0] > summer[0][0] * 1.2


def test_extended_matrix_equals_full_computation():
    places = tuple(Place(k, f"p{k}", 44.9 + k / 100, 141.7 + k / 200) for k in range(5))
    base = Problem(places[:4], (), (), origin=datetime(2026, 5, 1, tzinfo=UTC))
    m = compile_problem(base, GreatCircleTravel())
    req = request("r", 0, 4, pw=(0, 600))
    extended = m.with_request(req, places=(places[4],))
    full = compile_problem(Problem(places, (), (req,), origin=base.origin), GreatCircleTravel())
    assert extended.time == full.time and extended.dist == full.dist


def test_objective_selects_cost_matrix():
    prob = Problem((TESHIO, WAKKANAI), (), ())
    by_time = compile_problem(prob, GreatCircleTravel())
    by_distance = compile_problem(Problem((TESHIO, WAKKANAI), (), (), objective="distance"))
    assert by_time.cost is by_time.time and by_distance.cost is by_distance.dist
    assert by_time.cost[0][1] != by_distance.cost[0][1]
