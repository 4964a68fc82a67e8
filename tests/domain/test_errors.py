"""Bad input raises typed errors before any solver starts."""

import pytest
from conftest import problem, request, vehicle

from carshare.domain.errors import InvalidProblem, InvalidRequest, MalformedInstance, UnknownPlace
from carshare.domain.model import compile_problem
from carshare.domain.readers.cordeau import parse
from carshare.domain.solver import solve
from carshare.domain.types import Promise, Window


def test_dropoff_before_pickup_plus_travel(travel):
    with pytest.raises(InvalidRequest, match="drop-off window cannot be met"):
        compile_problem(problem([vehicle()], [request("a", 1, 9, pw=(10, 20), dw=(0, 15))]),
                        travel)


def test_window_ending_before_it_starts(travel):
    with pytest.raises(InvalidRequest, match="ends before it starts"):
        compile_problem(problem([vehicle()], [request("a", 1, 2, pw=(30, 10))]), travel)


def test_party_larger_than_every_vehicle(travel):
    with pytest.raises(InvalidRequest, match="larger than every vehicle") as err:
        solve(problem([vehicle(seats=2)], [request("a", 1, 2, pw=(0, 60), party=3)]), travel)
    assert err.value.request_id == "a"


def test_unknown_place(travel):
    with pytest.raises(UnknownPlace):
        compile_problem(problem([vehicle()], [request("a", 1, 99, pw=(0, 60))]), travel)
    with pytest.raises(UnknownPlace):
        compile_problem(problem([vehicle(end="nowhere")], []), travel)


def test_duplicate_ids_and_missing_windows(travel):
    with pytest.raises(InvalidProblem, match="duplicate"):
        compile_problem(problem([vehicle("x"), vehicle("x")], []), travel)
    with pytest.raises(InvalidRequest, match="needs a pick-up or a drop-off window"):
        compile_problem(problem([vehicle()], [request("a", 1, 2)]), travel)


def test_ride_limit_below_direct_time(travel):
    with pytest.raises(InvalidRequest, match="below direct"):
        compile_problem(problem([vehicle()], [request("a", 1, 9, pw=(0, 60), max_ride=60)]),
                        travel)


def test_promise_to_unknown_vehicle(travel):
    promised = Promise("ghost", Window(0, 600))
    with pytest.raises(InvalidRequest, match="promised vehicle"):
        compile_problem(problem([vehicle()], [request("a", 1, 2, pw=(0, 60), promise=promised)]),
                        travel)


@pytest.mark.parametrize("text", ["", "2 1 480 3 30\n0 0 0 0 0 0 480\n",
                                  "2 1 480 3 30\n0 0 0 0 0 0 480\n1 a b 3 1 0 1440\n"
                                  "2 1 1 3 -1 0 1440\n3 0 0 0 0 0 480\n",
                                  "2 5 480 3 30\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440\n"
                                  "2 1 1 3 -1 0 1440\n3 0 0 0 0 0 480\n"])
def test_malformed_instance(text):
    with pytest.raises(MalformedInstance):
        parse(text)
