"""A GTFS(-Flex) checker for the files our feed contains, mirroring MobilityData gtfs-validator.

The Java validator cannot be downloaded here, so its rules for these files are implemented
again; each notice carries the validator's notice code. Covered (errors unless noted):

- files: missing_required_file, csv_parsing_failed, missing_required_column,
  duplicated_column, invalid_row_length, empty_file
- fields: missing_required_field, invalid_url, invalid_timezone, invalid_language_code,
  invalid_date, invalid_time, invalid_integer, invalid_float, unexpected_enum_value,
  number_out_of_range, duplicate_key, foreign_key_violation, duplicate_geography_id
- calendar and feed_info: start_and_end_range_out_of_order
- routes: route_both_short_and_long_name_missing
- locations.geojson: malformed_json, unsupported_geo_json_type, missing_required_element,
  unsupported_geometry_type, invalid_geometry (ring closed, four positions or more, in range,
  not self-intersecting)
- stop_times (Flex): forbidden_geography_id, missing_required_field (windows),
  forbidden_arrival_or_departure_time, start_and_end_range_out_of_order (windows),
  forbidden_pickup_type, forbidden_drop_off_type, missing_pickup_drop_off_booking_rule_id
  (a warning there, an error here), missing_stop_times_record, unusable_trip,
  overlapping_zone_and_pickup_drop_off_window, unused_trip
- booking_rules: missing_prior_day_booking_field_value, forbidden_prior_day_booking_field_value,
  missing_prior_notice_last_time, missing_prior_notice_start_time,
  forbidden_prior_notice_start_time, invalid_prior_notice_day_range,
  missing_prior_notice_duration_min, forbidden_real_time_booking_field_value,
  forbidden_same_day_booking_field_value
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Field types: id, text, url, tz, lang, date, time, int, float, lat, lon, enum:<values>.
SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "agency.txt": {"agency_id": ("id", False), "agency_name": ("text", True),
                   "agency_url": ("url", True), "agency_timezone": ("tz", True),
                   "agency_lang": ("lang", False), "agency_phone": ("text", False)},
    "stops.txt": {"stop_id": ("id", True), "stop_name": ("text", False),
                  "stop_lat": ("lat", False), "stop_lon": ("lon", False),
                  "location_type": ("enum:0,1,2,3,4", False)},
    "location_groups.txt": {"location_group_id": ("id", True),
                            "location_group_name": ("text", False)},
    "location_group_stops.txt": {"location_group_id": ("id", True), "stop_id": ("id", True)},
    "routes.txt": {"route_id": ("id", True), "agency_id": ("id", False),
                   "route_short_name": ("text", False), "route_long_name": ("text", False),
                   "route_desc": ("text", False), "route_type": ("route_type", True)},
    "calendar.txt": {"service_id": ("id", True), **{d: ("enum:0,1", True) for d in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
        "start_date": ("date", True), "end_date": ("date", True)},
    "trips.txt": {"route_id": ("id", True), "service_id": ("id", True), "trip_id": ("id", True),
                  "trip_headsign": ("text", False)},
    "stop_times.txt": {"trip_id": ("id", True), "stop_sequence": ("int", True),
                       "arrival_time": ("time", False), "departure_time": ("time", False),
                       "stop_id": ("id", False), "location_id": ("id", False),
                       "location_group_id": ("id", False),
                       "start_pickup_drop_off_window": ("time", False),
                       "end_pickup_drop_off_window": ("time", False),
                       "pickup_type": ("enum:0,1,2,3", False),
                       "drop_off_type": ("enum:0,1,2,3", False),
                       "pickup_booking_rule_id": ("id", False),
                       "drop_off_booking_rule_id": ("id", False)},
    "booking_rules.txt": {"booking_rule_id": ("id", True), "booking_type": ("enum:0,1,2", True),
                          "prior_notice_duration_min": ("int", False),
                          "prior_notice_duration_max": ("int", False),
                          "prior_notice_last_day": ("int", False),
                          "prior_notice_last_time": ("time", False),
                          "prior_notice_start_day": ("int", False),
                          "prior_notice_start_time": ("time", False),
                          "prior_notice_service_id": ("id", False), "message": ("text", False),
                          "phone_number": ("text", False), "info_url": ("url", False),
                          "booking_url": ("url", False)},
    "feed_info.txt": {"feed_publisher_name": ("text", True), "feed_publisher_url": ("url", True),
                      "feed_lang": ("lang", True), "feed_start_date": ("date", False),
                      "feed_end_date": ("date", False), "feed_version": ("text", False),
                      "feed_contact_email": ("text", False), "feed_contact_url": ("url", False)},
}
KEYS = {"agency.txt": ("agency_id",), "stops.txt": ("stop_id",),
        "location_groups.txt": ("location_group_id",),
        "location_group_stops.txt": ("location_group_id", "stop_id"), "routes.txt": ("route_id",),
        "calendar.txt": ("service_id",), "trips.txt": ("trip_id",),
        "stop_times.txt": ("trip_id", "stop_sequence"), "booking_rules.txt": ("booking_rule_id",)}
#: (file, column) -> (file, column) it must refer to; "locations.geojson" means a feature id.
REFERENCES = {
    ("routes.txt", "agency_id"): ("agency.txt", "agency_id"),
    ("trips.txt", "route_id"): ("routes.txt", "route_id"),
    ("trips.txt", "service_id"): ("calendar.txt", "service_id"),
    ("stop_times.txt", "trip_id"): ("trips.txt", "trip_id"),
    ("stop_times.txt", "stop_id"): ("stops.txt", "stop_id"),
    ("stop_times.txt", "location_id"): ("locations.geojson", "id"),
    ("stop_times.txt", "location_group_id"): ("location_groups.txt", "location_group_id"),
    ("stop_times.txt", "pickup_booking_rule_id"): ("booking_rules.txt", "booking_rule_id"),
    ("stop_times.txt", "drop_off_booking_rule_id"): ("booking_rules.txt", "booking_rule_id"),
    ("location_group_stops.txt", "location_group_id"): ("location_groups.txt",
                                                        "location_group_id"),
    ("location_group_stops.txt", "stop_id"): ("stops.txt", "stop_id"),
    ("booking_rules.txt", "prior_notice_service_id"): ("calendar.txt", "service_id"),
}
REQUIRED_FILES = ("agency.txt", "routes.txt", "trips.txt", "stop_times.txt")
TIME = re.compile(r"^\d{1,2}:[0-5]\d:[0-5]\d$")
LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


@dataclass(frozen=True)
class Notice:
    """One finding: the validator's notice code, the file and what was found."""

    code: str
    file: str
    detail: str = ""


class Feed:
    """The parsed files of a feed and the notices found while parsing and checking them."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.notices: list[Notice] = []
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.zones: dict[str, list] = {}

    def note(self, code: str, file: str, detail: str = "") -> None:
        """Record a notice."""
        self.notices.append(Notice(code, file, detail))

    def rows(self, name: str) -> list[dict[str, str]]:
        """Return a table's rows (none when the file is absent)."""
        return self.tables.get(name, [])


def validate(files: dict[str, bytes]) -> list[Notice]:
    """Return every notice for the feed ``files`` (file name -> bytes); empty when valid."""
    feed = Feed(files)
    _required_files(feed)
    for name in SCHEMA:
        if name in files:
            _parse_table(feed, name)
    if "locations.geojson" in files:
        _parse_locations(feed)
    for check in (_keys, _references, _geography_ids, _ranges, _routes, _stop_times,
                  _trips_used, _booking_rules, _overlaps):
        check(feed)
    return feed.notices


def _required_files(feed: Feed) -> None:
    for name in REQUIRED_FILES:
        if name not in feed.files:
            feed.note("missing_required_file", name)
    if "calendar.txt" not in feed.files and "calendar_dates.txt" not in feed.files:
        feed.note("missing_required_file", "calendar.txt")
    if "stops.txt" not in feed.files and "locations.geojson" not in feed.files:
        feed.note("missing_required_file", "stops.txt")


def _parse_table(feed: Feed, name: str) -> None:
    try:
        text = feed.files[name].decode("utf-8")
        records = list(csv.reader(io.StringIO(text)))
    except (UnicodeDecodeError, csv.Error) as error:
        feed.note("csv_parsing_failed", name, str(error))
        return
    if not records:
        feed.note("empty_file", name)
        return
    header = [h.strip() for h in records[0]]
    if len(set(header)) != len(header):
        feed.note("duplicated_column", name)
    for column, (_, required) in SCHEMA[name].items():
        if required and column not in header:
            feed.note("missing_required_column", name, column)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            feed.note("invalid_row_length", name, f"row {number}")
            continue
        row = dict(zip(header, record, strict=True))
        rows.append(row)
        _check_fields(feed, name, row, number)
    feed.tables[name] = rows


def _check_fields(feed: Feed, name: str, row: dict[str, str], number: int) -> None:
    for column, (kind, required) in SCHEMA[name].items():
        value = row.get(column, "")
        if not value:
            if required:
                feed.note("missing_required_field", name, f"{column} row {number}")
            continue
        problem = _type_problem(kind, value)
        if problem:
            feed.note(problem, name, f"{column}={value!r} row {number}")


def _type_problem(kind: str, value: str) -> str | None:
    if kind.startswith("enum:"):
        return None if value in kind[5:].split(",") else "unexpected_enum_value"
    checks = {"url": (lambda: URL.match(value) is not None, "invalid_url"),
              "tz": (lambda: _tz(value), "invalid_timezone"),
              "lang": (lambda: LANG.match(value) is not None, "invalid_language_code"),
              "date": (lambda: _date(value), "invalid_date"),
              "time": (lambda: TIME.match(value) is not None, "invalid_time")}
    if kind in checks:
        valid, code = checks[kind]
        return None if valid() else code
    if kind in ("int", "route_type"):
        if not re.fullmatch(r"-?\d+", value):
            return "invalid_integer"
        number = int(value)
        if kind == "route_type":
            return None if number in (0, 1, 2, 3, 4, 5, 6, 7, 11, 12) or 100 <= number <= 1702 \
                else "unexpected_enum_value"
        return None if number >= 0 else "number_out_of_range"
    if kind in ("lat", "lon"):
        try:
            number = float(value)
        except ValueError:
            return "invalid_float"
        limit = 90 if kind == "lat" else 180
        return None if -limit <= number <= limit else "number_out_of_range"
    return None


def _tz(value: str) -> bool:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _date(value: str) -> bool:
    try:
        date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return False
    return len(value) == 8 and value.isdigit()


def _parse_locations(feed: Feed) -> None:
    name = "locations.geojson"
    try:
        data = json.loads(feed.files[name].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        feed.note("malformed_json", name, str(error))
        return
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        feed.note("unsupported_geo_json_type", name)
        return
    for number, feature in enumerate(data.get("features") or []):
        missing = [k for k in ("id", "type", "geometry") if k not in feature]
        if missing or feature.get("type") != "Feature":
            feed.note("missing_required_element", name, f"feature {number}: {missing}")
            continue
        geometry = feature["geometry"] or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            feed.note("unsupported_geometry_type", name, str(feature["id"]))
            continue
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        if str(feature["id"]) in feed.zones:
            feed.note("duplicate_key", name, f"id {feature['id']}")
        feed.zones[str(feature["id"])] = polygons
        for polygon in polygons:
            for ring in polygon:
                _check_ring(feed, str(feature["id"]), ring)


def _check_ring(feed: Feed, zone: str, ring: list) -> None:
    name = "locations.geojson"
    if len(ring) < 4 or ring[0] != ring[-1]:
        feed.note("invalid_geometry", name, f"{zone}: ring not closed or too short")
        return
    if any(not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in ring):
        feed.note("invalid_geometry", name, f"{zone}: position out of range")
    edges = list(zip(ring, ring[1:], strict=False))
    for (i, a), (j, b) in combinations(enumerate(edges), 2):
        if j - i > 1 and not (i == 0 and j == len(edges) - 1) and _cross(a, b):
            feed.note("invalid_geometry", name, f"{zone}: self-intersection")
            return


def _cross(a: tuple, b: tuple) -> bool:
    def side(p, q, r) -> float:  # type: ignore[no-untyped-def]
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return (side(*a, b[0]) * side(*a, b[1]) < 0) and (side(*b, a[0]) * side(*b, a[1]) < 0)


def _keys(feed: Feed) -> None:
    for name, columns in KEYS.items():
        seen = set()
        for row in feed.rows(name):
            key = tuple(row.get(c, "") for c in columns)
            if key in seen:
                feed.note("duplicate_key", name, str(key))
            seen.add(key)


def _references(feed: Feed) -> None:
    for (name, column), (target, target_column) in REFERENCES.items():
        known = (set(feed.zones) if target == "locations.geojson"
                 else {r.get(target_column, "") for r in feed.rows(target)})
        for row in feed.rows(name):
            value = row.get(column, "")
            if value and value not in known:
                feed.note("foreign_key_violation", name, f"{column}={value!r} not in {target}")


def _geography_ids(feed: Feed) -> None:
    stops = {r["stop_id"] for r in feed.rows("stops.txt")}
    groups = {r["location_group_id"] for r in feed.rows("location_groups.txt")}
    for a, b in combinations((stops, groups, set(feed.zones)), 2):
        for duplicate in a & b:
            feed.note("duplicate_geography_id", "stops.txt", duplicate)
    for row in feed.rows("stops.txt"):
        if row.get("location_type", "0") in ("", "0", "1", "2"):
            for column in ("stop_name", "stop_lat", "stop_lon"):
                if not row.get(column):
                    feed.note("missing_required_field", "stops.txt", column)
    types = {r["stop_id"]: r.get("location_type", "") for r in feed.rows("stops.txt")}
    for row in feed.rows("location_group_stops.txt"):
        if types.get(row["stop_id"], "") not in ("", "0"):
            feed.note("foreign_key_violation", "location_group_stops.txt", row["stop_id"])


def _ranges(feed: Feed) -> None:
    for name, start, end in (("calendar.txt", "start_date", "end_date"),
                             ("feed_info.txt", "feed_start_date", "feed_end_date")):
        for row in feed.rows(name):
            if row.get(start) and row.get(end) and row[start] > row[end]:
                feed.note("start_and_end_range_out_of_order", name, f"{row[start]} {row[end]}")


def _routes(feed: Feed) -> None:
    for row in feed.rows("routes.txt"):
        if not row.get("route_short_name") and not row.get("route_long_name"):
            feed.note("route_both_short_and_long_name_missing", "routes.txt", row["route_id"])


def _seconds(value: str) -> int:
    h, m, s = (int(x) for x in value.split(":"))
    return h * 3600 + m * 60 + s


def _stop_times(feed: Feed) -> None:
    name = "stop_times.txt"
    for row in feed.rows(name):
        where = [c for c in ("stop_id", "location_group_id", "location_id") if row.get(c)]
        if len(where) != 1:
            feed.note("forbidden_geography_id" if where else "missing_required_field", name,
                      f"{row['trip_id']}: {where}")
        start, end = row.get("start_pickup_drop_off_window"), row.get(
            "end_pickup_drop_off_window")
        flexible = bool(start or end)
        if ("location_group_id" in where or "location_id" in where) and not (start and end):
            feed.note("missing_required_field", name, f"{row['trip_id']}: windows")
        if not flexible:
            continue
        if row.get("arrival_time") or row.get("departure_time"):
            feed.note("forbidden_arrival_or_departure_time", name, row["trip_id"])
        if start and end and TIME.match(start) and TIME.match(end) \
                and _seconds(start) >= _seconds(end):
            feed.note("start_and_end_range_out_of_order", name, row["trip_id"])
        if row.get("pickup_type", "0") in ("", "0", "3"):
            feed.note("forbidden_pickup_type", name, row["trip_id"])
        if row.get("drop_off_type", "0") in ("", "0"):
            feed.note("forbidden_drop_off_type", name, row["trip_id"])
        for kind, column in (("pickup_type", "pickup_booking_rule_id"),
                             ("drop_off_type", "drop_off_booking_rule_id")):
            if row.get(kind) == "2" and not row.get(column):
                feed.note("missing_pickup_drop_off_booking_rule_id", name, row["trip_id"])


def _by_trip(feed: Feed) -> dict[str, list[dict[str, str]]]:
    trips: dict[str, list[dict[str, str]]] = {}
    for row in feed.rows("stop_times.txt"):
        trips.setdefault(row["trip_id"], []).append(row)
    return trips


def _trips_used(feed: Feed) -> None:
    by_trip = _by_trip(feed)
    for row in feed.rows("trips.txt"):
        times = by_trip.get(row["trip_id"], [])
        if not times:
            feed.note("unused_trip", "trips.txt", row["trip_id"])
        elif len(times) < 2:
            flexible = any(t.get("start_pickup_drop_off_window") for t in times)
            feed.note("missing_stop_times_record" if flexible else "unusable_trip",
                      "stop_times.txt", row["trip_id"])


def _booking_rules(feed: Feed) -> None:
    for row in feed.rows("booking_rules.txt"):
        _booking_rule(feed, row)


def _booking_rule(feed: Feed, row: dict[str, str]) -> None:  # noqa: C901
    name = "booking_rules.txt"
    has = lambda c: bool(row.get(c))  # noqa: E731
    kind = row.get("booking_type")
    if kind == "0" and any(has(c) for c in (
            "prior_notice_duration_min", "prior_notice_duration_max", "prior_notice_last_day",
            "prior_notice_last_time", "prior_notice_start_day", "prior_notice_start_time",
            "prior_notice_service_id")):
        feed.note("forbidden_real_time_booking_field_value", name)
    if kind == "1":
        if not has("prior_notice_duration_min"):
            feed.note("missing_prior_notice_duration_min", name)
        if any(has(c) for c in ("prior_notice_last_day", "prior_notice_last_time",
                                "prior_notice_start_time", "prior_notice_service_id")):
            feed.note("forbidden_same_day_booking_field_value", name)
    if kind == "2":
        if not has("prior_notice_last_day"):
            feed.note("missing_prior_day_booking_field_value", name)
        if has("prior_notice_duration_min") or has("prior_notice_duration_max"):
            feed.note("forbidden_prior_day_booking_field_value", name)
    if has("prior_notice_last_day") and not has("prior_notice_last_time"):
        feed.note("missing_prior_notice_last_time", name)
    if has("prior_notice_start_day") != has("prior_notice_start_time"):
        feed.note("missing_prior_notice_start_time" if has("prior_notice_start_day")
                  else "forbidden_prior_notice_start_time", name)
    if has("prior_notice_start_day") and has("prior_notice_last_day") \
            and int(row["prior_notice_last_day"]) > int(row["prior_notice_start_day"]):
        feed.note("invalid_prior_notice_day_range", name)


def _overlaps(feed: Feed) -> None:
    """Same trip, two zones, same pickup or drop-off type, overlapping windows and areas."""
    for trip, rows in _by_trip(feed).items():
        zoned = [r for r in rows if r.get("location_id") and r.get("start_pickup_drop_off_window")]
        for a, b in combinations(zoned, 2):
            same_type = (a.get("pickup_type") == b.get("pickup_type")
                         or a.get("drop_off_type") == b.get("drop_off_type"))
            windows = (_seconds(a["start_pickup_drop_off_window"])
                       < _seconds(b["end_pickup_drop_off_window"])
                       and _seconds(b["start_pickup_drop_off_window"])
                       < _seconds(a["end_pickup_drop_off_window"]))
            if same_type and windows and _areas_overlap(feed, a["location_id"],
                                                        b["location_id"]):
                feed.note("overlapping_zone_and_pickup_drop_off_window", "stop_times.txt", trip)


def _areas_overlap(feed: Feed, a: str, b: str) -> bool:
    """Bounding boxes overlap: coarse, so it errs on the side of reporting."""
    def box(zone: str) -> tuple[float, float, float, float]:
        points = [p for polygon in feed.zones.get(zone, []) for ring in polygon for p in ring]
        xs, ys = [p[0] for p in points] or [0], [p[1] for p in points] or [0]
        return min(xs), min(ys), max(xs), max(ys)

    (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = box(a), box(b)
    return ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2
