"""Re-extract the UI messages and merge them into the bokmål catalog, keeping its translations.

    python scripts/update_catalog.py

Then translate the new, empty entries in quiz/translations/nb/LC_MESSAGES/messages.po;
tests/test_i18n.py fails while any message lacks a translation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "quiz" / "translations" / "messages.pot"
PO = ROOT / "quiz" / "translations" / "nb" / "LC_MESSAGES" / "messages.po"
WIDTH = 100  # the catalog's line width: translators' editors keep it, so updates change only what changed
KEYWORDS = ["-k", "N_", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2"]


def main() -> None:
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*pybabel, "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location",
                    "--sort-output", "-o", str(POT), str(ROOT)], check=True)
    command = "update" if PO.exists() else "init"
    subprocess.run([*pybabel, command, "-i", str(POT), "-d", str(ROOT / "quiz" / "translations"), "-l", "nb",
                    "--width", str(WIDTH), *(["--no-fuzzy-matching"] if command == "update" else [])], check=True)


if __name__ == "__main__":
    main()
