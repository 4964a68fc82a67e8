"""Bad input on every form: CSRF, forged Twilio signatures, script and SQL payloads in every
text field, and a property-based fuzz of every field. Never a 5xx, never an invalid row.

The forms are found, not listed: every page a role may open (the route table) is rendered and
each of its POST forms is read the way a browser would submit it.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel, select
from twilio.request_validator import RequestValidator

from carshare.db import get_engine
from carshare.models import Notification, Resident
from tests.security.conftest import World
from tests.security.forms import Form, forms_of
from tests.security.routes import Access, access_of

ROLE_OF = {Access.STAFF: "staff_a", Access.RESIDENT: "rider", Access.DRIVER: "driver"}
SKIP_ACTIONS = re.compile(r"/(logout|session/keepalive|town|lang)\b|/me/logout")
SCRIPT = '<script>alert("x")</script>'
PAYLOADS = [f"{SCRIPT}'; DROP TABLE resident; --", "<img src=x onerror=alert(1)>' OR '1'='1",
            '"><svg onload=alert(1)>', "田中'--"]
RAW = [SCRIPT, "<img src=x onerror", "<svg onload"]


def _pages(app: Flask, world: World) -> Iterator[tuple[str, str]]:
    """Yield (role, path) for every GET page of town A that a staff, rider or driver opens."""
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        role = ROLE_OF.get(access_of(rule.endpoint, rule.rule))  # type: ignore[arg-type]
        if role and "GET" in rule.methods:
            values = {arg: world.a.ids[arg] for arg in rule.arguments}
            yield role, adapter.build(rule.endpoint, values)


def all_forms(app: Flask, world: World) -> list[tuple[str, str, Form]]:
    """Every POST form on every page of town A: (role, page, form)."""
    found, seen = [], set()
    for role, path in _pages(app, world):
        page = world.by_role[role].get(path)
        if page.status_code != 200 or "html" not in page.content_type:
            continue
        for form in forms_of(page.get_data(as_text=True), path):
            key = (role, form.action.split("?")[0], tuple(sorted(form.values)))
            if not SKIP_ACTIONS.search(form.action) and key not in seen:
                seen.add(key)
                found.append((role, path, form))
    return found


def _html(response: Any) -> str:
    """Return the body of an HTML response (a CSV file may hold any text, as data)."""
    return response.get_data(as_text=True) if "html" in response.content_type else ""


def _shows_raw(body: str) -> str:
    return next((raw for raw in RAW if raw in body), "")


# --- CSRF ---------------------------------------------------------------------------------

def test_every_form_without_its_csrf_token_is_refused_and_writes_nothing(
        app: Flask, world: World) -> None:
    forms = all_forms(app, world)
    assert len(forms) >= 20
    before = _row_counts(app)
    for role, page, form in forms:
        data = {k: v for k, v in form.data().items() if k != "csrf_token"}
        response = world.by_role[role].post(form.action, data=data)
        assert response.status_code == 400, (role, page, form.action)
        forged = world.by_role[role].post(form.action, data={**data, "csrf_token": "x" * 40})
        assert forged.status_code == 400, (role, page, form.action)
    assert _row_counts(app) == before


def test_a_token_from_another_session_is_refused(app: Flask, world: World) -> None:
    from tests.conftest import csrf_token

    theirs = csrf_token(world.by_role["staff_b"].get("/dashboard").get_data(as_text=True))
    response = world.by_role["staff_a"].post(
        f"/records/residents/{world.a.ids['resident_id']}/deactivate",
        data={"csrf_token": theirs})
    assert response.status_code == 400
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(Resident, world.a.ids["resident_id"]).active


def test_driver_buttons_need_the_token_or_the_offline_queue_header(world: World) -> None:
    ids = world.a.ids
    path = f"/driver/trips/{ids['offer_id']}/{ids['day_text']}/press"
    data = {"kind": "start", "client_event_id": "e" * 16}
    assert world.by_role["driver"].post(path, data=data).status_code == 400


# --- Twilio webhooks ------------------------------------------------------------------------

TOKEN, PUBLIC = "hook-secret-token", "https://carshare.example.jp"


def _sign(form: dict[str, str], url: str, token: str = TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}


def test_forged_twilio_signatures_are_refused(app: Flask, world: World) -> None:
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_URL=PUBLIC)
    row_id = world.a.ids["row_id"]
    with app.app_context(), Session(get_engine()) as session:
        row = session.get(Notification, row_id)
        row.provider_id = "SM" + "1" * 32
        session.add(row)
        session.commit()
        state = row.state
    client = world.by_role["anonymous"]
    path = f"/hooks/twilio/status/{row_id}"
    form = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered"}
    forgeries = [
        {},  # no signature
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        _sign(form, PUBLIC + path, token="someone-elses-token"),
        _sign(form, PUBLIC + f"/hooks/twilio/status/{row_id + 1}"),  # signed for another row
        _sign({**form, "MessageStatus": "failed"}, PUBLIC + path),  # the body was changed
    ]
    for headers in forgeries:
        assert client.post(path, data=form, headers=headers).status_code == 403
    gather = f"/hooks/twilio/voice/{row_id}/gather"
    keys = {"CallSid": "CA" + "1" * 32, "Digits": "2"}
    assert client.post(gather, data=keys, headers=_sign(keys, PUBLIC + path)).status_code == 403
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(Notification, row_id).state == state
    app.config["TWILIO_AUTH_TOKEN"] = ""  # no token configured: nothing is trusted
    assert client.post(path, data=form, headers=_sign(form, PUBLIC + path, "")).status_code == 403
    app.config["TWILIO_AUTH_TOKEN"] = TOKEN
    signed = client.post(path, data=form, headers=_sign(form, PUBLIC + path))
    assert signed.status_code in (200, 204)  # the same request, truly signed, is taken


# --- script and SQL payloads ----------------------------------------------------------------

def test_payloads_in_every_text_field_are_stored_or_refused_and_shown_harmlessly(
        app: Flask, world: World) -> None:
    app.extensions["carshare.limiter"].enabled = False
    forms = all_forms(app, world)
    fields = sum(len(f.text_fields) for _, _, f in forms)
    assert fields >= 40
    stored = 0
    for role, _page, form in forms:
        for name in form.text_fields:
            for payload in PAYLOADS:
                response = world.by_role[role].post(form.action, data=form.data(**{name: payload}),
                                                    follow_redirects=True)
                assert response.status_code < 500, (form.action, name)
                assert not _shows_raw(_html(response)), (form.action, name)
                stored += response.status_code == 200 and response.history != ()
    assert stored > 10
    _every_page_harmless(app, world)
    _sql_is_stored_as_text(app, world)


def _sql_is_stored_as_text(app: Flask, world: World) -> None:
    name = "田中'); DROP TABLE resident; --"
    client, path = world.by_role["staff_a"], f"/records/residents/{world.a.ids['resident_id']}"
    form = next(f for f in forms_of(client.get(path).get_data(as_text=True), path)
                if "family_name" in f.values)
    assert client.post(path, data=form.data(family_name=name)).status_code == 302
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(Resident, world.a.ids["resident_id"]).family_name == name
        assert session.exec(select(sa.func.count()).select_from(Resident)).one() >= 6
    page = client.get(path).get_data(as_text=True)
    assert "田中&#39;); DROP TABLE" in page


def _every_page_harmless(app: Flask, world: World) -> None:
    for role, path in _pages(app, world):
        body = _html(world.by_role[role].get(path))
        assert not _shows_raw(body), (role, path)
    for path in ("/records/residents?q=%3Cscript%3E", "/call/search?q=%3Cscript%3Ealert(1)",
                 "/records/places?q=' OR 1=1 --"):
        response = world.by_role["staff_a"].get(path)
        assert response.status_code < 500 and not _shows_raw(_html(response))


def test_control_characters_in_any_field_are_refused(app: Flask, world: World) -> None:
    app.extensions["carshare.limiter"].enabled = False
    forms = all_forms(app, world)
    before = _row_counts(app)
    for role, _page, form in forms:
        for name in form.text_fields:
            for text in ("a\x00b", "a\x07b", "a\x92b"):
                response = world.by_role[role].post(form.action, data=form.data(**{name: text}))
                assert response.status_code == 400, (form.action, name, text)
    assert _row_counts(app) == before and not _invalid_rows(app)
    assert world.by_role["staff_a"].get("/records/residents?q=a%00b").status_code == 400


# --- property-based fuzz of every field -----------------------------------------------------

CONTROL_OK = set("\n\r\t")
NOT_BLANK = {("resident", "family_name"), ("resident", "given_name"), ("place", "name"),
             ("town", "name"), ("vehicle", "plate")}


def _field_values(form: Form) -> st.SearchStrategy[dict[str, str]]:
    """Values for every field: the page's own, a choice, garbage, or nothing at all."""
    text = st.text(max_size=300) | st.sampled_from(
        ["", " ", "0", "-1", "99999999999", "1e309", "2026-02-30", "25:61", "null",
         "\x00", "\u202e", "ｱｲｳ", "０９０−１２３４−５６７８", "9" * 400])
    fields = {}
    for name, value in form.values.items():
        if name == "csrf_token":
            continue
        options = st.sampled_from(form.choices.get(name) or [value])
        fields[name] = st.one_of(st.just(value), options, text)
    return st.fixed_dictionaries(fields)


def _invalid_rows(app: Flask) -> list[str]:
    """Rows no boundary should have let in: over-long or control-character text, blank names."""
    problems = []
    with app.app_context(), get_engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            texts = [c for c in table.columns if _length(c) is not False]
            for row in conn.execute(sa.select(*texts)).mappings() if texts else []:
                problems += _row_problems(table.name, texts, row)
    return problems


def _length(column: sa.Column) -> int | None | bool:
    """Return a text column's length limit (None: unlimited); False for other columns."""
    kind = getattr(column.type, "impl", column.type)  # SQLModel's AutoString decorates String
    if isinstance(kind, sa.Enum) or not isinstance(kind, sa.String):
        return False
    return kind.length


def _row_problems(table: str, columns: list[sa.Column], row: Any) -> list[str]:
    problems = []
    for column in columns:
        value, limit = row[column.name], _length(column)
        if not isinstance(value, str):
            continue
        if limit and len(value) > limit:
            problems.append(f"{table}.{column.name} longer than {limit}")
        if any(unicodedata.category(ch) == "Cc" and ch not in CONTROL_OK for ch in value):
            problems.append(f"{table}.{column.name} has a control character: {value!r}")
        if (table, column.name) in NOT_BLANK and not value.strip():
            problems.append(f"{table}.{column.name} is blank")
    return problems


@settings(max_examples=8, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # no shrinking: the draws are printed
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_every_form_no_5xx_no_invalid_row(app: Flask, world: World, data: Any) -> None:
    app.extensions["carshare.limiter"].enabled = False
    forms = _forms_once(app, world)
    for role, _page, form in forms:
        values = data.draw(_field_values(form), label=form.action)
        values["csrf_token"] = form.values.get("csrf_token", "")
        response = world.by_role[role].post(form.action, data=values)
        assert response.status_code < 500, (form.action, values)
    assert not _invalid_rows(app)


_FORMS: dict[int, list[tuple[str, str, Form]]] = {}


def _forms_once(app: Flask, world: World) -> list[tuple[str, str, Form]]:
    """The forms of this test's world (the world lives as long as the test, not an example)."""
    return _FORMS.setdefault(id(world), all_forms(app, world))


def _row_counts(app: Flask) -> dict[str, int]:
    with app.app_context(), get_engine().connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


def test_the_invalid_row_check_can_fail(app: Flask, world: World) -> None:
    with app.app_context(), get_engine().begin() as conn:
        conn.execute(sa.text("UPDATE place SET name = :n WHERE id = :i"),
                     {"n": "bad\x07name", "i": world.a.ids["place_id"]})
    assert any("control character" in p for p in _invalid_rows(app))


assert set(string.whitespace) >= CONTROL_OK
