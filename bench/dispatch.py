"""Benchmark the outbox dispatcher through the real twilio SDK against the local Twilio mock.

      .venv/bin/python bench/dispatch.py [--rows 10000] [--workers 4] [--database-url URL]

Two runs on a fresh database, each with ``--rows`` due messages (SMS, and a fifth voice calls
with TwiML), sent through Twilio's official OpenAPI description served by Prism on 127.0.0.1:

- backlog: everything is due at once; measures messages per second.
- paced: messages fall due evenly over ``--spread`` seconds while the dispatcher runs every
  ``--interval`` seconds (as the scheduler does); measures how late they go out (p50/p95).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from carshare import create_app, migrate
from carshare.db import get_engine
from carshare.models import Notification, Town, utcnow
from carshare.notifications import ChannelRouter, prism
from carshare.notifications.settings import NotifySettings
from carshare.notifications.twilio_client import make_client
from carshare.notifications.twilio_sms import TwilioSmsNotifier
from carshare.notifications.twilio_voice import TwilioVoiceNotifier
from carshare.services.notify_dispatch import dispatch_due


def notifier(base: str) -> ChannelRouter:
    """The production adapters, pointed at the mock."""
    client = make_client({"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "token",
                          "TWILIO_API_BASE": base})
    return ChannelRouter(TwilioSmsNotifier(client, "+815031234567"),
                         TwilioVoiceNotifier(client, "+815031234568"))


def fill(session: Session, rows: int, spread: float, tag: str) -> None:
    """Write ``rows`` sign-in codes falling due evenly over ``spread`` seconds from now."""
    town = session.exec(select(Town)).first() or Town(slug="bench", name="ベンチ町")
    session.add(town)
    session.flush()
    start = utcnow() + timedelta(seconds=1 if spread else 0)
    session.add_all(Notification(
        town_id=town.id, recipient=f"+8190{n:08d}", channel="voice" if n % 5 == 0 else "sms",
        template="signin_code", payload={"code": f"{n:06d}", "start": start.isoformat()},
        due_at=start + timedelta(seconds=spread * n / rows), idempotency_key=f"{tag}:{n}")
        for n in range(rows))
    session.commit()


def lateness(session: Session, tag: str) -> dict[str, float]:
    """Return p50/p95/max of sent_at - due_at in seconds for one run."""
    rows = session.exec(select(Notification.sent_at, Notification.due_at).where(
        Notification.idempotency_key.like(f"{tag}:%"), Notification.state == "sent"))
    late = sorted((sent - due).total_seconds() for sent, due in rows)
    cuts = statistics.quantiles(late, n=100)
    return {"sent": len(late), "p50_s": round(cuts[49], 3), "p95_s": round(cuts[94], 3),
            "max_s": round(late[-1], 3)}


def run(engine: sa.Engine, router: ChannelRouter, settings: NotifySettings,
        args: argparse.Namespace, tag: str, spread: float) -> dict[str, float]:
    """Fill the outbox, dispatch until it is empty, and measure."""
    with Session(engine) as session:
        fill(session, args.rows, spread, tag)
    began = time.perf_counter()
    sent = 0
    while sent < args.rows:
        tick = time.perf_counter()
        sent += dispatch_due(engine, router, settings, workers=args.workers)["sent"]
        if spread and sent < args.rows:
            time.sleep(max(0.0, args.interval - (time.perf_counter() - tick)))
    elapsed = time.perf_counter() - began
    with Session(engine) as session:
        result = lateness(session, tag)
    return {**result, "seconds": round(elapsed, 2), "per_second": round(args.rows / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4, help="parallel senders")
    parser.add_argument("--spread", type=float, default=60.0, help="paced run: seconds")
    parser.add_argument("--interval", type=float, default=1.0, help="paced run: tick seconds")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()
    if reason := prism.missing_reason():
        raise SystemExit(reason)
    folder = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)
    port = prism.free_port()
    mock = prism.start(prism.SPEC, port, folder / "prism.log", dynamic=True)  # distinct sids
    try:
        app = create_app("testing", DATABASE_URL=url, LOG_LEVEL="WARNING")
        with app.app_context():
            engine, settings = get_engine(), NotifySettings.from_config(app.config)
            router = notifier(f"http://127.0.0.1:{port}")
            report = {"rows": args.rows, "workers": args.workers, "database": engine.dialect.name,
                      "backlog": run(engine, router, settings, args, "backlog", 0.0),
                      "paced": run(engine, router, settings, args, "paced", args.spread),
                      "spread_s": args.spread, "interval_s": args.interval}
    finally:
        mock.terminate()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
