"""Build a routing graph from a region's OpenStreetMap extract, stage by stage.

The extract may be clipped to a bounding box first (pyosmium); Valhalla's ``valhalla_build_tiles``
then runs one stage at a time so that the caller can show progress.  A graph is built in a new
folder and becomes current only when finished, so a failed build leaves the old one in force.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from carshare.roads.engine import valhalla_config
from carshare.roads.store import GraphInfo, make_current, write_info

BBox = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
#: Valhalla's stages in order (``valhalla_build_tiles -s X -e X``); no transit, bike share or
#: elevation.
STAGES = ("initialize", "parseways", "parserelations", "parseareaways", "parsenodes",
          "buildareas", "constructedges", "build", "enhance", "filter", "hierarchy", "shortcuts",
          "restrictions", "validate", "cleanup")
Progress = Callable[[str, int, int], None]  # stage name, stages done, stages in all


class BuildError(RuntimeError):
    """The extract could not be turned into a graph (the message says why)."""


def build_graph(extract: Path, root: Path, bbox: BBox | None = None,
                progress: Progress | None = None) -> GraphInfo:
    """Build a graph from ``extract`` under ``root`` and make it current.

    :raise BuildError: unreadable extract, no roads in it (or in the box), or a failed stage.
    """
    report = progress or (lambda *_: None)
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + _digest(extract)[:8]
    folder = root / build_id
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "tiles").mkdir(parents=True)
    try:
        source, nodes, ways = _prepare(extract, folder, bbox)
        config = valhalla_config(folder / "tiles")
        (folder / "valhalla.json").write_text(json.dumps(config), encoding="utf-8")
        total = len(STAGES)
        for done, stage in enumerate(STAGES):
            report(stage, done, total)
            _stage(folder, stage, source)
        report("done", total, total)
        if source != extract:
            source.unlink()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    info = GraphInfo(folder, build_id, extract.name, built_at, bbox, nodes, ways)
    write_info(info)
    make_current(root, info)
    _prune(root, keep=(folder.name,))
    return info


def _prune(root: Path, keep: tuple[str, ...], spare: int = 1) -> None:
    """Remove old graphs, keeping the current one and ``spare`` before it (a process that
    still reads the previous graph finishes its work)."""
    builds = sorted((p for p in root.iterdir() if p.is_dir() and p.name not in keep),
                    key=lambda p: p.name, reverse=True)
    for old in builds[spare:]:
        shutil.rmtree(old, ignore_errors=True)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _prepare(extract: Path, folder: Path, bbox: BBox | None) -> tuple[Path, int, int]:
    """Count (and clip) the extract; return the file to build from, its road nodes and ways."""
    from carshare.roads.clip import clip, count_roads

    try:
        if bbox is not None:
            clipped = folder / "clipped.osm.pbf"
            nodes, ways = clip(extract, clipped, bbox)
            source = clipped
        else:
            source = extract
            nodes, ways = count_roads(extract)
    except RuntimeError as error:  # pyosmium: not an OSM file
        raise BuildError(f"cannot read {extract.name}: {error}") from error
    if ways == 0:
        raise BuildError(f"{extract.name} has no roads" + (" inside the box" if bbox else ""))
    return source, nodes, ways


def _stage(folder: Path, stage: str, source: Path) -> None:
    binary = Path(_bin_path()) / "valhalla_build_tiles"
    command = [str(binary), "-c", str(folder / "valhalla.json"), "-s", stage, "-e", stage,
               str(source)]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False,
                          env={**os.environ, "PATH": f"{binary.parent}:{os.environ['PATH']}"})
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BuildError(f"stage {stage} failed: " + " | ".join(tail))


def _bin_path() -> str:
    return subprocess.check_output([sys.executable, "-m", "valhalla", "print_bin_path"],
                                   text=True).strip()
