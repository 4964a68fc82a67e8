"""Issue 19, finding 2 (staff): wrong passwords sent at one moment for one account are
counted in the database before the password is checked; after ten the account is locked.

Real concurrent requests to the embedded server (SQLite, PostgreSQL) and to gunicorn with 4
workers (PostgreSQL); the address limits are raised out of the way (they are per process).
"""

from __future__ import annotations

import requests
from sqlmodel import Session

from carshare.models import StaffUser
from tests.deploy.servers import texts, token
from tests.security.live import STAFF_PASSWORD, Live, burst, live

__all__ = ["live"]

LOCK_AFTER = 10  # users.LOCK_AFTER: wrong passwords before the account locks
NOT_CORRECT = texts("The user name or password is not correct.")


def _login_form(base: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    return http, token(http.get(f"{base}/login", timeout=30).text)


def _post(base: str, prepared: tuple[requests.Session, str], username: str,
          password: str) -> requests.Response:
    http, form = prepared
    return http.post(f"{base}/login", data={"csrf_token": form, "username": username,
                                            "password": password},
                     allow_redirects=False, timeout=120)


def test_fourteen_wrong_passwords_at_once_are_checked_at_most_ten_times(
        live: Live, session: Session) -> None:
    name = live.town["staff"].username
    answers = burst(14, lambda n: _login_form(live.base),
                    lambda p: _post(live.base, p, name, "wrong-password-123"))
    assert [a.status_code for a in answers if a.status_code >= 500] == [], live.tail()
    checked = sum(any(t in a.text for t in NOT_CORRECT) for a in answers)
    assert checked <= LOCK_AFTER, f"{checked} wrong passwords were checked"
    right = _post(live.base, _login_form(live.base), name, STAFF_PASSWORD)
    assert right.status_code != 302  # locked: even the right password waits
    session.expire_all()
    user = session.get(StaffUser, live.town["staff"].id)
    assert user.locked_until is not None and user.failed_logins == checked
