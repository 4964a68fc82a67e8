"""Staff sign-in, sign-out that really revokes, CSRF, language switch and the dashboard."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import login


def test_dashboard_requires_sign_in(client: FlaskClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_page_is_japanese_by_default(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert "職員ログイン" in html and "ユーザー名" in html


def test_wrong_password_is_refused_with_a_translated_message(client: FlaskClient,
                                                             demo: None) -> None:
    response = login(client, "madoguchi", "wrong-password-123")
    assert response.status_code == 400
    assert "ユーザー名またはパスワードが正しくありません。" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_empty_fields_get_errors_next_to_them(client: FlaskClient, demo: None) -> None:
    response = login(client, "", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ユーザー名を入力してください。" in html and "パスワードを入力してください。" in html


def test_login_shows_the_dashboard_with_demo_data(staff_client: FlaskClient) -> None:
    html = staff_client.get("/dashboard").get_data(as_text=True)
    assert "ダッシュボード" in html and "窓口 花子" in html
    assert "ドライバーの運行予定" in html
    assert "宅" in html  # riders' homes as pick-up points


def test_dashboard_lists_a_chosen_day(staff_client: FlaskClient) -> None:
    from datetime import timedelta

    from carshare.timeutil import TOKYO, local_today

    soon = local_today(TOKYO) + timedelta(days=30)
    assert staff_client.get(f"/dashboard?day={soon.isoformat()}").status_code == 200
    response = staff_client.get("/dashboard?day=not-a-date")
    assert response.status_code == 400
    assert "日付を読み取れませんでした" in response.get_data(as_text=True)
    beyond = staff_client.get("/dashboard?day=2030-01-01")  # beyond the service horizon
    assert beyond.status_code == 400 and "までの日付を入力してください" in beyond.get_data(
        as_text=True)


def test_logout_revokes_the_session_cookie(staff_client: FlaskClient, app: Flask) -> None:
    cookie = staff_client.get_cookie("session")
    html = staff_client.get("/dashboard").get_data(as_text=True)
    from tests.conftest import csrf_token

    response = staff_client.post("/logout", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert staff_client.get("/dashboard").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/dashboard").status_code == 302


def test_post_without_csrf_token_is_rejected(client: FlaskClient, demo: None) -> None:
    response = client.post("/login", data={"username": "madoguchi",
                                           "password": "teshio-demo-2026"})
    assert response.status_code == 400
    assert "フォームの有効期限が切れたか" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_logout_without_csrf_token_is_rejected(staff_client: FlaskClient) -> None:
    assert staff_client.post("/logout").status_code == 400
    assert staff_client.get("/dashboard").status_code == 200


def test_language_switch_to_english_and_back(staff_client: FlaskClient) -> None:
    response = staff_client.get("/lang/en?next=/dashboard")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    html = staff_client.get("/dashboard").get_data(as_text=True)
    assert '<html lang="en">' in html and "Drivers" in html and "Ride requests" in html
    staff_client.get("/lang/ja")
    assert "ダッシュボード" in staff_client.get("/dashboard").get_data(as_text=True)
    assert staff_client.get("/lang/fr").status_code == 404


def test_open_redirects_are_refused(client: FlaskClient) -> None:
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"].endswith("/dashboard")
