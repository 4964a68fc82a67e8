"""gunicorn settings for carshare behind a reverse proxy.

    gunicorn -c deploy/gunicorn.conf.py app:app

Command-line options override these (the tests start ``-w 4 -b 127.0.0.1:<free port>``).
Every worker opens its own database pool after the fork; the scheduler never runs here
(production sets ``CARSHARE_SCHEDULER_ENABLED=false``; ``flask --app app jobs run`` runs once,
as its own service).
"""

import multiprocessing
import os

# Only the reverse proxy talks to gunicorn.
bind = "127.0.0.1:8000"

# Worker processes: about two per core. Each has a few threads, so one slow request (a
# confirm waiting for its day lock, a quote) does not hold up the others of that worker.
workers = max(2, multiprocessing.cpu_count() * 2)
worker_class = "gthread"
threads = 4

# Database connections: workers × threads at most (SQLAlchemy pool 5 + overflow 10 each);
# keep workers × 15 below PostgreSQL's max_connections (100 by default).

# A request that takes longer than this is cut off and its transaction rolled back; the
# quote and confirm paths finish in well under a second (docs/reliability.md).
timeout = 60
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (bounded memory), not all at once.
max_requests = 5000
max_requests_jitter = 500

# Import the app in each worker, never before the fork: no connection or lock is shared.
preload_app = False

# X-Forwarded-* are trusted from the proxy only (and by the app: CARSHARE_PROXY_FIX_HOPS=1).
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):  # type: ignore[no-untyped-def]
    """Tell the app how many workers share it, and refuse to start (once, in the master)
    with a setting production refuses; else every worker would fail and be restarted."""
    os.environ["CARSHARE_WEB_WORKERS"] = str(server.cfg.workers)
    from config import ConfigError, load_config

    try:
        load_config(os.environ)
    except ConfigError as error:
        raise SystemExit(f"carshare: configuration error: {error}") from None


accesslog = "-"
errorlog = "-"
loglevel = "info"
