"""A private PostgreSQL cluster under /tmp on its own port, which a test may stop and start
(never the shared server on 5432)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.deploy.servers import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    """Tell whether a private cluster can be made here (PostgreSQL 15 binaries, a postgres user)."""
    return (PG_BIN / "initdb").exists() and shutil.which("runuser") is not None


class Cluster:
    """One private cluster: ``url`` reaches it; ``stop``/``start`` restart it."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port, self.data = root, port, root / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _ctl(self, *args: str) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                          str(self.root / "server.log"), *args)

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       capture_output=True, timeout=120)

    def init(self) -> None:
        """Create the cluster (trust authentication, 127.0.0.1 only)."""
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                          "-U", "postgres", "--no-sync")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=60")
        self._ctl("-o", options, "-w", "start")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: like a crash, recovery from the WAL on start)."""
        self._ctl("-m", mode, "-w", "stop")

    def log(self) -> str:
        """The server's log."""
        path = self.root / "server.log"
        return path.read_text() if path.exists() else ""


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """Yield a started private cluster; stop it and delete its files afterwards."""
    root = Path(tempfile.mkdtemp(prefix="carshare-pg-"))
    shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(root, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop("fast")
        except subprocess.SubprocessError:
            pass
        shutil.rmtree(root, ignore_errors=True)
