"""``flask --app app export …``: open data files written to disk."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from carshare.db import get_engine, session_scope

export_cli = AppGroup("export", help="Write open data files.")

REASONS = {
    "unknown_town": "no town with that slug",
    "no_website": "the town has no website and CARSHARE_PUBLIC_URL is empty: set one of them "
                  "(the feed's agency_url)",
    "no_zones": "no place of the town names a settlement: there is no zone to publish",
}


@export_cli.command("gtfs-flex")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--town", default=None, help="Town slug (default CARSHARE_TOWN_SLUG).")
def export_gtfs_flex(out: Path, town: str | None) -> None:
    """Write the town's GTFS-Flex feed to OUT (a .zip file)."""
    from carshare.cli_support import friendly_errors, require_migrated
    from carshare.services.open_data import (
        FeedDefaults,
        OpenDataError,
        gtfs_flex_files,
        town_by_slug,
        zip_feed,
    )
    from carshare.timeutil import local_today

    @friendly_errors
    def run() -> None:
        require_migrated()
        config = current_app.config
        defaults = FeedDefaults(config["OFFICE_PHONE"], config["PUBLIC_URL"])
        with session_scope(get_engine()) as session:
            try:
                row = town_by_slug(session, town or config["TOWN_SLUG"])
                files = gtfs_flex_files(session, row, local_today(ZoneInfo(config["TIMEZONE"])),
                                        defaults)
            except OpenDataError as error:
                raise click.ClickException(REASONS[error.code]) from None
        out.write_bytes(zip_feed(files))
        click.echo(f"wrote {out} ({len(files)} files: {', '.join(sorted(files))})")

    run()
