"""The worker's systemd unit is valid as shipped and starts the command the docs name."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.servers import BIN, ROOT

UNIT = ROOT / "deploy" / "carshare-worker.service"


def test_the_worker_unit_runs_flask_worker() -> None:
    text = UNIT.read_text()
    assert "ExecStart=/srv/carshare/.venv/bin/flask --app app worker" in text
    assert "Restart=always" in text and "KillSignal=SIGTERM" in text
    assert "flask --app app worker" in (ROOT / "docs" / "deploy.md").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_worker_unit_verifies(tmp_path: Path) -> None:
    text = UNIT.read_text().replace("/srv/carshare/.venv/bin/", f"{BIN}/").replace(
        "EnvironmentFile=/", "EnvironmentFile=-/").replace("=carshare\n", "=root\n")
    (tmp_path / UNIT.name).write_text(text)
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no",
                              str(tmp_path / UNIT.name)], capture_output=True, text=True,
                             timeout=60)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
