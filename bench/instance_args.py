"""The command line shared by the benchmark runners that solve instance files."""

from __future__ import annotations

import argparse
from pathlib import Path


def parse(description: str) -> argparse.Namespace:
    """Return ``--time-limit``, ``--out`` (created), ``--seed``, ``--deterministic``, instances."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--deterministic", action="store_true")
    ap.add_argument("instances", nargs="+")
    args = ap.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    return args
