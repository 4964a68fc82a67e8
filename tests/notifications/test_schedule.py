"""Each message kind goes out at the right time, in the right language and channel, once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from flask import Flask

from carshare.db import get_engine
from carshare.models import ConsentMethod, ConsentScope, NotificationState, ResidentConsent
from carshare.notifications import ConsoleNotifier
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_codes import enqueue_signin_code
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.notify_driver import enqueue_driver_manifest, enqueue_driver_request
from carshare.services.notify_rider import enqueue_confirmation
from carshare.timeutil import TOKYO
from tests.notifications.factories import Town, promised_ride, rows

TUESDAY = datetime(2026, 12, 8, tzinfo=TOKYO)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def dispatch(settings: NotifySettings) -> list[str]:
    """Run the dispatcher once on the console channel; return the keys it sent."""
    counts = dispatch_due(get_engine(), ConsoleNotifier(), settings)
    return [f"{kind}:{n}" for kind, n in sorted(counts.items())]


def sent_keys(town: Town) -> list[str]:
    return sorted(r.idempotency_key for r in rows(town.session) if r.state == "sent")


def test_confirmation_and_reminders_at_their_times(
        town: Town, clock: time_machine.Coordinates, settings: NotifySettings,
        sent_log: pytest.LogCaptureFixture) -> None:
    sato = promised_ride(town, "佐藤", at(TUESDAY, 9, 30))
    brown = promised_ride(town, "ブラウン", at(TUESDAY, 10))
    for ride in (sato, brown):
        enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()

    assert dispatch(settings) == ["sent:2"]
    by_key = {r.idempotency_key: r for r in rows(town.session)}
    assert by_key[f"confirmation:{sato.id}:v1"].channel == "voice"  # landline, voice, ja
    assert by_key[f"confirmation:{brown.id}:v1"].channel == "sms"  # mobile, sms, en
    assert ("12月8日火曜日午前9時30分から午前10時の間にご自宅へお迎えに伺います。"
            "村上様の車、市立稚内病院へ、白。") in sent_log.text
    assert "取り消す場合は2を" in sent_log.text  # the voice call's menu
    assert ("Teshio rides: pickup Tue 12/8 10:00-10:30 at home, Murakami's white car to hospital"
            in sent_log.text)

    clock.move_to(at(TUESDAY - timedelta(days=1), 17, 59))
    assert dispatch(settings) == []
    clock.move_to(at(TUESDAY - timedelta(days=1), 18, 0))
    assert dispatch(settings) == ["sent:2"]
    assert "明日12月8日火曜日午前9時30分から午前10時の間にご自宅へお迎えです" in (
        sent_log.text)
    assert "tomorrow Tue 12/8 pickup 10:00-10:30 at home" in sent_log.text

    clock.move_to(at(TUESDAY, 8, 44))
    assert dispatch(settings) == []
    clock.move_to(at(TUESDAY, 8, 45))  # 45 minutes before 9:30
    assert dispatch(settings) == ["sent:1"]
    clock.move_to(at(TUESDAY, 9, 15))
    assert dispatch(settings) == ["sent:1"]
    assert dispatch(settings) == []
    assert sent_keys(town) == sorted(
        [f"confirmation:{sato.id}:v1", f"confirmation:{brown.id}:v1"]
        + [f"reminder:{r.id}:{kind}:v1" for r in (sato, brown)
           for kind in ("reminder_evening", "reminder_soon")])
    assert all(r.attempts == 1 and r.provider_id for r in rows(town.session, state="sent"))


def test_enqueue_twice_stores_once(town: Town, settings: NotifySettings) -> None:
    ride = promised_ride(town, "高橋", at(TUESDAY, 9, 30))
    first = enqueue_confirmation(town.session, ride.id, settings=settings)
    again = enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()
    assert [r.id for r in first] == [r.id for r in again] and len(first) == 3
    assert len(rows(town.session)) == 3


def test_calling_hours_hold_messages_until_morning_but_not_codes(
        town: Town, clock: time_machine.Coordinates, settings: NotifySettings) -> None:
    clock.move_to(at(TUESDAY, 21, 30))
    ride = promised_ride(town, "高橋", at(TUESDAY + timedelta(days=1), 10))
    confirmation = enqueue_confirmation(town.session, ride.id, settings=settings)[0]
    code = enqueue_signin_code(town.session, town.resident("鈴木").id, "n1")
    town.session.commit()
    assert confirmation.due_at == at(TUESDAY + timedelta(days=1), 8)  # moved into the hours
    assert dispatch(settings) == ["sent:1"]
    assert rows(town.session, id=code.id)[0].state == "sent"
    assert code.channel == "voice"  # 鈴木 has only a landline
    clock.move_to(at(TUESDAY + timedelta(days=1), 7, 59))
    assert dispatch(settings) == []
    clock.move_to(at(TUESDAY + timedelta(days=1), 8, 0))
    assert dispatch(settings) == ["sent:1"]


def test_driver_manifest_the_evening_before_and_requests_at_once(
        town: Town, clock: time_machine.Coordinates, settings: NotifySettings,
        sent_log: pytest.LogCaptureFixture) -> None:
    ride = promised_ride(town, "佐藤", at(TUESDAY, 9, 30))
    enqueue_driver_manifest(town.session, ride.promised_offer_id, TUESDAY.date(),
                            settings=settings)
    enqueue_driver_request(town.session, ride.id, town.offer_of("近藤").id, settings=settings)
    town.session.commit()
    assert dispatch(settings) == ["sent:1"]
    assert ("12/8(火)9:30〜10:30天塩地区発天塩町立国保病院行き 佐藤様1名の同乗のお願いです"
            in sent_log.text)
    clock.move_to(at(TUESDAY - timedelta(days=1), 18))
    assert dispatch(settings) == ["sent:1"]
    assert "明日12/8(火)の乗車1名。最初のお迎え9:30天塩地区" in sent_log.text
    manifest = [line for line in sent_log.text.splitlines() if "[manifest:" in line]
    assert manifest and "佐藤" not in manifest[-1]  # the summary names nobody; only the
    # question names the rider, by the family name the driver greets them with (issue 18)


def test_opted_out_and_staff_call_residents_get_no_automated_messages(
        town: Town, settings: NotifySettings) -> None:
    from carshare.services.outbox import opt_out

    ride = promised_ride(town, "田中", at(TUESDAY, 9, 30))  # staff_call
    assert enqueue_confirmation(town.session, ride.id, settings=settings) == []
    other = promised_ride(town, "高橋", at(TUESDAY, 9, 30))
    written = enqueue_confirmation(town.session, other.id, settings=settings)
    assert opt_out(town.session, town.resident("高橋").id) == len(written) == 3
    town.session.commit()
    assert dispatch(settings) == []
    assert {r.state for r in rows(town.session)} == {NotificationState.CANCELLED}


def test_caregiver_gets_a_copy_only_with_consent(town: Town, settings: NotifySettings,
                                                  app: Flask) -> None:
    rider = town.resident("鈴木")
    rider.caregiver_phone = "+819012345678"
    town.session.add(rider)
    ride = promised_ride(town, "鈴木", at(TUESDAY, 9, 30))
    assert len(enqueue_confirmation(town.session, ride.id, settings=settings)) == 3
    town.session.add(ResidentConsent(resident_id=rider.id, scope=ConsentScope.CAREGIVER,
                                     given_on=rider.created_at.date(),
                                     method=ConsentMethod.PAPER))
    ride2 = promised_ride(town, "鈴木", at(TUESDAY, 13), version=2)
    copies = [r for r in enqueue_confirmation(town.session, ride2.id, settings=settings)
              if r.recipient == "+819012345678"]
    assert len(copies) == 3 and {r.channel for r in copies} == {"sms"}
    assert all(r.payload["caregiver"] for r in copies)
