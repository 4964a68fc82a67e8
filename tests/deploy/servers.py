"""Start carshare as it is deployed (gunicorn workers, or the embedded ``serve``) on a free
127.0.0.1 port, and drive it over HTTP as staff do: sign in, CSRF tokens, quote, confirm."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "deploy-test-secret-key-0123456789abcdef"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FULL = "This car has just been filled by other bookings. Here are the options now."
UNAVAILABLE = ("The database cannot be reached at the moment. Nothing was saved by this "
               "request; please try again in a minute.")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_env(url: str, env: str = "production", **extra: str) -> dict[str, str]:
    """The environment of a deployed process: its database, no scheduler, plain HTTP."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("CARSHARE_")}
    return {**keep, "CARSHARE_ENV": env, "CARSHARE_SECRET_KEY": SECRET,
            "CARSHARE_DATABASE_URL": url, "CARSHARE_SCHEDULER_ENABLED": "false",
            "CARSHARE_SESSION_COOKIE_SECURE": "false",  # the proxy's HTTPS is not in the test
            # ...and per-worker sign-in limits are enough here: both named, knowingly kept.
            "CARSHARE_UNSAFE_ALLOWED": "SESSION_COOKIE_SECURE,RATELIMIT_STORAGE_URI",
            "CARSHARE_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT), **extra}


@contextmanager
def gunicorn(url: str, log: Path, workers: int = 4, **env: str) -> Iterator[str]:
    """Run ``gunicorn -c deploy/gunicorn.conf.py`` with ``workers`` workers; yield its URL."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "app:app"]
    with _running(command, app_env(url, **env), log, port) as base:
        yield base


@contextmanager
def embedded(url: str, log: Path, **env: str) -> Iterator[str]:
    """Run ``flask --app app serve`` (the embedded threaded server of ``make run``)."""
    port = free_port()
    command = [str(BIN / "flask"), "--app", "app", "serve"]
    extra = {"CARSHARE_HOST": "127.0.0.1", "CARSHARE_PORT": str(port), **env}
    with _running(command, app_env(url, "development", **extra), log, port) as base:
        yield base


@contextmanager
def _running(command: list[str], env: dict[str, str], log: Path, port: int) -> Iterator[str]:
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc, log)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def wait_ready(base: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Wait until ``/readyz`` answers 200; fail with the server's log if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server not ready after {timeout}s:\n{log.read_text()[-3000:]}")


def token(html: str) -> str:
    """Return the CSRF token of the first form of a page."""
    found = TOKEN.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(base: str, username: str, password: str, verify: bool = True) -> requests.Session:
    """Sign in through the real form (CSRF included); return the signed-in HTTP session.

    :param verify: check the server's TLS certificate (off for a test's self-signed one).
    """
    http = requests.Session()
    http.verify = verify
    http.trust_env = verify  # else REQUESTS_CA_BUNDLE in the environment overrides verify=False
    http.headers["Referer"] = f"{base}/"  # as a browser sends it (checked on HTTPS with CSRF)
    html = http.get(f"{base}/login", timeout=30).text
    answer = http.post(f"{base}/login", data={"username": username, "password": password,
                                              "csrf_token": token(html)},
                       allow_redirects=False, timeout=30)
    assert answer.status_code == 302, f"sign-in failed: {answer.status_code}"
    return http


def texts(msgid: str) -> tuple[str, ...]:
    """A message in every language the app speaks (English, Japanese)."""
    ja = Translations.load(str(ROOT / "carshare" / "translations"), ["ja"]).gettext(msgid)
    return (msgid, ja)


def full_texts() -> tuple[str, ...]:
    """The "car is full" message in every language the app speaks."""
    return texts(FULL)


def outcome(response: requests.Response, request_id: int) -> str:
    """Classify a confirm's answer: ``confirmed``, ``full`` or ``other:<status>``."""
    if response.status_code == 302 and response.headers["Location"].endswith(
            f"/requests/{request_id}"):
        return "confirmed"
    if response.status_code == 409 and any(t in response.text for t in full_texts()):
        return "full"
    return f"other:{response.status_code}"
