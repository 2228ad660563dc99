"""Re-extract the UI messages and merge them into every UI catalog, keeping their translations.

    python scripts/update_catalog.py            # after changing UI text
    python scripts/update_catalog.py --add sv   # a new UI language: quiz/translations/sv/...

Then translate the new, empty entries in each quiz/translations/<language>/LC_MESSAGES/messages.po
(English, the language of the msgids, is filled in here); tests/test_i18n.py fails while any
message lacks a translation or is marked fuzzy.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "quiz" / "translations"
POT = TRANSLATIONS / "messages.pot"
WIDTH = 100  # the catalog's line width: translators' editors keep it, so updates change only what changed
KEYWORDS = ["-k", "N_", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2"]
SOURCE_LANGUAGE = "en"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", metavar="LANGUAGE", help="start a catalog for a new UI language (e.g. sv)")
    args = parser.parse_args()
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*pybabel, "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location",
                    "--sort-output", "-o", str(POT), str(ROOT)], check=True)
    if args.add:
        subprocess.run([*pybabel, "init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", args.add,
                        "--width", str(WIDTH)], check=True)
    subprocess.run([*pybabel, "update", "-i", str(POT), "-d", str(TRANSLATIONS), "--width", str(WIDTH),
                    "--no-fuzzy-matching"], check=True)
    fill_source_language(TRANSLATIONS / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po")


def fill_source_language(po: Path) -> None:
    """The English catalog says what the msgids say: fill its empty entries with them."""
    with po.open("rb") as f:
        catalog = read_po(f, locale=SOURCE_LANGUAGE)
    for message in catalog:
        if message.id and not (message.string if isinstance(message.string, str) else all(message.string)):
            message.string = message.id
    with po.open("wb") as f:
        write_po(f, catalog, width=WIDTH, omit_header=False, no_location=True)


if __name__ == "__main__":
    main()
