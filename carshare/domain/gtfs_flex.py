"""A GTFS-Flex feed of the service: zones, destination groups, windows and the booking rule.

The model follows the GTFS Schedule reference (with Flex, adopted 2024):

- one *zone* (``locations.geojson``) per settlement; one *location group* per kind of main
  destination (hospitals and clinics, shops, town offices) with its facilities in ``stops.txt``;
- one route; per zone three kinds of flex trip: within the zone, zone to each group, each group
  to the zone. Each trip has two ``stop_times``: the first allows only a pick-up by phone
  (``pickup_type`` 2, ``drop_off_type`` 1), the second only a drop-off (1, 2); both carry the
  town's service hours as the pick-up/drop-off window and the booking rule;
- one calendar of the service weekdays and one prior-day booking rule (``booking_type`` 2) with
  the office's phone number and cut-off time.

Pure: plain values in, file texts out.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, time

from carshare.domain.zones import Point

SERVICE_ID = "service"
ROUTE_ID = "rideshare"
BOOKING_RULE_ID = "prior-day"
ROUTE_TYPE = 715  # extended route type "Demand and Response Bus Service"
PHONE_ONLY, NONE_HERE = 2, 1  # pickup_type / drop_off_type values
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Agency:
    """The town as the agency that runs the service."""

    id: str
    name: str
    url: str
    timezone: str
    phone: str
    lang: str = "ja"


@dataclass(frozen=True)
class Zone:
    """A settlement's service area: a closed ring of (lon, lat) points."""

    id: str
    name: str
    ring: list[Point]


@dataclass(frozen=True)
class Stop:
    """A facility riders travel to."""

    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Group:
    """A kind of main destination and its facilities."""

    id: str
    name: str
    stop_ids: tuple[str, ...]


@dataclass(frozen=True)
class Service:
    """When the service runs and how it is booked."""

    days: str  # seven characters, Monday first, "1" = runs
    start: date
    end: date
    opens: time
    closes: time
    booking_cutoff: time  # on the day before (counted in service days)
    booking_message: str


@dataclass(frozen=True)
class Feed:
    """Everything the feed is made of."""

    agency: Agency
    route_name: str
    route_desc: str
    zones: list[Zone]
    stops: list[Stop]
    groups: list[Group]
    service: Service
    version: str


def build_feed(feed: Feed) -> dict[str, str]:
    """Return the feed's files by name (CSV text, and GeoJSON for the zones).

    Files without rows (no facility of a kind, hence no group) are left out.
    """
    trips, stop_times = _trips(feed)
    files = {
        "agency.txt": _csv(_agency(feed.agency)),
        "stops.txt": _csv([{"stop_id": s.id, "stop_name": s.name, "stop_lat": f"{s.lat:.6f}",
                            "stop_lon": f"{s.lon:.6f}", "location_type": "0"}
                           for s in feed.stops]),
        "locations.geojson": json.dumps(_locations(feed.zones), ensure_ascii=False, indent=1),
        "location_groups.txt": _csv([{"location_group_id": g.id, "location_group_name": g.name}
                                     for g in feed.groups]),
        "location_group_stops.txt": _csv([{"location_group_id": g.id, "stop_id": s}
                                          for g in feed.groups for s in g.stop_ids]),
        "routes.txt": _csv([{"route_id": ROUTE_ID, "agency_id": feed.agency.id,
                             "route_long_name": feed.route_name, "route_desc": feed.route_desc,
                             "route_type": str(ROUTE_TYPE)}]),
        "calendar.txt": _csv([_calendar(feed.service)]),
        "trips.txt": _csv(trips),
        "stop_times.txt": _csv(stop_times),
        "booking_rules.txt": _csv([_booking_rule(feed)]),
        "feed_info.txt": _csv([_feed_info(feed)]),
    }
    return {name: text for name, text in files.items() if text}


def _agency(agency: Agency) -> list[dict[str, str]]:
    return [{"agency_id": agency.id, "agency_name": agency.name, "agency_url": agency.url,
             "agency_timezone": agency.timezone, "agency_lang": agency.lang,
             "agency_phone": agency.phone}]


def _locations(zones: list[Zone]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": z.id, "properties": {"stop_name": z.name},
         "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in z.ring]]}}
        for z in zones]}


def _calendar(service: Service) -> dict[str, str]:
    row = {"service_id": SERVICE_ID}
    row.update({day: service.days[i] for i, day in enumerate(WEEKDAYS)})
    row.update(start_date=_date(service.start), end_date=_date(service.end))
    return row


def _trips(feed: Feed) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    trips: list[dict[str, str]] = []
    stop_times: list[dict[str, str]] = []
    for zone in feed.zones:
        legs = [(f"{zone.id}-local", f"{zone.name}", ("location_id", zone.id),
                 ("location_id", zone.id))]
        for group in feed.groups:
            legs.append((f"{zone.id}-to-{group.id}", f"{zone.name} → {group.name}",
                         ("location_id", zone.id), ("location_group_id", group.id)))
            legs.append((f"{group.id}-to-{zone.id}", f"{group.name} → {zone.name}",
                         ("location_group_id", group.id), ("location_id", zone.id)))
        for trip_id, headsign, origin, target in legs:
            trips.append({"route_id": ROUTE_ID, "service_id": SERVICE_ID, "trip_id": trip_id,
                          "trip_headsign": headsign})
            stop_times += [_stop_time(feed.service, trip_id, 1, origin, pickup=True),
                           _stop_time(feed.service, trip_id, 2, target, pickup=False)]
    return trips, stop_times


def _stop_time(service: Service, trip_id: str, sequence: int, where: tuple[str, str],
               pickup: bool) -> dict[str, str]:
    column, value = where
    row = {"trip_id": trip_id, "stop_sequence": str(sequence), "location_id": "",
           "location_group_id": "", "start_pickup_drop_off_window": _time(service.opens),
           "end_pickup_drop_off_window": _time(service.closes),
           "pickup_type": str(PHONE_ONLY if pickup else NONE_HERE),
           "drop_off_type": str(NONE_HERE if pickup else PHONE_ONLY),
           "pickup_booking_rule_id": BOOKING_RULE_ID if pickup else "",
           "drop_off_booking_rule_id": "" if pickup else BOOKING_RULE_ID}
    row[column] = value
    return row


def _booking_rule(feed: Feed) -> dict[str, str]:
    return {"booking_rule_id": BOOKING_RULE_ID, "booking_type": "2",
            "prior_notice_last_day": "1",
            "prior_notice_last_time": _time(feed.service.booking_cutoff),
            "prior_notice_service_id": SERVICE_ID, "message": feed.service.booking_message,
            "phone_number": feed.agency.phone, "info_url": feed.agency.url}


def _feed_info(feed: Feed) -> dict[str, str]:
    return {"feed_publisher_name": feed.agency.name, "feed_publisher_url": feed.agency.url,
            "feed_lang": feed.agency.lang, "feed_start_date": _date(feed.service.start),
            "feed_end_date": _date(feed.service.end), "feed_version": feed.version,
            "feed_contact_url": feed.agency.url}


def _csv(rows: list[dict[str, str]]) -> str:
    """Return rows as CSV (UTF-8 text, no BOM, CRLF); the first row's keys are the header."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _time(value: time) -> str:
    return value.strftime("%H:%M:%S")
