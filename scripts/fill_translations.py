"""Fill Japanese translations from a JSON file of {msgid: msgstr} into the ja catalog.

Run after ``make extract-messages``; only the given ids are changed, everything else is kept.
Several people may do this at once: wrap the whole sequence in ``flock`` (see the Makefile target
``i18n``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "carshare/translations/ja/LC_MESSAGES/messages.po"


def fill(pairs: dict[str, str], catalog_path: Path = CATALOG) -> list[str]:
    """Set ``msgstr`` for every msgid in ``pairs``; return the ids that are not in the catalog."""
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle, locale="ja")
    missing = []
    for msgid, text in pairs.items():
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        message.string = text
        message.flags.discard("fuzzy")
    with catalog_path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return missing


def main(argv: list[str]) -> int:
    """Fill from each JSON file named on the command line."""
    for name in argv:
        missing = fill(json.loads(Path(name).read_text(encoding="utf-8")))
        for msgid in missing:
            print(f"not in the catalog (run make extract-messages first): {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
