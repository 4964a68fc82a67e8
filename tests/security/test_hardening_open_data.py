"""Issue 19 (8): the open-data feed published each free-text settlement as a zone, so a
settlement of one home pinned that home to a ~1 km cell, and stop names were published as
typed. Now every zone stands for at least five homes and stops never carry a person's name."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.domain.zones import contains
from carshare.models import Place, PlaceKind, Resident
from tests.factories import add, small_town
from tests.reports.gtfs_validator import validate
from tests.reports.test_gtfs_flex import unzip

LONE = (44.9731, 141.6213)  # a farm far from the village, the only home of its settlement


def _town(session: Session) -> dict[str, Any]:
    """The small town (3 homes in 本町) plus 4 homes in 北町 and one farm in 原野."""
    town = small_town(session, seats=2, slug="teshio")
    town["town"].website = "https://town.example.jp"
    for n in range(4):
        add(session, Place(town_id=town["town"].id, kind=PlaceKind.HOME, name=f"北 {n} 宅",
                           lat=44.90 + n * 0.003, lon=141.70, settlement="北町"))
    add(session, Place(town_id=town["town"].id, kind=PlaceKind.HOME, name="原野 一郎 宅",
                       lat=LONE[0], lon=LONE[1], settlement="原野一郎さん方"))
    add(session, Resident(town_id=town["town"].id, family_name="原野", given_name="一郎",
                          family_name_kana="ハラノ", given_name_kana="イチロウ"))
    add(session, Place(town_id=town["town"].id, kind=PlaceKind.CLINIC,
                       name="原野一郎診療所", lat=44.95, lon=141.70, settlement="北町"))
    session.commit()
    return town


def _feed(client: FlaskClient) -> dict[str, bytes]:
    response = client.get("/open-data/gtfs-flex.zip")
    assert response.status_code == 200
    return unzip(response.get_data())


def _zones(files: dict[str, bytes]) -> list[dict[str, Any]]:
    return json.loads(files["locations.geojson"])["features"]


def test_no_zone_stands_for_fewer_than_five_homes(client: FlaskClient,
                                                  session: Session) -> None:
    town = _town(session)
    files = _feed(client)
    assert validate(files) == []
    homes = list(session.exec(select(Place).where(Place.town_id == town["town"].id,
                                                  Place.kind == PlaceKind.HOME)))
    zones = _zones(files)
    for zone in zones:
        ring = [tuple(p) for p in zone["geometry"]["coordinates"][0]]
        inside = [h for h in homes if contains(ring, (h.lon, h.lat))]
        assert len(inside) >= 5, zone["properties"]["stop_name"]
    names = [z["properties"]["stop_name"] for z in zones]
    assert not any("原野" in name for name in names)  # the one-home settlement is not named


def test_a_lone_home_cannot_be_read_back_from_a_corner(client: FlaskClient,
                                                       session: Session) -> None:
    _town(session)
    corners = {tuple(p) for z in _zones(_feed(client)) for p in z["geometry"]["coordinates"][0]}
    lat_cell, lon_cell = int(LONE[0] * 100), int(LONE[1] * 100)
    # the old outline: the home's 0.01° cell widened by one cell on every side
    old = {(round((lon_cell + dx) / 100, 6), round((lat_cell + dy) / 100, 6))
           for dx in (-1, 2) for dy in (-1, 2)}
    assert not old & corners


def test_a_town_with_fewer_than_five_homes_publishes_no_zone(client: FlaskClient,
                                                             session: Session) -> None:
    town = small_town(session, seats=2, slug="teshio")  # three homes
    town["town"].website = "https://town.example.jp"
    session.add(town["town"])
    session.commit()
    assert client.get("/open-data/gtfs-flex.zip").status_code == 404


def test_stop_names_never_carry_a_residents_or_homes_name(client: FlaskClient,
                                                          session: Session) -> None:
    town = _town(session)
    add(session, Place(town_id=town["town"].id, kind=PlaceKind.SHOP, name="北 2 宅",
                       lat=44.91, lon=141.70, settlement="北町"))
    session.commit()
    text = _feed(client)["stops.txt"].decode("utf-8")
    names = [row["stop_name"] for row in csv.DictReader(io.StringIO(text))]
    assert "本町診療所" in names  # a facility keeps its own name
    assert "診療所" in names and "店舗" in names
    assert not any("原野" in n or "一郎" in n or "宅" in n for n in names)
