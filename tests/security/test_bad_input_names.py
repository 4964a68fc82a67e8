"""Names no person writes and phone numbers from abroad: refused on every form and the API.

Names made only of zero-width or direction-override characters, a line break in a name, or
no letter at all were stored (and then shown on the drivers' screens); a US number was taken
for a resident of a Japanese town. Each is now a form error (400) or a 422 problem, and
nothing is stored.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import ApiScope, Place, Resident, ResidentPhone
from carshare.services.api_tokens import create_token
from carshare.services.lookup import to_e164
from carshare.services.plausible import Implausible, check_name
from tests.security.conftest import World
from tests.security.forms import main_form

BAD_NAMES = {
    "zero-width only": "\u200b\u200b\u200b",
    "direction override": "\u202e\u202d",
    "override in a name": "山田\u202e太郎",
    "zero-width joiner inside": "山\u200d田",
    "line break": "山田\n太郎",
    "carriage return": "山田\r",
    "line separator": "山田\u2028太郎",
    "byte order mark": "\ufeff山田",
    "no letter": "・・・",
    "digits only": "1234",
}
FOLDED = ("line break", "carriage return", "line separator")  # place names fold spacing
GOOD_NAMES = ["山田", "佐々木", "ヶ谷", "O'Brien", "Anne-Marie", "山田 太郎", "たなか"]
FOREIGN = ["+1 202-555-0143", "+44 20 7946 0958", "+82 2-312-3456", "001-1-202-555-0143"]


def _count(app: Flask, model: Any) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return session.exec(select(sa.func.count()).select_from(model)).one()


def _counts(app: Flask) -> tuple[int, int, int]:
    return _count(app, Resident), _count(app, ResidentPhone), _count(app, Place)


def test_the_name_rule() -> None:
    for label, name in BAD_NAMES.items():
        with pytest.raises(Implausible):
            check_name(name, "family_name")
            pytest.fail(label)
    for name in GOOD_NAMES:
        assert check_name(name, "family_name") == name


def test_foreign_numbers_are_not_japanese_numbers() -> None:
    for number in FOREIGN:
        assert to_e164(number) is None, number
    assert to_e164("+81 90-1234-5678") == "+819012345678"
    assert to_e164("090-1234-5678") == "+819012345678"
    assert to_e164("01632-2-1037") == "+81163221037"


def _resident_form(world: World) -> tuple[Any, Any]:
    client = world.by_role["staff_a"]
    path = "/records/residents/new"
    return client, main_form(client.get(path).get_data(as_text=True), path)


def _valid(phone: str = "0163-22-7777") -> dict[str, str]:
    return {"family_name": "川上", "given_name": "花子", "family_name_kana": "かわかみ",
            "given_name_kana": "はなこ", "phone": phone, "contact_channel": "voice"}


def test_the_resident_form_refuses_bad_names_and_foreign_numbers(app: Flask,
                                                                  world: World) -> None:
    client, form = _resident_form(world)
    before = _counts(app)
    for field in ("family_name", "given_name", "caregiver_name"):
        for label, name in BAD_NAMES.items():
            response = client.post(form.action, data=form.data(**_valid() | {field: name}))
            assert 400 <= response.status_code < 500, (field, label, response.status_code)
    for number in FOREIGN:
        for field in ("phone", "caregiver_phone"):
            values = _valid() | ({field: number} if field == "phone" else
                                 {"caregiver_name": "川上 一郎", field: number})
            response = client.post(form.action, data=form.data(**values))
            assert 400 <= response.status_code < 500, (field, number)
            assert "日本の電話番号" in response.get_data(as_text=True)
    assert _counts(app) == before
    assert client.post(form.action, data=form.data(**_valid())).status_code == 302


def test_a_new_caller_with_a_bad_name_or_a_foreign_number_is_refused(app: Flask,
                                                                      world: World) -> None:
    client, path = world.by_role["staff_a"], "/residents/new"
    form = main_form(client.get(path).get_data(as_text=True), path)
    before = _counts(app)
    for field in ("family_name", "given_name"):
        for label, name in BAD_NAMES.items():
            response = client.post(form.action, data=form.data(**_valid() | {field: name}))
            assert 400 <= response.status_code < 500, (field, label, response.status_code)
    for number in FOREIGN:
        response = client.post(form.action, data=form.data(**_valid(number)))
        assert response.status_code == 400, number
    assert _counts(app) == before


def test_a_place_name_without_letters_or_with_hidden_characters_is_refused(
        app: Flask, world: World) -> None:
    client, path = world.by_role["staff_a"], "/records/places/new"
    form = main_form(client.get(path).get_data(as_text=True), path)
    before = _counts(app)
    for label, name in BAD_NAMES.items():
        if label in FOLDED:
            continue  # a line break in a place name is folded to a space, as any spacing
        response = client.post(form.action, data=form.data(
            kind="clinic", name=name, lat="44.88", lon="141.75"))
        assert 400 <= response.status_code < 500, (label, response.status_code)
    assert _counts(app) == before


def _api(app: Flask, world: World) -> tuple[Any, dict[str, str]]:
    with app.app_context(), Session(get_engine()) as session:
        secret = create_token(session, world.a.data["town"].id, "names", ApiScope.WRITE,
                              None, None).secret
    return world.by_role["anonymous"], {"Authorization": f"Bearer {secret}",
                                        "Accept-Language": "en"}


API_RESIDENT = {"family_name": "川上", "given_name": "花子", "family_name_kana": "かわかみ",
                "given_name_kana": "はなこ", "phones": ["0163-22-7777"],
                "contact_channel": "voice"}


def test_the_api_refuses_bad_names_and_foreign_numbers(app: Flask, world: World) -> None:
    client, headers = _api(app, world)
    before = _counts(app)
    for field in ("family_name", "given_name", "caregiver_name"):
        for label, name in BAD_NAMES.items():
            response = client.post("/api/v1/residents", json=API_RESIDENT | {field: name},
                                   headers=headers)
            assert response.status_code == 422, (field, label, response.status_code)
    for number in FOREIGN:
        response = client.post("/api/v1/residents", json=API_RESIDENT | {"phones": [number]},
                               headers=headers)
        assert response.status_code == 422, number
        assert "Japanese" in response.get_json()["detail"]
    for label, name in BAD_NAMES.items():
        if label in FOLDED:
            continue
        response = client.post("/api/v1/places", json={
            "kind": "clinic", "name": name, "lat": 44.88, "lon": 141.75}, headers=headers)
        assert response.status_code == 422, (label, response.status_code)
    assert _counts(app) == before
    created = client.post("/api/v1/residents", json=API_RESIDENT, headers=headers)
    assert created.status_code == 201
