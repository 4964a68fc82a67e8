"""Fault scenario: PostgreSQL crash-stopped and restarted while staff keep confirming rides.

    .venv/bin/python bench/faults_pg.py [--desks 4] [--down 5]

Starts a PRIVATE PostgreSQL 15 cluster under /tmp on its own port (never the shared server),
gunicorn with 4 workers on it, and ``--desks`` staff confirming riders one after another
(pressing again after a 503, as staff would). After 3 s the cluster is stopped in
``immediate`` mode (like a crash: recovery from the WAL), kept down ``--down`` seconds and
started again; gunicorn is left alone. Prints every answer by phase, how long the app took to
serve again once PostgreSQL was back, and whether the database holds exactly the rides that
staff were told were confirmed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.deploy.race import Desk, read_back, seed_crowd  # noqa: E402
from tests.deploy.servers import UNAVAILABLE, gunicorn, outcome, texts  # noqa: E402
from tests.reliability.private_pg import available, private_cluster  # noqa: E402


class Timeline:
    """Answers by phase (before, down, after), and when the first success after the restart came."""

    def __init__(self) -> None:
        self.answers: dict[str, Counter[str]] = {p: Counter() for p in ("before", "down", "after")}
        self.phase, self.up_at, self.first_ok_after = "before", 0.0, 0.0
        self.lock = threading.Lock()

    def note(self, kind: str) -> None:
        with self.lock:
            self.answers[self.phase][kind] += 1
            if self.phase == "after" and kind == "confirmed" and not self.first_ok_after:
                self.first_ok_after = time.monotonic()


def desk_loop(desk: Desk, request_ids: list[int], line: Timeline, told: Counter[str],
              pace: float) -> None:
    """Confirm each rider; after a 503 press again (half a second later) until answered."""
    for request_id in request_ids:
        time.sleep(pace)  # the next caller
        while True:
            answer = desk.confirm(request_id)
            if answer.status_code == 503:
                line.note("503 " + ("(clear message)" if any(
                    t in answer.text for t in texts(UNAVAILABLE)) else "(other text)"))
                time.sleep(0.5)
                continue
            kind = outcome(answer, request_id)
            line.note(kind)
            told[kind] += 1
            break


def main() -> None:
    """Run the scenario and print its outcome."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=4)
    parser.add_argument("--riders", type=int, default=15, help="per desk")
    parser.add_argument("--seats", type=int, default=8, help="per driver (one per desk)")
    parser.add_argument("--pace", type=float, default=0.3, help="seconds between callers")
    parser.add_argument("--down", type=float, default=5)
    args = parser.parse_args()
    if not available():
        sys.exit("needs /usr/lib/postgresql/15/bin and runuser for a private cluster")
    log = Path(tempfile.mkdtemp(prefix="faults-pg-")) / "gunicorn.log"
    with private_cluster() as pg:
        crowd = seed_crowd(pg.url, riders=args.riders * args.desks, seats=args.seats,
                           staff=args.desks, drivers=args.desks)
        with gunicorn(pg.url, log, workers=4) as base:
            line, told = Timeline(), Counter[str]()
            desks = [Desk(base, crowd, n, crowd.offer_ids[n]) for n in range(args.desks)]
            shares = [crowd.request_ids[n::args.desks] for n in range(args.desks)]
            threads = [threading.Thread(target=desk_loop, args=(d, s, line, told, args.pace))
                       for d, s in zip(desks, shares, strict=True)]
            for thread in threads:
                thread.start()
            time.sleep(3)
            pg.stop("immediate")
            line.phase = "down"
            time.sleep(args.down)
            pg.start()
            line.up_at, line.phase = time.monotonic(), "after"
            for thread in threads:
                thread.join(300)
        stored = read_back(pg.url, crowd)
    print(f"PostgreSQL crash-stopped for {args.down:.0f} s under {args.desks} desks "
          f"(each: {args.riders} callers for one driver's {args.seats} seats), gunicorn 4 workers")
    for phase, answers in line.answers.items():
        print(f"  {phase:6}: {dict(answers)}")
    if line.first_ok_after:
        print(f"  first confirmed ride {line.first_ok_after - line.up_at:.2f} s after "
              "PostgreSQL accepted connections again (gunicorn not restarted)")
    print(f"  staff were told: {dict(told)}")
    print(f"  database: {stored.confirmed} confirmed, {stored.riders_in_plan} in the active "
          f"plan, highest load {stored.peak_load}/{stored.seats}, {stored.active_plans} active "
          "plan")
    held = (stored.confirmed == told["confirmed"] == stored.riders_in_plan
            and set(told) <= {"confirmed", "full"})
    print(f"  verdict: {'nothing lost, nothing doubled' if held else 'BROKEN'} (log {log})")
    sys.exit(0 if held else 1)


if __name__ == "__main__":
    main()
