"""Where Debian's Chromium is and how every browser test launches it."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CARSHARE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
MISSING = (f"browser tests need Chromium at {CHROMIUM} (Debian packages chromium and "
           "chromium-driver; .ci/run installs them)")
