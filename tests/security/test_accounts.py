"""Accounts: password rules, Argon2id with rehash, sign-in rate limits, cookies, idle timeout,
logout that revokes, password change."""

from __future__ import annotations

import time
import uuid

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare import create_app
from carshare.db import get_engine
from carshare.models import StaffUser
from carshare.services.passwords import common_passwords, password_problem
from carshare.services.users import UserError, create_user
from tests.conftest import csrf_token, login

GOOD = "kitakaze-tonakai-2031"


@pytest.mark.parametrize("password, problem", [
    ("short", "too_short"), ("elevenchars", "too_short"),
    ("123qweasdzxc", "common"), ("PASSWORD1234", "common"), ("qwertyuiop12", "common"),
    ("aaaaaaaaaaaa", "guessable"), ("abcdefghijkl", "guessable"),
    ("madoguchi2026", "guessable"),  # the user's own name and a year
    ("x" * 129, "too_long"),
    (GOOD, None), ("teshio-demo-2026", None),
])
def test_password_rules(password: str, problem: str | None) -> None:
    assert password_problem(password, "madoguchi", "窓口 花子") == problem


def test_common_list_is_the_shipped_one_with_tens_of_thousands() -> None:
    words = common_passwords()
    assert len(words) > 25_000 and "password" in words and "1qaz2wsx3edc" in words


def test_create_user_refuses_a_common_password(app: Flask, demo: None) -> None:
    with app.app_context(), Session(get_engine()) as session:
        with pytest.raises(UserError, match="common"):
            create_user(session, "teshio", "newbie", "新人", "1q2w3e4r5t6y")
        with pytest.raises(UserError, match="at least 12"):
            create_user(session, "teshio", "newbie", "新人", "short-pass")
        assert session.exec(select(StaffUser).where(StaffUser.username == "newbie")).first() \
            is None
        user = create_user(session, "teshio", "newbie", "新人", GOOD)
        assert user.password_hash.startswith("$argon2id$")


def test_sign_in_rehashes_a_hash_made_with_weaker_parameters(app: Flask, demo: None,
                                                             client: FlaskClient,
                                                             production_hashing: None) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    with app.app_context(), Session(get_engine()) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "madoguchi")).one()
        user.password_hash = weak.hash("teshio-demo-2026")
        session.add(user)
        session.commit()
        old = user.password_hash
    assert login(client, "madoguchi", "teshio-demo-2026").status_code == 302
    with app.app_context(), Session(get_engine()) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "madoguchi")).one()
        assert user.password_hash != old and user.password_hash.startswith("$argon2id$")
        assert not PasswordHasher().check_needs_rehash(user.password_hash)


def _fail(client: FlaskClient, username: str = "madoguchi"):  # type: ignore[no-untyped-def]
    return login(client, username, "wrong-password-123")


def test_failed_sign_ins_are_limited_per_name_and_address(app: Flask, demo: None,
                                                          client: FlaskClient) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "unused"  # limits were read at start-up: 10 per 15 min
    statuses = [_fail(client).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    blocked = login(client, "madoguchi", "teshio-demo-2026")
    assert blocked.status_code == 429  # even the right password waits
    assert "しばらく待って" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"]
    assert _fail(client, "admin").status_code == 400  # another name is counted apart


def test_successful_sign_ins_are_not_counted(demo: None, client: FlaskClient) -> None:
    for _ in range(12):
        assert login(client, "madoguchi", "teshio-demo-2026").status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(
            client.get("/dashboard").get_data(as_text=True))})


def test_phone_code_requests_are_limited(client: FlaskClient, demo: None) -> None:
    statuses = []
    for _ in range(11):
        token = csrf_token(client.get("/me/login").get_data(as_text=True))
        statuses.append(client.post("/me/login", data={"csrf_token": token,
                                                       "phone": "090-0000-0000"}).status_code)
    assert 429 not in statuses[:10] and statuses[10] == 429


def test_wrong_phone_codes_are_limited_per_address(client: FlaskClient, demo: None) -> None:
    with client.session_transaction() as flask_session:
        flask_session["signin_nonce"] = "no-such-nonce"
    statuses = []
    for _ in range(11):
        token = csrf_token(client.get("/me/code").get_data(as_text=True))
        statuses.append(client.post("/me/code", data={"csrf_token": token,
                                                      "code": "000000"}).status_code)
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def _redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (apt-get install redis-server)")
    return url


def test_limits_are_shared_between_workers_through_redis(migrated_url: str, demo: None) -> None:
    """Two app instances (two gunicorn workers) count failed sign-ins in one Redis."""
    prefix = f"carshare-test-{uuid.uuid4().hex}"
    workers = [create_app("testing", DATABASE_URL=migrated_url, RATELIMIT_KEY_PREFIX=prefix,
                          RATELIMIT_STORAGE_URI=_redis_url()) for _ in range(2)]
    clients = [w.test_client() for w in workers]
    statuses = [_fail(clients[n % 2]).status_code for n in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    for worker in workers:
        worker.extensions["carshare.engine"].dispose()


def test_memory_limits_are_per_process(migrated_url: str, demo: None) -> None:
    workers = [create_app("testing", DATABASE_URL=migrated_url) for _ in range(2)]
    clients = [w.test_client() for w in workers]
    statuses = [_fail(clients[n % 2]).status_code for n in range(12)]
    assert 429 not in statuses  # 6 each: why multi-worker installs need the shared store
    for worker in workers:
        worker.extensions["carshare.engine"].dispose()


def _cookie_header(response, name: str = "session") -> str:  # type: ignore[no-untyped-def]
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}="))


def test_session_cookie_flags_in_development(client: FlaskClient, demo: None) -> None:
    header = _cookie_header(login(client, "madoguchi", "teshio-demo-2026"))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header


def test_session_cookie_flags_in_production(migrated_url: str, demo: None) -> None:
    app = create_app("production", DATABASE_URL=migrated_url,
                     SECRET_KEY="p9Xk2vQ7Lm3Rt8Wz1Hy6Ja4Ns0Bc5Df2Gk",  # not repetitive (issue 19)
                     SESSION_COOKIE_SAMESITE="Strict")
    client = app.test_client()
    response = login(client, "madoguchi", "teshio-demo-2026")
    header = _cookie_header(response)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Strict" in header
    secure = client.get("/login", base_url="https://localhost")
    assert "max-age=31556926" in secure.headers["Strict-Transport-Security"]
    app.extensions["carshare.engine"].dispose()


def test_idle_session_ends_on_the_server(app: Flask, staff_client: FlaskClient) -> None:
    assert staff_client.get("/dashboard").status_code == 200
    with staff_client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - 31 * 60
    response = staff_client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert staff_client.get("/dashboard").status_code == 302  # stays signed out
    page = staff_client.get("/login").get_data(as_text=True)
    assert "しばらく操作がなかったため" in page


def test_activity_keeps_the_session_and_polling_does_not(app: Flask,
                                                         staff_client: FlaskClient) -> None:
    with staff_client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - 29 * 60
    assert staff_client.get("/dashboard/days").status_code == 200  # the 30-second refresh
    with staff_client.session_transaction() as flask_session:
        assert time.time() - flask_session["seen_at"] > 28 * 60  # ... is not activity
    left = staff_client.get("/dashboard")
    assert left.status_code == 200 and int(left.headers["X-Carshare-Idle-Left"]) > 29 * 60


def test_stay_signed_in_extends_the_session(app: Flask, staff_client: FlaskClient) -> None:
    html = staff_client.get("/dashboard").get_data(as_text=True)
    assert 'id="idle-warning"' in html and "session-timeout.js" in html
    assert 'data-idle-timeout="1800"' in html and 'data-idle-warning="120"' in html
    with staff_client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - 29 * 60
    state = staff_client.get("/session/state").get_json()
    assert state["idle_left"] <= 60
    response = staff_client.post("/session/keepalive", data={"csrf_token": csrf_token(html)},
                                 headers={"Accept": "application/json"})
    assert response.get_json() == {"idle_left": 1800}
    assert staff_client.get("/session/state").get_json()["idle_left"] > 1790


def test_keepalive_without_script_goes_back_to_the_page(staff_client: FlaskClient) -> None:
    html = staff_client.get("/call").get_data(as_text=True)
    response = staff_client.post("/session/keepalive",
                                 data={"csrf_token": csrf_token(html), "next": "/call?x=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/call?x=1"
    response = staff_client.post("/session/keepalive", data={
        "csrf_token": csrf_token(html), "next": "https://evil.example/"})
    assert response.headers["Location"] == "/dashboard"


def test_logout_revokes_every_copy_of_the_cookie(app: Flask, staff_client: FlaskClient) -> None:
    copy = app.test_client()
    copy.set_cookie("session", staff_client.get_cookie("session").value)
    assert copy.get("/dashboard").status_code == 200
    html = staff_client.get("/dashboard").get_data(as_text=True)
    staff_client.post("/logout", data={"csrf_token": csrf_token(html)})
    assert copy.get("/dashboard").status_code == 302


def test_sign_in_starts_a_fresh_session(client: FlaskClient, demo: None) -> None:
    with client.session_transaction() as flask_session:
        flask_session["planted"] = "by an attacker"
        flask_session["lang"] = "en"
    login(client, "madoguchi", "teshio-demo-2026")
    with client.session_transaction() as flask_session:
        assert "planted" not in flask_session and flask_session["lang"] == "en"


def test_password_change(app: Flask, staff_client: FlaskClient) -> None:
    page = staff_client.get("/account/password")
    token = csrf_token(page.get_data(as_text=True))
    weak = staff_client.post("/account/password", data={
        "csrf_token": token, "current": "teshio-demo-2026", "new": "password1234",
        "confirm": "password1234"})
    assert weak.status_code == 400 and "推測されやすい" in weak.get_data(as_text=True)
    wrong = staff_client.post("/account/password", data={
        "csrf_token": token, "current": "not-it-at-all", "new": GOOD, "confirm": GOOD})
    assert wrong.status_code == 400
    other = app.test_client()
    other.set_cookie("session", staff_client.get_cookie("session").value)
    done = staff_client.post("/account/password", data={
        "csrf_token": token, "current": "teshio-demo-2026", "new": GOOD, "confirm": GOOD})
    assert done.status_code == 302 and "/login" in done.headers["Location"]
    assert other.get("/dashboard").status_code == 302  # every other session ended
    fresh = app.test_client()
    assert login(fresh, "madoguchi", GOOD).status_code == 302
