"""The shared evaluator on hand-checkable sequences."""

from conftest import MIN, problem, request, vehicle

from carshare.domain.evaluate import earliest, feasible, load_ok, route_cost
from carshare.domain.model import compile_problem
from carshare.domain.schedule import build_route, delayed_times


def test_pairing_and_precedence(travel):
    m = compile_problem(problem([vehicle()], [request("a", 1, 3, pw=(0, 600))]), travel)
    assert feasible(m, 0, [0, 1])
    assert not feasible(m, 0, [1, 0])  # drop-off before pick-up
    assert not feasible(m, 0, [0])  # pick-up without drop-off


def test_earliest_times_follow_travel_and_service(travel):
    m = compile_problem(problem([vehicle()], [request("a", 2, 5, pw=(0, 600))]), travel)
    # depot 0 -> 2 (2 min) -> serve 1 min -> 5 (3 min)
    assert earliest(m, 0, [0, 1]) == [0, 2 * MIN, 6 * MIN, 12 * MIN]
    assert route_cost(m, 0, [0, 1]) == 10 * MIN


def test_seat_capacity(travel):
    reqs = [request("a", 1, 4, pw=(0, 600), party=2), request("b", 2, 5, pw=(0, 600))]
    m = compile_problem(problem([vehicle(seats=2)], reqs), travel)
    assert not load_ok(m, 0, [0, 2, 1, 3])  # 3 people on board between 2 and 4
    assert feasible(m, 0, [0, 1, 2, 3])


def test_wheelchair_needs_a_space(travel):
    reqs = [request("w", 1, 2, pw=(0, 600), wheelchair=True)]
    without = compile_problem(problem([vehicle(wc=0)], reqs), travel)
    with_space = compile_problem(problem([vehicle(wc=1)], reqs), travel)
    assert not feasible(without, 0, [0, 1])
    assert feasible(with_space, 0, [0, 1])


def test_ride_time_limit(travel):
    # a: 1 -> 2 may ride at most 3 min; a detour via 6 breaks it
    reqs = [request("a", 1, 2, pw=(0, 600), max_ride=3 * MIN), request("b", 6, 7, pw=(0, 600))]
    m = compile_problem(problem([vehicle()], reqs), travel)
    assert feasible(m, 0, [0, 1, 2, 3])
    assert not feasible(m, 0, [0, 2, 1, 3])


def test_time_window_and_waiting(travel):
    reqs = [request("a", 1, 2, pw=(30, 40))]
    m = compile_problem(problem([vehicle()], reqs), travel)
    assert earliest(m, 0, [0, 1])[1] == 30 * MIN  # waits for the window
    late = compile_problem(problem([vehicle(window=(0, 20))], reqs), travel)
    assert not feasible(late, 0, [0, 1])


def test_route_duration_limit(travel):
    reqs = [request("a", 5, 6, pw=(0, 600))]
    assert feasible(compile_problem(problem([vehicle(max_duration=14 * MIN)], reqs), travel),
                    0, [0, 1])
    assert not feasible(compile_problem(problem([vehicle(max_duration=13 * MIN)], reqs), travel),
                        0, [0, 1])


def test_departure_delayed_so_riders_do_not_wait_on_board(travel):
    # b is picked up on the way but a's drop-off opens only at minute 60
    reqs = [request("a", 1, 3, dw=(60, 70), max_ride=120 * MIN),
            request("b", 2, 3, pw=(0, 600), max_ride=120 * MIN)]
    m = compile_problem(problem([vehicle()], reqs), travel)
    seq = [0, 2, 1, 3]
    assert earliest(m, 0, seq)[1] == MIN  # earliest: a boards at minute 1
    times = delayed_times(m, 0, seq)
    assert times[3] - times[1] - MIN <= 4 * MIN  # a rides without waiting
    route = build_route(m, 0, seq)
    assert [s.kind.value for s in route.stops] == ["start", "pickup", "pickup", "dropoff",
                                                    "dropoff", "end"]
    assert all(s.service_start >= s.arrival for s in route.stops)
