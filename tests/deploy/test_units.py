"""The systemd units and the gunicorn settings in deploy/ are valid as shipped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.servers import BIN, ROOT, app_env

UNITS = ("carshare-web.service", "carshare-jobs.service")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_units_verify(tmp_path: Path) -> None:
    """``systemd-analyze verify`` finds no unknown key or bad value (paths pointed at this
    checkout, since /srv/carshare does not exist here)."""
    for unit in UNITS:
        text = (ROOT / "deploy" / unit).read_text()
        assert "ExecStart=/srv/carshare/.venv/bin/" in text
        text = text.replace("/srv/carshare/.venv/bin/", f"{BIN}/").replace(
            "EnvironmentFile=/", "EnvironmentFile=-/").replace("=carshare\n", "=root\n")
        (tmp_path / unit).write_text(text)
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no",
                              *(str(tmp_path / u) for u in UNITS)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_gunicorn_settings_load(tmp_path: Path) -> None:
    """``gunicorn --check-config`` accepts the settings and imports the app."""
    env = app_env(f"sqlite:///{tmp_path / 'check.db'}")
    checked = subprocess.run([str(BIN / "gunicorn"), "--check-config", "-c",
                              "deploy/gunicorn.conf.py", "app:app"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
