"""Places: coordinates typed (any width) or picked on the map, kept in range; town-scoped."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import Place, PlaceKind, Town
from tests.records.conftest import audits, submit, text

NEW = "/records/places/new"


def place_form(**changes: Any) -> dict[str, Any]:
    """A valid new place as the form posts it."""
    return {"kind": "clinic", "name": "遠別クリニック", "kana": "えんべつくりにっく",
            "settlement": "天塩", "lat": "４４．９００１", "lon": "141.7512", **changes}


def named(session: Session, name: str) -> Place | None:
    session.expire_all()
    return session.exec(select(Place).where(Place.name == name)).first()


def test_add_a_place_with_typed_coordinates(staff_client: FlaskClient, session: Session,
                                            teshio: Town) -> None:
    page = text(staff_client.get(NEW))
    assert 'id="place-map"' in page and "records-place-map.js" in page and 'id="lat"' in page
    response = submit(staff_client, NEW, place_form())
    assert response.status_code == 302
    place = named(session, "遠別クリニック")
    assert (place.kind, place.kana, place.lat, place.lon) == (
        PlaceKind.CLINIC, "エンベツクリニック", 44.9001, 141.7512)
    assert place.town_id == teshio.id and audits(session, "create", "place")
    for query in ("クリニック", "くりにっく", "ｸﾘﾆｯｸ"):
        assert "遠別クリニック" in text(staff_client.get("/records/places",
                                                     query_string={"q": query}))


def test_filter_by_kind(staff_client: FlaskClient) -> None:
    html = text(staff_client.get("/records/places", query_string={"kind": "hospital"}))
    assert "市立稚内病院" in html and "天塩町役場</a>" not in html


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"lat": "141.75"}, "lat", "日本の緯度は20〜46の範囲です。"),
    ({"lon": "44.9"}, "lon", "日本の経度は122〜154の範囲です。"),
    ({"lat": "-95"}, "lat", "日本の緯度は"),
    ({"lat": "北緯44度"}, "lat", "数字で入力してください"),
    ({"lon": ""}, "lon", "数字で入力してください"),
    ({"kana": "Enbetsu"}, "kana", "ひらがなかカタカナで入力してください。"),
    ({"name": "  "}, "name", "場所の名前を入力してください。"),
    ({"kind": "castle"}, "kind", "一覧から選んでください。"),
])
def test_bad_places_are_refused(staff_client: FlaskClient, session: Session,
                                changes: dict[str, Any], field: str, message: str) -> None:
    response = submit(staff_client, NEW, place_form(**changes))
    html = text(response)
    assert response.status_code == 400 and message in html and f'id="{field}-error"' in html
    assert named(session, "遠別クリニック") is None


def test_edit_a_home_is_logged_against_its_resident(staff_client: FlaskClient,
                                                    session: Session) -> None:
    from carshare.models import Resident

    resident = session.exec(select(Resident).where(Resident.family_name == "佐藤")).one()
    home = session.get(Place, resident.home_place_id)
    url = f"/records/places/{home.id}"
    assert f'value="{home.lat}"' in text(staff_client.get(url))
    response = submit(staff_client, url, place_form(kind="home", name=home.name, kana="",
                                                    lat="44.8851", lon="141.7466"))
    assert response.status_code == 302
    session.expire_all()
    assert (session.get(Place, home.id).lat, session.get(Place, home.id).lon) == (44.8851,
                                                                                 141.7466)
    entry = audits(session, "update", "place")[0]
    assert entry.resident_id == resident.id and "lat" in entry.reason


def test_a_place_in_use_cannot_be_deactivated(staff_client: FlaskClient,
                                              session: Session) -> None:
    hospital = named(session, "市立稚内病院")
    url = f"/records/places/{hospital.id}"
    response = submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert response.status_code == 409 and "使われています" in text(response)
    assert named(session, "市立稚内病院").active


def test_an_unused_place_is_deactivated_and_leaves_the_choices(staff_client: FlaskClient,
                                                               session: Session) -> None:
    submit(staff_client, NEW, place_form())
    place = named(session, "遠別クリニック")
    url = f"/records/places/{place.id}"
    assert submit(staff_client, f"{url}/deactivate", {}, page=url).status_code == 302
    assert not named(session, "遠別クリニック").active
    assert "遠別クリニック" not in text(staff_client.get("/records/offers/new"))
    assert "遠別クリニック" not in text(staff_client.get("/records/places"))


def test_another_towns_place_is_not_found(staff_client: FlaskClient,
                                          other_town: dict[str, Any]) -> None:
    url = f"/records/places/{other_town['clinic'].id}"
    assert staff_client.get(url).status_code == 404
    assert submit(staff_client, url, place_form(), page=NEW).status_code == 404
    assert submit(staff_client, f"{url}/deactivate", {}, page=NEW).status_code == 404
    assert "本町診療所" not in text(staff_client.get("/records/places",
                                                 query_string={"q": "診療所"}))


def test_a_name_lengthened_by_normalising_is_refused(staff_client: FlaskClient,
                                                     session: Session) -> None:
    response = submit(staff_client, NEW, place_form(name="㍿" * 40))  # 40 typed, 160 stored
    assert response.status_code == 400 and "120文字以内で入力してください。" in text(response)
    assert session.exec(select(Place).where(Place.name.startswith("株式会社"))).first() is None


def test_a_place_comes_back_among_the_choices(staff_client: FlaskClient,
                                              session: Session) -> None:
    submit(staff_client, NEW, place_form())
    url = f"/records/places/{named(session, '遠別クリニック').id}"
    submit(staff_client, f"{url}/deactivate", {}, page=url)
    assert submit(staff_client, f"{url}/reactivate", {}, page=url).status_code == 302
    assert named(session, "遠別クリニック").active
    assert "遠別クリニック" in text(staff_client.get("/records/offers/new"))


def test_homes_listed_or_opened_are_audited_against_their_resident(
        staff_client: FlaskClient, session: Session) -> None:
    from carshare.models import Resident

    sato = session.exec(select(Resident).where(Resident.family_name == "佐藤")).one()
    staff_client.get("/records/places", query_string={"q": "佐藤"})
    assert [e.resident_id for e in audits(session, "list", "place")] == [sato.id]
    staff_client.get("/records/places", query_string={"kind": "hospital"})
    assert len(audits(session, "list", "place")) == 1  # facilities are nobody's data
    staff_client.get(f"/records/places/{sato.home_place_id}")
    assert [e.resident_id for e in audits(session, "view", "place")] == [sato.id]
