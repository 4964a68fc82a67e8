"""No double booking, measured: many staff confirm the same car at the same moment over HTTP.

    .venv/bin/python bench/concurrency.py [--attempts 200] [--seats 3] [--backend both]

PostgreSQL: gunicorn with 4 workers (deploy/gunicorn.conf.py) on a throw-away schema of
``CARSHARE_TEST_DATABASE_URL``. SQLite: the embedded threaded server of ``make run``
(``flask --app app serve``) on a temporary file. Each attempt is a different rider asking for
the same offer with ``--seats`` free seats; every request is released at once. Prints the
outcomes, the latency percentiles and what the database holds afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.dbs import empty_database  # noqa: E402
from tests.deploy.race import Race, race, read_back, seed_crowd  # noqa: E402
from tests.deploy.servers import embedded, gunicorn  # noqa: E402


def run(backend: str, attempts: int, seats: int, workers: int) -> bool:
    """Race ``attempts`` confirms on one backend; print the figures; return whether they held."""
    tmp = Path(tempfile.mkdtemp(prefix=f"conc-{backend}-"))
    with empty_database(backend, tmp) as url:
        crowd = seed_crowd(url, riders=attempts, seats=seats, staff=4)
        log = tmp / "server.log"
        serve = gunicorn(url, log, workers=workers) if backend == "postgresql" else embedded(
            url, log)
        with serve as base:
            result = race(base, crowd, attempts)
        after = read_back(url, crowd)
    server = f"gunicorn {workers} workers" if backend == "postgresql" else "embedded serve"
    print(f"\n{backend} ({server}): {attempts} confirms at once for {seats} free seats")
    _report(result)
    print(f"  database: {after.confirmed} confirmed, {after.riders_in_plan} riders in the active "
          f"plan, peak load {after.peak_load}/{after.seats} seats, {after.active_plans} active "
          "plan")
    held = (result.outcomes == {"confirmed": seats, "full": attempts - seats}
            and after.confirmed == after.riders_in_plan == seats and after.active_plans == 1)
    print(f"  verdict: {'HOLDS' if held else 'BROKEN'} (server log: {log})")
    return held


def _report(result: Race) -> None:
    ms = sorted(t * 1000 for t in result.latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"  outcomes: {dict(result.outcomes)}")
    print(f"  wall {result.wall_s:.1f} s; latency ms p50 {q[49]:.0f}, p95 {q[94]:.0f}, "
          f"p99 {q[98]:.0f}, max {ms[-1]:.0f}")
    for kind, text in result.samples.items():
        if kind.startswith("other"):
            print(f"  sample {kind}: {text[:300]!r}")


def main() -> None:
    """Parse the options and race on the chosen backends."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--seats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--backend", choices=["both", "postgresql", "sqlite"], default="both")
    args = parser.parse_args()
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not os.environ.get("CARSHARE_TEST_DATABASE_URL"):
        sys.exit("set CARSHARE_TEST_DATABASE_URL=postgresql+psycopg://... for the PostgreSQL run")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    ok = [run(b, args.attempts, args.seats, args.workers) for b in backends]
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()
