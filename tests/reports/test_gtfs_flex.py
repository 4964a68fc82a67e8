"""The GTFS-Flex feed: every file parses and refers correctly (tests/reports/gtfs_validator)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.domain.zones import contains, signed_area
from carshare.models import Place, PlaceKind, Town
from tests.reports.gtfs_validator import validate

Files = dict[str, bytes]


def unzip(body: bytes) -> Files:
    """Return the files of a zip archive."""
    archive = zipfile.ZipFile(io.BytesIO(body))
    return {name: archive.read(name) for name in archive.namelist()}


def table(files: Files, name: str) -> list[dict[str, str]]:
    """Return the rows of one CSV file of the feed."""
    return list(csv.DictReader(io.StringIO(files[name].decode("utf-8"))))


@pytest.fixture
def feed(client: FlaskClient, demo: None) -> Files:
    """The demo town's feed as the public URL serves it."""
    response = client.get("/open-data/gtfs-flex.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return unzip(response.get_data())


def test_demo_feed_passes_the_validator_checks(feed: Files) -> None:
    assert validate(feed) == []
    assert set(feed) == {"agency.txt", "stops.txt", "locations.geojson", "location_groups.txt",
                         "location_group_stops.txt", "routes.txt", "calendar.txt", "trips.txt",
                         "stop_times.txt", "booking_rules.txt", "feed_info.txt"}
    assert all(not body.startswith(b"\xef\xbb\xbf") for body in feed.values())


def test_zones_cover_every_settled_place(app: Flask, feed: Files) -> None:
    """Zones follow settlements with five homes or more (issue 19: smaller ones are merged,
    tests/security/test_hardening_open_data.py) and cover every place that has one."""
    features = json.loads(feed["locations.geojson"])["features"]
    with app.app_context(), Session(get_engine()) as session:
        places = list(session.exec(select(Place).where(Place.settlement != "")))
    names = {f["properties"]["stop_name"] for f in features}
    assert {"天塩", "豊富", "産士"} <= names and "勇知" not in names  # 5+ homes; 2 homes
    rings = [[tuple(p) for p in f["geometry"]["coordinates"][0]] for f in features]
    for place in places:
        assert any(contains(ring, (place.lon, place.lat)) for ring in rings), place.name
    assert all(signed_area(ring) > 0 for ring in rings)  # counter-clockwise


def test_no_home_position_is_published(app: Flask, feed: Files) -> None:
    with app.app_context(), Session(get_engine()) as session:
        homes = list(session.exec(select(Place).where(Place.kind == PlaceKind.HOME)))
    text = b"".join(feed.values()).decode("utf-8")
    assert homes
    for home in homes:
        assert home.name not in text
        assert f"{home.lat:.6f}" not in text or f"{home.lon:.6f}" not in text
    corners = [p for f in json.loads(feed["locations.geojson"])["features"]
               for p in f["geometry"]["coordinates"][0]]
    assert all(round(c * 100, 6) == round(c * 100) for point in corners for c in point)


def test_trips_windows_and_booking_rule(feed: Files) -> None:
    zones = {f["id"] for f in json.loads(feed["locations.geojson"])["features"]}
    groups = {r["location_group_id"]: r["location_group_name"]
              for r in table(feed, "location_groups.txt")}
    assert set(groups.values()) == {"病院・診療所", "買い物", "役場・市役所"}
    stop_times = table(feed, "stop_times.txt")
    assert len(table(feed, "trips.txt")) == len(zones) * (1 + 2 * len(groups))
    assert {r["location_id"] for r in stop_times} - {""} == zones
    assert {(r["start_pickup_drop_off_window"], r["end_pickup_drop_off_window"])
            for r in stop_times} == {("08:00:00", "18:00:00")}
    rule = table(feed, "booking_rules.txt")[0]
    assert (rule["booking_type"], rule["prior_notice_last_day"],
            rule["prior_notice_last_time"]) == ("2", "1", "17:00:00")
    assert rule["phone_number"] == "01632-2-1111" and "01632-2-1111" in rule["message"]
    calendar = table(feed, "calendar.txt")[0]
    assert [calendar[d] for d in ("monday", "friday", "saturday", "sunday")] == [
        "1", "1", "0", "0"]


def test_town_settings_flow_into_the_feed(app: Flask, client: FlaskClient, demo: None) -> None:
    with app.app_context(), Session(get_engine()) as session:
        town = session.exec(select(Town).where(Town.slug == "teshio")).one()
        town.service_start, town.service_end = time(9), time(16, 30)
        town.booking_cutoff, town.office_phone = time(15), "01632-2-9999"
        town.service_days = "1111110"
        session.add(town)
        session.commit()
    files = unzip(client.get("/open-data/teshio/gtfs-flex.zip").get_data())
    assert validate(files) == []
    assert table(files, "stop_times.txt")[0]["end_pickup_drop_off_window"] == "16:30:00"
    rule = table(files, "booking_rules.txt")[0]
    assert rule["prior_notice_last_time"] == "15:00:00" and rule["phone_number"] == "01632-2-9999"
    assert table(files, "calendar.txt")[0]["saturday"] == "1"


def test_cli_writes_the_same_feed(app: Flask, feed: Files, tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    result = app.test_cli_runner().invoke(args=["export", "gtfs-flex", str(out)])
    assert result.exit_code == 0, result.output
    assert unzip(out.read_bytes()) == feed


def test_cli_explains_a_town_without_website(app: Flask, demo: None, tmp_path: Path) -> None:
    with app.app_context(), Session(get_engine()) as session:
        town = session.exec(select(Town).where(Town.slug == "teshio")).one()
        town.website = ""
        session.add(town)
        session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "gtfs-flex", str(tmp_path / "x.zip")])
    assert result.exit_code != 0 and "CARSHARE_PUBLIC_URL" in result.output
    assert not (tmp_path / "x.zip").exists()
    result = runner.invoke(args=["export", "gtfs-flex", str(tmp_path / "x.zip"),
                                 "--town", "nowhere"])
    assert result.exit_code != 0 and "no town with that slug" in result.output


def test_unknown_town_is_404(client: FlaskClient, demo: None) -> None:
    response = client.get("/open-data/nowhere/gtfs-flex.zip")
    assert response.status_code == 404


def test_town_without_places_is_404(client: FlaskClient, app: Flask) -> None:
    with app.app_context(), Session(get_engine()) as session:
        session.add(Town(slug="empty", name="空町", website="https://example.jp/"))
        session.commit()
    assert client.get("/open-data/empty/gtfs-flex.zip").status_code == 404


# The checker itself must catch broken feeds, or the tests above prove nothing.

def _csv_edit(name: str, edit: Callable[[list[dict[str, str]]], Any]) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        rows = table(files, name)
        edit(rows)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["x"])
        writer.writeheader()
        writer.writerows(rows)
        files[name] = buffer.getvalue().encode("utf-8")
    return mutate


def _drop_zone(files: Files) -> None:
    data = json.loads(files["locations.geojson"])
    data["features"].pop(0)
    files["locations.geojson"] = json.dumps(data).encode()


def _open_ring(files: Files) -> None:
    data = json.loads(files["locations.geojson"])
    data["features"][0]["geometry"]["coordinates"][0].pop()
    files["locations.geojson"] = json.dumps(data).encode()


def _set(column: str, value: str, row: int = 0) -> Callable[[list[dict[str, str]]], None]:
    def edit(rows: list[dict[str, str]]) -> None:
        rows[row][column] = value
    return edit


MUTATIONS = [
    ("zone missing from locations.geojson", _drop_zone, "foreign_key_violation"),
    ("open ring", _open_ring, "invalid_geometry"),
    ("unknown service", _csv_edit("trips.txt", _set("service_id", "nope")),
     "foreign_key_violation"),
    ("unknown booking rule", _csv_edit("stop_times.txt", _set("pickup_booking_rule_id", "x")),
     "foreign_key_violation"),
    ("unknown group", _csv_edit("stop_times.txt", _set("location_group_id", "g", 3)),
     "foreign_key_violation"),
    ("zone and group on one record", _csv_edit(
        "stop_times.txt", _set("location_group_id", "group-hospitals", 0)),
     "forbidden_geography_id"),
    ("prior-day rule without last day", _csv_edit(
        "booking_rules.txt", _set("prior_notice_last_day", "")),
     "missing_prior_day_booking_field_value"),
    ("prior-day rule with a duration", _csv_edit(
        "booking_rules.txt", _set("prior_notice_duration_min", "60")),
     "forbidden_prior_day_booking_field_value"),
    ("window inverted", _csv_edit("stop_times.txt",
                                  _set("start_pickup_drop_off_window", "19:00:00")),
     "start_and_end_range_out_of_order"),
    ("regular pick-up in a window", _csv_edit("stop_times.txt", _set("pickup_type", "0")),
     "forbidden_pickup_type"),
    ("bad time", _csv_edit("stop_times.txt", _set("end_pickup_drop_off_window", "25:61:00")),
     "invalid_time"),
    ("bad date", _csv_edit("calendar.txt", _set("end_date", "20261341")), "invalid_date"),
    ("calendar inverted", _csv_edit("calendar.txt", _set("start_date", "29991231")),
     "start_and_end_range_out_of_order"),
    ("bad timezone", _csv_edit("agency.txt", _set("agency_timezone", "Mars/Olympus")),
     "invalid_timezone"),
    ("no agency url", _csv_edit("agency.txt", _set("agency_url", "")),
     "missing_required_field"),
    ("one record for a zone trip", _csv_edit("stop_times.txt", lambda rows: rows.pop(1)),
     "missing_stop_times_record"),
    ("duplicate trip", _csv_edit("trips.txt", lambda rows: rows.append(dict(rows[0]))),
     "duplicate_key"),
    ("group stop unknown", _csv_edit("location_group_stops.txt", _set("stop_id", "nope")),
     "foreign_key_violation"),
    ("same zone, same types", _csv_edit("stop_times.txt", lambda rows: rows[1].update(
        pickup_type="2", drop_off_type="1")), "overlapping_zone_and_pickup_drop_off_window"),
    ("missing file", lambda files: files.pop("trips.txt"), "missing_required_file"),
]


@pytest.mark.parametrize(("label", "mutate", "code"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_checker_catches_broken_feeds(feed: Files, label: str,
                                      mutate: Callable[[Files], None], code: str) -> None:
    broken = dict(feed)
    mutate(broken)
    assert code in {notice.code for notice in validate(broken)}, label
