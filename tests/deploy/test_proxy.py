"""deploy/nginx.conf in front of gunicorn (4 workers, PostgreSQL), as deployed: HTTP is sent to
HTTPS, static files come from nginx, the app trusts the proxy's headers, booking works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.dbs import empty_database, pg_base_url
from tests.deploy.race import log_tail, read_back, seed_crowd
from tests.deploy.servers import ROOT, free_port, gunicorn, outcome, sign_in, token
from tests.reliability.crowd import PASSWORD

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.skipif(not pg_base_url(), reason="needs PostgreSQL: set "
                       "CARSHARE_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="needs nginx (apt-get install nginx)"),
    pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning"),  # own cert
]

MAIN = """pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
user root;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/carshare.conf;
}}
"""


def site(tmp: Path, upstream: int, http: int, https: int) -> str:
    """deploy/nginx.conf with the test's ports, certificate and checkout in place."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [("127.0.0.1:8000", f"127.0.0.1:{upstream}"),
                     ("listen 80;", f"listen 127.0.0.1:{http};"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
                     ("/etc/letsencrypt/live/carshare.example.jp/fullchain.pem",
                      str(tmp / "cert.pem")),
                     ("/etc/letsencrypt/live/carshare.example.jp/privkey.pem",
                      str(tmp / "key.pem")),
                     ("/srv/carshare/", f"{ROOT}/")]:
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line)


@contextmanager
def nginx(tmp: Path, upstream: int) -> Iterator[tuple[str, str]]:
    """Run nginx with the site; yield its (http, https) base URLs."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=carshare.example.jp", "-keyout", str(tmp / "key.pem"),
                    "-out", str(tmp / "cert.pem")], check=True, capture_output=True)
    http, https = free_port(), free_port()
    (tmp / "carshare.conf").write_text(site(tmp, upstream, http, https))
    (tmp / "nginx.conf").write_text(MAIN.format(tmp=tmp))
    command = [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{http}/", timeout=1, allow_redirects=False)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{http}", f"https://127.0.0.1:{https}"
    finally:
        os.kill(proc.pid, signal.SIGQUIT)
        proc.wait(30)


def test_nginx_in_front_of_four_workers(tmp_path: Path) -> None:
    with empty_database("postgresql", tmp_path) as url:
        crowd = seed_crowd(url, riders=2, seats=3, staff=1)
        log = tmp_path / "gunicorn.log"
        with gunicorn(url, log, workers=4, CARSHARE_PROXY_FIX_HOPS="1",
                      CARSHARE_SESSION_COOKIE_SECURE="true") as direct, \
                nginx(tmp_path, int(direct.rsplit(":", 1)[1])) as (plain, base):
            moved = requests.get(f"{plain}/login", allow_redirects=False, timeout=30)
            assert moved.status_code == 301 and moved.headers["Location"].startswith("https://")
            css = requests.get(f"{base}/static/style.css", verify=False, timeout=30)
            assert css.status_code == 200 and "max-age=604800" in css.headers["Cache-Control"]
            staff = sign_in(base, crowd.usernames[0], PASSWORD, verify=False)
            assert all(c.secure for c in staff.cookies)  # Secure cookies reach the app over TLS
            page = staff.get(f"{base}/requests/{crowd.request_ids[0]}/options", timeout=60)
            assert page.status_code == 200
            assert "max-age" in page.headers["Strict-Transport-Security"]  # the app saw https
            answer = staff.post(f"{base}/requests/{crowd.request_ids[0]}/confirm",
                                data={"csrf_token": token(page.text),
                                      "offer_id": crowd.offer_id}, allow_redirects=False,
                                timeout=60)
            assert outcome(answer, crowd.request_ids[0]) == "confirmed", log_tail(log)
        assert read_back(url, crowd).confirmed == 1
