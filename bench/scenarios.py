"""Generate Teshio-Wakkanai days at three sizes from a seed.

Usage: python bench/scenarios.py --size district --seed 1   (prints a summary)

Places are the real facilities and settlements of the brief; homes are
scattered around settlements.  Drivers post one-way trips (to Wakkanai in
the morning, back in the afternoon, or local errands) with a detour
budget; riders ask to arrive at a hospital or office by a time, or to be
picked up after an appointment.  Requests are listed in the order they
were phoned in.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from carshare.domain.types import Place, Problem, Request, Vehicle, Window  # noqa: E402

TOKYO = ZoneInfo("Asia/Tokyo")
SIZES = {"town": (10, 40), "district": (30, 150), "prefecture": (100, 600)}
FACILITIES = {
    "teshio_office": ("Teshio Town Office", 44.884, 141.747),
    "teshio_hospital": ("Teshio town hospital", 44.887, 141.750),
    "wakkanai_hospital": ("Wakkanai City Hospital", 45.413, 141.680),
    "wakkanai_station": ("JR Wakkanai Station", 45.417, 141.677),
    "wakkanai_office": ("Wakkanai City Office", 45.416, 141.673),
    "horonobe_office": ("Horonobe Town Office", 45.019, 141.846),
    "toyotomi_office": ("Toyotomi Town Office", 45.103, 141.779),
}
# settlement centre and relative weight of elderly residents without a car
SETTLEMENTS = {
    "Teshio": (44.884, 141.747, 5), "Ubushi": (44.860, 141.800, 1),
    "Onobunai": (44.974, 141.839, 1), "Horonobe": (45.019, 141.846, 3),
    "Toyotomi": (45.103, 141.779, 3), "Yuchi": (45.300, 141.715, 1),
    "Bakkai": (45.303, 141.636, 1), "Koetoi": (45.401, 141.761, 1),
}
LOCAL = {"Teshio": "teshio_hospital", "Ubushi": "teshio_hospital", "Onobunai": "teshio_office",
         "Horonobe": "horonobe_office", "Toyotomi": "toyotomi_office",
         "Yuchi": "wakkanai_office", "Bakkai": "wakkanai_office", "Koetoi": "wakkanai_hospital"}
H = 3600


def _home(rng: random.Random, k: int, town: str) -> Place:
    lat, lon, _ = SETTLEMENTS[town]
    return Place(f"home{k}", f"{town} home {k}", lat + rng.uniform(-0.02, 0.02),
                 lon + rng.uniform(-0.025, 0.025))


def _town(rng: random.Random) -> str:
    names = list(SETTLEMENTS)
    return rng.choices(names, weights=[SETTLEMENTS[n][2] for n in names])[0]


def _vehicle(rng: random.Random, k: int, home: Place, town: str) -> Vehicle:
    kind = rng.choices(("to_wakkanai", "from_wakkanai", "local"), weights=(4, 4, 2))[0]
    seats = rng.choice((2, 3, 3, 4))
    wc = 1 if rng.random() < 0.15 else 0
    detour = rng.choice((15, 20, 20, 30)) * 60
    if kind == "to_wakkanai":
        dep = rng.randint(7 * 4, 9 * 4) * 900
        return Vehicle(f"v{k}", home.id, "wakkanai_station", Window(dep, dep + 3 * H), seats, wc,
                       detour_budget=detour)
    if kind == "from_wakkanai":
        dep = rng.randint(12 * 4, 16 * 4) * 900
        return Vehicle(f"v{k}", "wakkanai_station", home.id, Window(dep, dep + 3 * H), seats, wc,
                       detour_budget=detour)
    dep = rng.randint(8 * 4, 13 * 4) * 900
    return Vehicle(f"v{k}", home.id, home.id, Window(dep, dep + 3 * H), seats, wc,
                   detour_budget=detour + 30 * 60)


def _request(rng: random.Random, k: int, home: Place, town: str) -> Request:
    kind = rng.choices(("to_hospital", "from_hospital", "local"), weights=(40, 35, 25))[0]
    party = 2 if rng.random() < 0.15 else 1
    wheelchair = rng.random() < 0.05
    board = 300 if wheelchair else 120
    if kind == "to_hospital":
        by = rng.randint(38, 46) * 900
        return Request(f"r{k}", home.id, "wakkanai_hospital", dropoff_window=Window(by - H, by),
                       party=party, wheelchair=wheelchair, pickup_service=board)
    if kind == "from_hospital":
        after = rng.randint(50, 64) * 900
        return Request(f"r{k}", "wakkanai_hospital", home.id,
                       pickup_window=Window(after, after + H), party=party,
                       wheelchair=wheelchair, pickup_service=board)
    by = rng.randint(36, 48) * 900
    return Request(f"r{k}", home.id, LOCAL[town], dropoff_window=Window(by - H, by),
                   party=party, wheelchair=wheelchair, pickup_service=board)


def generate(size: str, seed: int = 1, day: str = "2026-12-08") -> Problem:
    """Return a reproducible scenario day of the given size."""
    offers, requests = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    places = [Place(k, name, lat, lon) for k, (name, lat, lon) in FACILITIES.items()]
    vehicles, reqs = [], []
    for k in range(offers + requests):
        town = _town(rng)
        home = _home(rng, k, town)
        places.append(home)
        if k < offers:
            vehicles.append(_vehicle(rng, k, home, town))
        else:
            reqs.append(_request(rng, k, home, town))
    rng.shuffle(reqs)  # the order in which they were phoned in
    origin = datetime.combine(datetime.fromisoformat(day).date(), time(0), TOKYO)
    return Problem(tuple(places), tuple(vehicles), tuple(reqs), origin=origin)


def main() -> int:
    """Print a one-line summary of a generated day."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=SIZES, default="district")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    p = generate(a.size, a.seed)
    print(f"{a.size} seed {a.seed}: {len(p.vehicles)} offers, {len(p.requests)} requests, "
          f"{len(p.places)} places, {sum(r.wheelchair for r in p.requests)} wheelchair")
    return 0


if __name__ == "__main__":
    sys.exit(main())
