"""Plan changes cancel what is stale and say what changed; late messages expire to staff."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from carshare.db import get_engine
from carshare.notifications import ConsoleNotifier
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_changes import notify_plan_change
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.notify_housekeeping import expire_late
from carshare.services.notify_rider import enqueue_confirmation
from carshare.services.outbox import call_list
from carshare.timeutil import TOKYO
from tests.notifications.factories import Town, promised_ride, replan, rows

PICKUP = datetime(2026, 12, 8, 9, 30, tzinfo=TOKYO)


def test_a_plan_change_cancels_the_old_reminders_and_sends_a_change_notice(
        town: Town, settings: NotifySettings, sent_log: pytest.LogCaptureFixture,
        clock: time_machine.Coordinates) -> None:
    ride = promised_ride(town, "高橋", PICKUP)
    enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()
    assert dispatch_due(get_engine(), ConsoleNotifier(), settings) == {"sent": 1}

    clock.shift(timedelta(hours=2))
    replan(town, ride, PICKUP + timedelta(minutes=45), driver="近藤", version=2)
    notify_plan_change(town.session, ride.id, settings=settings)
    town.session.commit()
    old = {r.idempotency_key: r.state for r in rows(town.session) if r.idempotency_key.endswith(
        ":v1")}
    assert old == {f"confirmation:{ride.id}:v1": "sent",
                   f"reminder:{ride.id}:reminder_evening:v1": "cancelled",
                   f"reminder:{ride.id}:reminder_soon:v1": "cancelled"}
    assert dispatch_due(get_engine(), ConsoleNotifier(), settings) == {"sent": 1}
    assert ("変更:12/8(火)のお迎えは10:15〜10:45(9:30から)。近藤様の車(天塩町立国保へ・銀)"
            in sent_log.text)
    assert {r.idempotency_key for r in rows(town.session, state="pending")} == {
        f"reminder:{ride.id}:reminder_evening:v2", f"reminder:{ride.id}:reminder_soon:v2"}

    notify_plan_change(town.session, ride.id, settings=settings)  # nothing new to say
    town.session.commit()
    assert len(rows(town.session, template="change")) == 1


def test_a_reminder_too_late_expires_and_alerts_staff(
        town: Town, settings: NotifySettings, clock: time_machine.Coordinates) -> None:
    first = promised_ride(town, "高橋", PICKUP)
    second = promised_ride(town, "加藤", PICKUP)
    for ride in (first, second):
        enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()
    dispatch_due(get_engine(), ConsoleNotifier(), settings)
    clock.move_to(PICKUP + timedelta(minutes=1))  # the dispatcher was down all evening
    assert dispatch_due(get_engine(), ConsoleNotifier(), settings, workers=1) == {"expired": 4}
    assert expire_late(town.session, PICKUP + timedelta(minutes=1)) == 0
    for ride in (first, second):
        states = {r.template: r.state for r in rows(town.session, ride_request_id=ride.id)}
        assert states == {"confirmation": "sent", "reminder_evening": "expired",
                          "reminder_soon": "expired", "staff_alert": "needs_attention"}
    alerts = call_list(town.session, town.town_id)
    assert len(alerts) == 4 and {a.channel for a in alerts} == {"staff"}
    assert all("expired unsent" in a.last_error for a in alerts)


def test_the_expiry_job_catches_rows_the_dispatcher_did_not_reach(
        town: Town, settings: NotifySettings, clock: time_machine.Coordinates) -> None:
    ride = promised_ride(town, "高橋", PICKUP)
    enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.commit()
    clock.move_to(PICKUP + timedelta(minutes=1))
    assert expire_late(town.session, PICKUP + timedelta(minutes=1)) == 3
    assert dispatch_due(get_engine(), ConsoleNotifier(), settings) == {}
    assert len(call_list(town.session, town.town_id)) == 3


def test_a_message_that_cannot_be_rendered_fails_to_staff_and_blocks_nothing(
        town: Town, settings: NotifySettings) -> None:
    from carshare.models import Notification

    ride = promised_ride(town, "高橋", PICKUP)
    enqueue_confirmation(town.session, ride.id, settings=settings)
    town.session.add(Notification(town_id=town.town_id, recipient="+819012345678",
                                  channel="sms", template="confirmation", payload={},
                                  due_at=PICKUP - timedelta(days=2), idempotency_key="broken"))
    town.session.commit()
    assert dispatch_due(get_engine(), ConsoleNotifier(), settings) == {"failed": 1, "sent": 1}
    [broken] = rows(town.session, idempotency_key="broken")
    assert broken.state == "failed" and "cannot render" in broken.last_error
    assert len(call_list(town.session, town.town_id)) == 1
