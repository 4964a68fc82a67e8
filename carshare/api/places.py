"""Places: list, read, add, change and deactivate (homes are audited like in the console)."""

from __future__ import annotations

from pydantic import Field

from carshare.api.auth import caller
from carshare.api.blueprint import ID, bp
from carshare.api.pagination import Links, PageQuery, links, window
from carshare.api.spec import operation
from carshare.api.validation import ACTIVE, Input, Output, State, text
from carshare.db import get_session
from carshare.models import PlaceKind
from carshare.services import api_queries
from carshare.services.records.place_queries import open_place
from carshare.services.records.places import (
    LAT_RANGE,
    LON_RANGE,
    PlaceInput,
    create_place,
    deactivate_place,
    update_place,
)


class PlaceIn(Input):
    """A place as written: a facility, a home or a settlement centre (in Japan)."""

    kind: PlaceKind
    name: text(120, 1)  # type: ignore[valid-type]
    kana: text(160) = ""  # type: ignore[valid-type]
    settlement: text(80) = ""  # type: ignore[valid-type]
    lat: float = Field(ge=LAT_RANGE[0], le=LAT_RANGE[1], allow_inf_nan=False, strict=True)
    lon: float = Field(ge=LON_RANGE[0], le=LON_RANGE[1], allow_inf_nan=False, strict=True)


class PlaceOut(Output):
    """A place of the town."""

    id: int
    kind: PlaceKind
    name: str
    kana: str
    settlement: str
    lat: float
    lon: float
    active: bool


class PlaceList(PageQuery):
    """Filters of the place list."""

    kind: PlaceKind | None = None
    state: State = "active"


class PlacePage(Output):
    """A page of places."""

    items: list[PlaceOut]
    links: Links


def _input(body: PlaceIn) -> PlaceInput:
    return PlaceInput(kind=body.kind, name=body.name, kana=body.kana,
                      settlement=body.settlement, lat=body.lat, lon=body.lon)


@bp.get("/places")
@operation("places", {"HTTP_200": PlacePage}, query=PlaceList)
def list_places(query: PlaceList) -> PlacePage:
    """List the town's places."""
    rows, more = api_queries.places(get_session(), caller().actor, window(query),
                                    query.kind, ACTIVE[query.state])
    return PlacePage(items=[PlaceOut.model_validate(r) for r in rows],
                     links=links(rows, query.limit, more))


@bp.get(f"/places/<{ID}:place_id>")
@operation("places", {"HTTP_200": PlaceOut})
def get_place(place_id: int) -> PlaceOut:
    """Read one place."""
    return PlaceOut.model_validate(open_place(get_session(), caller().actor, place_id))


@bp.post("/places")
@operation("places", {"HTTP_201": PlaceOut}, json=PlaceIn, write=True)
def add_place(json: PlaceIn) -> tuple[PlaceOut, int]:
    """Add a place to the town."""
    place = create_place(get_session(), caller().actor, _input(json))
    return PlaceOut.model_validate(place), 201


@bp.put(f"/places/<{ID}:place_id>")
@operation("places", {"HTTP_200": PlaceOut}, json=PlaceIn, write=True)
def change_place(place_id: int, json: PlaceIn) -> PlaceOut:
    """Change a place (all fields)."""
    return PlaceOut.model_validate(update_place(get_session(), caller().actor, place_id,
                                                _input(json)))


@bp.post(f"/places/<{ID}:place_id>/deactivate")
@operation("places", {"HTTP_200": PlaceOut}, write=True)
def hide_place(place_id: int) -> PlaceOut:
    """Hide a place from choices; refused (409) while a resident, offer or ride uses it."""
    return PlaceOut.model_validate(deactivate_place(get_session(), caller().actor, place_id))
