"""Road-network tests: one graph of the test town (built once), and an app that uses it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from carshare import create_app
from carshare.models import Offer, Place, PlaceKind, StaffRole, StaffUser, Town
from carshare.roads.build import build_graph
from carshare.services import travel
from carshare.services.road_cache import wait_for_warming
from tests.conftest import empty_tables
from tests.factories import FUTURE, add, hash_password
from tests.roads.osm_town import POINTS, write_town


@pytest.fixture(scope="session")
def road_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A road graph of the test town (river, one bridge, one-way street, bypass)."""
    folder = tmp_path_factory.mktemp("roads")
    extract = write_town(folder / "town.osm.pbf")
    build_graph(extract, folder / "graphs")
    return folder / "graphs"


@pytest.fixture
def app(migrated_url: str, road_root: Path) -> Iterator[Flask]:
    """A testing app whose travel times come from the test town's roads."""
    application = create_app("testing", DATABASE_URL=migrated_url, ROADS_DIR=str(road_root))
    yield application
    wait_for_warming()
    empty_tables(application)
    graph = travel.road_graph()
    if graph is not None:  # town ids come round again: no test inherits stored road times
        shutil.rmtree(graph.path / "cache", ignore_errors=True)
    travel._road_times.cache_clear()
    travel._road_model.cache_clear()
    travel.configure(None)


def river_town(session: Session, slug: str = "river") -> dict[str, Any]:
    """Places of the test town on its roads, and a staff member (no riders or offers yet)."""
    town = add(session, Town(slug=slug, name="川町"))
    places = {name: add(session, Place(
        town_id=town.id, kind=PlaceKind.HOME if "home" in name or "farm" in name
        else PlaceKind.CLINIC, name=name, lat=lat, lon=lon, settlement="本町"))
        for name, (lat, lon) in POINTS.items()}
    staff = add(session, StaffUser(town_id=town.id, username=f"{slug}-staff",
                                   display_name="職員", password_hash=hash_password("x" * 12),
                                   role=StaffRole.STAFF, session_token="t"))
    session.commit()
    return {"town": town, "places": places, "staff": staff}


def offer_from(session: Session, town: Town, driver_id: int, vehicle_id: int, home: Place,
               seats: int = 3) -> Offer:
    """A driver's availability on FUTURE, 08:00–12:00, from and back to ``home``."""
    return add(session, Offer(town_id=town.id, driver_id=driver_id, vehicle_id=vehicle_id,
                              service_date=FUTURE, depart_after=time(8), return_by=time(12),
                              start_place_id=home.id, end_place_id=home.id, seats=seats,
                              extra_minutes=240))


__all__ = ["FUTURE", "river_town", "offer_from", "timedelta"]
