"""Where road graphs live: ``<instance>/roads/<build id>/`` and a pointer to the current one."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

CURRENT = "current.json"


@dataclass(frozen=True)
class GraphInfo:
    """A built graph: its folder, id and what it was built from."""

    path: Path
    build_id: str
    source: str
    built_at: str
    bbox: tuple[float, float, float, float] | None
    nodes: int
    ways: int

    @property
    def config_file(self) -> Path:
        """Return the Valhalla configuration file of this graph."""
        return self.path / "valhalla.json"


def roads_root(instance_path: str | os.PathLike[str]) -> Path:
    """Return the folder holding every road graph of this installation."""
    return Path(instance_path) / "roads"


def write_info(info: GraphInfo) -> None:
    """Store a graph's description beside its tiles."""
    data = {"build_id": info.build_id, "source": info.source, "built_at": info.built_at,
            "bbox": list(info.bbox) if info.bbox else None, "nodes": info.nodes,
            "ways": info.ways}
    (info.path / "build.json").write_text(json.dumps(data, indent=1), encoding="utf-8")


def read_info(path: Path) -> GraphInfo | None:
    """Return the description of the graph in ``path`` (None: not a finished graph)."""
    try:
        data = json.loads((path / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    bbox = tuple(data["bbox"]) if data.get("bbox") else None
    return GraphInfo(path, str(data["build_id"]), str(data["source"]), str(data["built_at"]),
                     bbox, int(data["nodes"]), int(data["ways"]))  # type: ignore[arg-type]


def make_current(root: Path, info: GraphInfo) -> None:
    """Point the installation at ``info`` atomically (readers see the old or the new graph)."""
    tmp = root / (CURRENT + ".tmp")
    tmp.write_text(json.dumps({"build_id": info.build_id}), encoding="utf-8")
    os.replace(tmp, root / CURRENT)


def current_graph(root: Path) -> GraphInfo | None:
    """Return the current graph, or None when the installation has no road data."""
    try:
        build_id = json.loads((root / CURRENT).read_text(encoding="utf-8"))["build_id"]
    except (OSError, ValueError, KeyError):
        return None
    return read_info(root / str(build_id))


def current_signature(root: Path) -> tuple[str, int] | None:
    """Return a cheap fingerprint of the pointer (changes when a new graph becomes current)."""
    try:
        stat = (root / CURRENT).stat()
    except OSError:
        return None
    return str(root), stat.st_mtime_ns
