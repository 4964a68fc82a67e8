"""Fixtures for the pure matching-engine tests: small hand-checkable problems.

Places lie on a plane; :class:`EuclideanTravel` with scale 60 makes one
unit of distance one minute (60 s) of driving.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from carshare.domain.travel import EuclideanTravel  # noqa: E402
from carshare.domain.types import Place, Problem, Request, Vehicle, Window  # noqa: E402

SHARED = ROOT / ".." / "shared"
MIN = 60


def place(k: int, x: float, y: float = 0.0) -> Place:
    """Return place ``k`` at (x, y) in minutes of driving."""
    return Place(k, f"p{k}", x, y)


LINE = tuple(place(k, float(k)) for k in range(11))


def vehicle(vid="car", start=0, end=0, seats=3, wc=0, window=(0, 600), **kw) -> Vehicle:
    """Return a vehicle with a window in minutes."""
    return Vehicle(vid, start, end, Window(window[0] * MIN, window[1] * MIN), seats, wc, **kw)


def request(rid, pick, drop, pw=None, dw=None, **kw) -> Request:
    """Return a request with windows in minutes and 1-minute boarding."""
    kw.setdefault("pickup_service", MIN)
    kw.setdefault("dropoff_service", MIN)
    return Request(rid, pick, drop,
                   Window(pw[0] * MIN, pw[1] * MIN) if pw else None,
                   Window(dw[0] * MIN, dw[1] * MIN) if dw else None, **kw)


def problem(vehicles, requests, places=LINE) -> Problem:
    """Return a problem on the line places with a time objective."""
    return Problem(tuple(places), tuple(vehicles), tuple(requests))


@pytest.fixture
def travel() -> EuclideanTravel:
    """Travel model: one unit of distance is one minute."""
    return EuclideanTravel(scale=MIN)


@pytest.fixture
def shared_darp() -> Path:
    """Return the shared DARP benchmark folder or skip when it is absent."""
    path = SHARED / "bench" / "darp"
    if not (path / "instances").is_dir():
        pytest.skip(f"shared benchmark data not found at {path.resolve()}")
    return path
