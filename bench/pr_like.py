"""Write random instances in the style of Cordeau & Laporte's pr set, for tuning.

Usage: python bench/pr_like.py --out DIR [--seed S]

The pr instances are held out (see ../shared/bench/README.md), and the "a"
instances are small enough that the search is not short of time on them.
These generated instances have the pr shape — a 480-minute day, 15-45 minute
windows on the pick-up (outbound) or the drop-off (inbound), 90 minutes of
maximum ride time, 10 minutes of service, six seats, coordinates spread
around a depot in a 20 x 20 square — so a change meant for long routes can
be compared on them without looking at pr.  They have no best-known value:
compare the cost of two settings on the same files.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

SIZES = ((96, 9), (120, 11), (144, 13), (108, 8), (144, 10), (120, 9))  # (requests, vehicles)
HORIZON, RIDE, SERVICE, SEATS = 480, 90, 10, 6


def _point(rnd: random.Random) -> tuple[float, float]:
    def one() -> float:
        return max(-10.0, min(10.0, rnd.gauss(0.0, 4.0)))

    return one(), one()


def instance(n: int, vehicles: int, seed: int) -> str:
    """Return the text of one instance in the Cordeau file format (pr layout)."""
    rnd = random.Random(seed)
    depot = _point(rnd)
    picks, drops = [], []
    for i in range(n):
        p, d = _point(rnd), _point(rnd)
        direct = math.hypot(p[0] - d[0], p[1] - d[1])
        width = rnd.randint(15, 45)
        if i < n // 2:  # inbound: the drop-off has the window
            open_ = rnd.randint(int(60 + direct), HORIZON - 10 - width)
            picks.append((p, 1, 0, 1440))
            drops.append((d, -1, open_, open_ + width))
        else:  # outbound: the pick-up has the window
            open_ = rnd.randint(30, int(HORIZON - 30 - direct - width))
            picks.append((p, 1, open_, open_ + width))
            drops.append((d, -1, 0, 1440))
    lines = [f"{vehicles} {2 * n} {HORIZON} {SEATS} {RIDE}",
             f"  0 {depot[0]:8.3f} {depot[1]:8.3f}  0  0    0 1440"]
    for k, (xy, load, e, close) in enumerate(picks + drops, 1):
        lines.append(f"{k:3d} {xy[0]:8.3f} {xy[1]:8.3f} {SERVICE} {load:2d} {e:4d} {close:4d}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write g1.txt … g6.txt into ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1000)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for k, (n, vehicles) in enumerate(SIZES):
        (out / f"g{k + 1}.txt").write_text(instance(n, vehicles, args.seed + k))
    print(f"wrote {len(SIZES)} instances to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
