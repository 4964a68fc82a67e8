"""Open data: the town's service as a GTFS-Flex feed (a zip of text files).

Zones follow the settlements, each standing for at least five homes (smaller settlements
are merged into their neighbour) and drawn on a grid coarse enough that no home can be
located; facilities are the only stops, never named after a resident or a home
(:mod:`carshare.services.open_data_privacy`).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from carshare.domain import gtfs_flex as gf
from carshare.models import Place, PlaceKind, Resident, Town
from carshare.services.open_data_privacy import private_words, public_zones, stop_name

#: The main destinations, grouped as riders think of them: (group id, name, kinds).
GROUPS = (
    ("hospitals", "病院・診療所", (PlaceKind.HOSPITAL, PlaceKind.CLINIC)),
    ("shops", "買い物", (PlaceKind.SHOP,)),
    ("offices", "役場・市役所", (PlaceKind.TOWN_OFFICE,)),
)
VALID_DAYS = 365


class OpenDataError(ValueError):
    """The feed cannot be made; ``code`` says why (unknown_town, no_website, no_zones)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class FeedDefaults:
    """Fallbacks from the configuration for what the town has not set."""

    office_phone: str
    public_url: str


def town_by_slug(session: Session, slug: str) -> Town:
    """Return the town with ``slug``.

    :raise OpenDataError: ``unknown_town``.
    """
    town = session.exec(select(Town).where(Town.slug == slug)).first()
    if town is None:
        raise OpenDataError("unknown_town")
    return town


def gtfs_flex_files(session: Session, town: Town, today: date,
                    defaults: FeedDefaults) -> dict[str, str]:
    """Return the GTFS-Flex files of ``town``, valid from ``today`` for a year.

    :raise OpenDataError: no website to name as agency_url, or no settlement to serve.
    """
    url = town.website or defaults.public_url
    if not url.startswith(("http://", "https://")):
        raise OpenDataError("no_website")
    places = list(session.exec(select(Place).where(Place.town_id == town.id,
                                                   Place.active == True)  # noqa: E712
                               .order_by(Place.id)))
    zones = _zones(places)
    if not zones:
        raise OpenDataError("no_zones")
    private = _private_words(session, town)
    stops = [gf.Stop(f"place-{p.id}", stop_name(p, private), p.lat, p.lon) for p in places
             if any(p.kind in kinds for _, _, kinds in GROUPS)]
    phone = town.office_phone or defaults.office_phone
    return gf.build_feed(gf.Feed(
        agency=gf.Agency(town.slug, town.name, url, town.timezone, phone),
        route_name=f"{town.name} 相乗り（予約制）",
        route_desc="地域の運転ボランティアの車に相乗りします。運賃はなく、燃料代などの実費を分担します。",
        zones=zones, stops=stops, groups=_groups(places), version=today.isoformat(),
        service=gf.Service(
            days=town.service_days, start=today, end=today + timedelta(days=VALID_DAYS),
            opens=town.service_start, closes=town.service_end,
            booking_cutoff=town.booking_cutoff,
            booking_message=(f"ご利用の前日{town.booking_cutoff:%H:%M}までに{town.name}役場"
                             f"（{phone}）へお電話でご予約ください。")),
    ))


def zip_feed(files: dict[str, str]) -> bytes:
    """Return the files as a zip archive (UTF-8 text, fixed timestamps: same input, same zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue()


def _zones(places: list[Place]) -> list[gf.Zone]:
    """Return the k-anonymous zones (:mod:`open_data_privacy`), each named and outlined so
    that it stands for at least five homes."""
    return [gf.Zone(_zone_id(zone.name), zone.name, zone.ring) for zone in public_zones(places)]


def _private_words(session: Session, town: Town) -> set[str]:
    """Return the home names and residents' names no published stop name may contain."""
    homes = session.exec(select(Place).where(Place.town_id == town.id,
                                             Place.kind == PlaceKind.HOME))
    names = session.exec(select(Resident.family_name, Resident.given_name)
                         .where(Resident.town_id == town.id))
    return private_words(homes, names)


def _zone_id(name: str) -> str:
    """Return a stable ASCII id for a published zone (from its published name only)."""
    return "zone-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def _groups(places: list[Place]) -> list[gf.Group]:
    groups = []
    for group_id, name, kinds in GROUPS:
        stop_ids = tuple(f"place-{p.id}" for p in places if p.kind in kinds)
        if stop_ids:
            groups.append(gf.Group(f"group-{group_id}", name, stop_ids))
    return groups
