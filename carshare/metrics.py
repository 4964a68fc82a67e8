"""Prometheus metrics: one registry per process, the metric objects, small observe functions.

The registry is this module's own :data:`REGISTRY` (not prometheus-client's global default):
metric objects are created once, when the module is imported, so any number of apps in one
process (the test suite) share them without registering a name twice, and the services record
from any thread (the dispatcher's pool, a re-planning thread, the scheduler) without a Flask
app context. Labels are town slugs, channels, endpoints' URL rules and fixed words from the code,
never ids, names or phone numbers.

Several processes (gunicorn workers, the scheduler): each one counts its own, unless
``PROMETHEUS_MULTIPROC_DIR`` names a directory shared by them, read at import; then every
process writes its values there and :func:`exposition` merges them (prometheus-client's
multiprocess mode). The outbox and task queue gauges are read at scrape time either way.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

import sqlalchemy as sa
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy.engine import Engine
from sqlmodel import Session

from carshare.models import (
    AwareDateTime,
    Notification,
    NotificationChannel,
    NotificationState,
    Town,
    utcnow,
)

log = logging.getLogger("carshare.metrics")
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
REGISTRY = CollectorRegistry(auto_describe=True)
if os.environ.get(MULTIPROC_ENV):  # the values' files are made there at the first observation
    os.makedirs(os.environ[MULTIPROC_ENV], exist_ok=True)
else:  # per-process figures mean nothing merged
    ProcessCollector(namespace="carshare", registry=REGISTRY)

HTTP_SECONDS = Histogram(
    "carshare_http_request_duration_seconds", "Time to answer a request, per endpoint.",
    ["endpoint", "method", "status"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
QUOTE_SECONDS = Histogram(
    "carshare_quote_duration_seconds", "Time to quote a ride against the day's plan.",
    ["town"], registry=REGISTRY,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
PLANNING_SECONDS = Histogram(
    "carshare_planning_duration_seconds", "Time to plan or re-plan a town's day.",
    ["town"], registry=REGISTRY,
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60, 120, 300))
PLANNING_SERVED = Gauge(
    "carshare_planning_rides_served", "Rides with a car in the town's last planning run.",
    ["town"], registry=REGISTRY, multiprocess_mode="mostrecent")
PLANNING_WAITING = Gauge(
    "carshare_planning_rides_waiting", "Rides left without a car by the last planning run.",
    ["town"], registry=REGISTRY, multiprocess_mode="mostrecent")
MESSAGES_SENT = Counter(
    "carshare_messages_sent_total", "Messages the provider accepted.",
    ["town", "channel"], registry=REGISTRY)
MESSAGES_FAILED = Counter(
    "carshare_messages_failed_total",
    "Messages given up: refused after the last try, or reported undelivered.",
    ["town", "channel"], registry=REGISTRY)
MESSAGES_CALL_LIST = Counter(
    "carshare_messages_call_list_total", "Messages handed to the staff to phone instead.",
    ["town", "channel", "reason"], registry=REGISTRY)

UNMATCHED = "unmatched"  # a path no route matches: one label, whatever was asked


def _never_fails[**P](observe: Callable[P, None]) -> Callable[P, None]:
    """Counting must never stop a booking, a plan or a message: log a failure and go on."""

    @functools.wraps(observe)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            observe(*args, **kwargs)
        except Exception:  # noqa: BLE001  e.g. an unwritable PROMETHEUS_MULTIPROC_DIR
            log.warning("metrics: %s not recorded", observe.__name__, exc_info=True)

    return guarded


def town_slug(session: Session, town_id: int) -> str:
    """Return the town's slug (the only town label); no flush of the session's changes."""
    with session.no_autoflush:
        town = session.get(Town, town_id)
    return town.slug if town is not None else "unknown"


@_never_fails
def http_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    """Record one answered request; ``endpoint`` is a URL rule, never a concrete path."""
    HTTP_SECONDS.labels(endpoint or UNMATCHED, method, f"{status // 100}xx").observe(seconds)


@_never_fails
def quote_answered(session: Session, town_id: int, seconds: float) -> None:
    """Record how long a quote took."""
    QUOTE_SECONDS.labels(town_slug(session, town_id)).observe(seconds)


@_never_fails
def planning_done(session: Session, town_id: int, seconds: float, served: int,
                  waiting: int) -> None:
    """Record a planning run: its duration and how many rides it served and left waiting."""
    town = town_slug(session, town_id)
    PLANNING_SECONDS.labels(town).observe(seconds)
    PLANNING_SERVED.labels(town).set(served)
    PLANNING_WAITING.labels(town).set(waiting)


@_never_fails
def message_sent(session: Session, row: Notification) -> None:
    """Count a message the provider accepted."""
    MESSAGES_SENT.labels(town_slug(session, row.town_id), _channel(row)).inc()


@_never_fails
def message_failed(session: Session, row: Notification) -> None:
    """Count a message given up on (no more tries, or the provider could not deliver it)."""
    MESSAGES_FAILED.labels(town_slug(session, row.town_id), _channel(row)).inc()


@_never_fails
def message_to_call_list(session: Session, row: Notification, reason: str) -> None:
    """Count a message handed to the staff call list; ``reason`` is a fixed word."""
    MESSAGES_CALL_LIST.labels(town_slug(session, row.town_id), _channel(row), reason).inc()


def _channel(row: Notification) -> str:
    return NotificationChannel(row.channel).value


class OutboxCollector:
    """Per town: the outbox's due unsent messages, the oldest one's age, the call list's size.

    One grouped query per scrape (the ``state, due_at`` index narrows it to open rows).
    Named ``carshare_outbox_*`` so a task queue's gauges can sit beside them.
    """

    def __init__(self, engine: Engine, clock=utcnow) -> None:  # type: ignore[no-untyped-def]
        self.engine, self.clock = engine, clock

    def collect(self) -> Iterator[Metric]:
        """Query the outbox and yield the three gauge families."""
        now = self.clock()
        pending = GaugeMetricFamily("carshare_outbox_pending",
                                    "Messages due and not yet sent.", labels=["town"])
        age = GaugeMetricFamily("carshare_outbox_oldest_age_seconds",
                                "Age of the oldest message due and not yet sent.",
                                labels=["town"])
        attention = GaugeMetricFamily("carshare_outbox_needs_attention",
                                      "Items on the staff call list.", labels=["town"])
        for town, count, oldest, open_calls in self._rows(now):
            pending.add_metric([town], count or 0)
            age.add_metric([town], _age(now, oldest))
            attention.add_metric([town], open_calls or 0)
        yield from (pending, age, attention)

    def _rows(self, now: datetime) -> Iterable[tuple[str, int, datetime | None, int]]:
        n = Notification
        due = sa.and_(n.state == NotificationState.PENDING, n.due_at <= now,
                      n.channel != NotificationChannel.STAFF)
        calls = n.state == NotificationState.NEEDS_ATTENTION
        query = (sa.select(Town.slug, sa.func.sum(sa.case((due, 1), else_=0)),
                           sa.func.min(sa.case((due, n.due_at)), type_=AwareDateTime),
                           sa.func.sum(sa.case((calls, 1), else_=0)))
                 .join(Town, Town.id == n.town_id)
                 .where(n.state.in_((NotificationState.PENDING,
                                     NotificationState.NEEDS_ATTENTION)))
                 .group_by(Town.slug))
        with Session(self.engine) as session:
            return list(session.execute(query).tuples())


def _age(now: datetime, oldest: datetime | None) -> float:
    return 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())


class TaskCollector:
    """Per town, task and status (queued, running, failed in the last day): how many tasks,
    and the oldest one's age in seconds (queued since, running since, failed at). Read from
    the app's task queue at scrape time; installation-wide tasks have the town ``all``."""

    def __init__(self, engine: Engine, queue) -> None:  # type: ignore[no-untyped-def]
        self.engine, self.queue = engine, queue

    def collect(self) -> Iterator[Metric]:
        """Read the queue and yield the two gauge families."""
        from carshare.tasks.status import gauges

        count = GaugeMetricFamily("carshare_tasks", "Tasks queued, running or failed.",
                                  labels=["town", "task", "status"])
        age = GaugeMetricFamily("carshare_tasks_oldest_age_seconds",
                                "Age of the oldest task in that state.",
                                labels=["town", "task", "status"])
        try:
            with Session(self.engine) as session:
                slugs = dict(session.execute(sa.select(Town.id, Town.slug)).tuples().all())
            rows, alive = self.queue.rows(10_000), self.queue.workers_alive()
        except Exception:  # noqa: BLE001  the queue unreadable: the other metrics still go
            log.warning("metrics: the task queue is not read", exc_info=True)
            return
        for (town_id, task, status), (n, oldest) in sorted(gauges(rows).items(), key=str):
            labels = [slugs.get(town_id, "unknown") if town_id else "all", task, status]
            count.add_metric(labels, n)
            age.add_metric(labels, oldest)
        yield from (count, age)
        if alive is not None:
            yield GaugeMetricFamily("carshare_task_workers", "Task workers beating now.",
                                    value=alive)


def _task_collector(engine: Engine) -> TaskCollector | None:
    """The current app's task queue as a collector (None outside an app, or when the queue
    cannot be made: the scrape goes on without it)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    try:
        from carshare.tasks import get_queue

        return TaskCollector(engine, get_queue(current_app._get_current_object()))
    except Exception:  # noqa: BLE001  a wrong TASK_QUEUE must not cost the other metrics
        log.warning("metrics: the task queue is not read", exc_info=True)
        return None


class _Forward:
    """This process's metrics, inside a registry built for one scrape."""

    def collect(self) -> Iterator[Metric]:
        """Yield every metric of :data:`REGISTRY`."""
        return REGISTRY.collect()


def exposition(engine: Engine) -> bytes:
    """Return the text exposition: this process's (or, in multiprocess mode, every
    process's) metrics and the outbox gauges read from the database now."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward())  # type: ignore[arg-type]
    registry.register(OutboxCollector(engine))  # type: ignore[arg-type]
    tasks = _task_collector(engine)
    if tasks is not None:
        registry.register(tasks)  # type: ignore[arg-type]
    return generate_latest(registry)
