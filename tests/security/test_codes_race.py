"""Issue 19, finding 2: one-time codes cannot be raced.

Thirty wrong codes sent at one moment for one sign-in, over real HTTP, to the embedded
server (SQLite, PostgreSQL) and to gunicorn with 4 workers (PostgreSQL): the database counts
each try before the code is compared, so at most five are ever compared.
"""

from __future__ import annotations

from sqlmodel import Session, select

from carshare.models import SigninCode
from tests.deploy.servers import texts, token
from tests.security.live import DRIVER_MOBILE, Live, burst, copy_of, live, phone_session

__all__ = ["live"]  # the fixture

WRONG = "000000"
TRIES_PER_CODE = 5  # resident_auth.TRIES_PER_CODE
WRONG_TEXTS = texts("This code is not right. Please check it and try again.")


def test_thirty_wrong_codes_at_once_are_compared_at_most_five_times(live: Live,
                                                                    session: Session) -> None:
    http, answer = phone_session(live.base, DRIVER_MOBILE)
    assert answer.status_code == 302, live.tail()
    form = token(http.get(f"{live.base}/me/code", timeout=30).text)
    answers = burst(30, lambda n: copy_of(http), lambda h: h.post(
        f"{live.base}/me/code", data={"csrf_token": form, "code": WRONG},
        allow_redirects=False, timeout=120))
    assert [a.status_code for a in answers if a.status_code >= 500] == [], live.tail()
    compared = sum(any(t in a.text for t in WRONG_TEXTS) for a in answers)
    session.expire_all()
    row = session.exec(select(SigninCode).order_by(SigninCode.id.desc())).first()
    assert compared <= TRIES_PER_CODE, f"{compared} wrong codes were compared"
    assert row.attempts == compared  # every try counted, none lost
