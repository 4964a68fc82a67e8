"""Residents: personal data, so every list and read is written to the audit log."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from carshare.api.auth import caller
from carshare.api.blueprint import ID, bp
from carshare.api.pagination import Links, PageQuery, links, window
from carshare.api.spec import operation
from carshare.api.validation import (
    ACTIVE,
    Bool,
    Day,
    Id,
    Input,
    Output,
    State,
    from_row,
    text,
)
from carshare.db import get_session
from carshare.models import ConsentMethod, ConsentScope, ContactChannel, PhoneKind, Resident
from carshare.presenters.town import town_tz
from carshare.services import api_queries
from carshare.services.consents import ConsentInput, consents_of
from carshare.services.records.contacts import phones_of
from carshare.services.records.resident_queries import open_resident
from carshare.services.records.residents import (
    ResidentInput,
    create_resident,
    deactivate_resident,
    update_resident,
)
from carshare.timeutil import local_today


class ConsentIn(Input):
    """A consent: the day it was given and how."""

    given_on: Day
    method: ConsentMethod


class ConsentsIn(Input):
    """Consents to record per scope; ``null`` withdraws one, a scope left out stays as it is."""

    rides: ConsentIn | None = None
    needs: ConsentIn | None = None
    provider_abroad: ConsentIn | None = None
    caregiver: ConsentIn | None = None

    def wanted(self) -> dict[ConsentScope, ConsentInput | None]:
        """Return the scopes sent, as the records service takes them."""
        return {ConsentScope(name): None if (given := getattr(self, name)) is None
                else ConsentInput(given.given_on, given.method)
                for name in sorted(self.model_fields_set)}


class ResidentIn(Input):
    """A resident as written; ``phones`` lists the primary number first."""

    family_name: text(40, 1)  # type: ignore[valid-type]
    given_name: text(40, 1)  # type: ignore[valid-type]
    family_name_kana: text(80, 1)  # type: ignore[valid-type]
    given_name_kana: text(80, 1)  # type: ignore[valid-type]
    phones: list[text(30, 1)] = Field(min_length=1, max_length=2)  # type: ignore[valid-type]
    home_place_id: Id | None = None
    wheelchair: Bool = False
    walker: Bool = False
    boarding_help: Bool = False
    contact_channel: ContactChannel = ContactChannel.STAFF_CALL
    language: Literal["ja", "en"] = "ja"
    caregiver_name: text(80) = ""  # type: ignore[valid-type]
    caregiver_phone: text(30) = ""  # type: ignore[valid-type]
    staff_notes: text(2000) = ""  # type: ignore[valid-type]
    driver_notes: text(500) = ""  # type: ignore[valid-type]
    birth_year: int | None = Field(None, ge=1900, le=2100, strict=True,
                                   description="Only for the report's age bands.")
    consents: ConsentsIn | None = Field(None, description=(
        "Leave out to keep the consents as they are. Mobility needs are stored only with "
        "the `needs` consent, SMS and voice calls only with `provider_abroad`."))


class PhoneOut(Output):
    """A phone number in E.164 form."""

    e164: str
    kind: PhoneKind
    is_primary: bool


class ConsentOut(Output):
    """A consent the resident gave."""

    scope: ConsentScope
    given_on: date
    method: ConsentMethod


class ResidentOut(Output):
    """A resident as staff see them."""

    id: int
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    phones: list[PhoneOut]
    consents: list[ConsentOut]
    home_place_id: int | None
    wheelchair: bool
    walker: bool
    boarding_help: bool
    contact_channel: ContactChannel
    language: str
    caregiver_name: str
    caregiver_phone: str | None
    birth_year: int | None
    staff_notes: str
    driver_notes: str
    active: bool


class ResidentList(PageQuery):
    """Filters of the resident list."""

    q: text(80) = Field(  # type: ignore[valid-type]
        "", description="Name (kanji or kana) or phone digits.")
    state: State = "active"


class ResidentPage(Output):
    """A page of residents."""

    items: list[ResidentOut]
    links: Links


def _out(resident: Resident) -> ResidentOut:
    session = get_session()
    phones = [PhoneOut.model_validate(p) for p in phones_of(session, resident.id)]
    given = [from_row(ConsentOut, row) for _scope, row in
             sorted(consents_of(session, resident.id).items())]
    return from_row(ResidentOut, resident, phones=phones, consents=given)


def _input(body: ResidentIn) -> ResidentInput:
    values = body.model_dump(exclude={"consents"})
    wanted = body.consents.wanted() if body.consents is not None else None
    return ResidentInput(**(values | {"phones": tuple(values["phones"]), "consents": wanted}))


@bp.get("/residents")
@operation("residents", {"HTTP_200": ResidentPage}, query=ResidentList)
def list_residents(query: ResidentList) -> ResidentPage:
    """List the town's residents (audited)."""
    rows, more = api_queries.residents(get_session(), caller().actor, window(query), query.q,
                                       ACTIVE[query.state])
    return ResidentPage(items=[_out(r) for r in rows], links=links(rows, query.limit, more))


@bp.get(f"/residents/<{ID}:resident_id>")
@operation("residents", {"HTTP_200": ResidentOut})
def get_resident(resident_id: int) -> ResidentOut:
    """Read one resident (audited)."""
    return _out(open_resident(get_session(), caller().actor, resident_id, "api").resident)


@bp.post("/residents")
@operation("residents", {"HTTP_201": ResidentOut}, json=ResidentIn, write=True)
def add_resident(json: ResidentIn) -> tuple[ResidentOut, int]:
    """Register a resident with their phones."""
    resident = create_resident(get_session(), caller().actor, _input(json),
                               local_today(town_tz()))
    return _out(resident), 201


@bp.put(f"/residents/<{ID}:resident_id>")
@operation("residents", {"HTTP_200": ResidentOut}, json=ResidentIn, write=True)
def change_resident(resident_id: int, json: ResidentIn) -> ResidentOut:
    """Change a resident's record and phones (all fields)."""
    return _out(update_resident(get_session(), caller().actor, resident_id, _input(json),
                                local_today(town_tz())))


@bp.post(f"/residents/<{ID}:resident_id>/deactivate")
@operation("residents", {"HTTP_200": ResidentOut}, write=True)
def retire_resident(resident_id: int) -> ResidentOut:
    """Mark a resident as gone; refused (409) while they have open rides."""
    return _out(deactivate_resident(get_session(), caller().actor, resident_id,
                                    local_today(town_tz())))
