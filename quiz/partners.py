"""News-site partners that may embed the quiz, and the origins allowed to frame it.

Configured in a TOML file named by ``QUIZ_PARTNERS`` (see ``partners.example.toml``)::

    [[partner]]
    id = "avisa"
    name = "Avisa"
    origins = ["https://www.avisa.no", "https://avisa.no"]
    quizzes = ["stortinget", "oslo"]  # optional, with several quizzes: the ones it may embed (default: all)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
PARTNER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class PartnerConfigError(ValueError):
    """The partners file is wrong; the message names the entry."""


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    origins: tuple[str, ...]
    quizzes: tuple[str, ...] | None = None  # the slugs it may embed; None: every quiz

    def may_embed(self, slug: str | None) -> bool:
        """Whether the partner may frame the quiz ``slug`` (None: the only quiz, which every partner may)."""
        return self.quizzes is None or slug is None or slug in self.quizzes


def load_partners(path: str | Path | None, slugs: Collection[str] = ()) -> dict[str, Partner]:
    """Partners by id; none when ``path`` is None (embedding is then off). A partner's ``quizzes``
    must be among ``slugs``, the quizzes served (none with one quiz)."""
    if not path:
        return {}
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PartnerConfigError(f"{path}: {error}") from error
    partners: dict[str, Partner] = {}
    for i, entry in enumerate(data.get("partner", []), start=1):
        pid, name, origins = entry.get("id"), entry.get("name"), entry.get("origins")
        if not isinstance(pid, str) or not PARTNER_ID.match(pid):
            raise PartnerConfigError(f"{path}: partner #{i}: 'id' must be lowercase letters, digits, hyphens")
        if not isinstance(name, str) or not name:
            raise PartnerConfigError(f"{path}: partner {pid}: 'name' is missing")
        if not isinstance(origins, list) or not origins or not all(
                isinstance(o, str) and ORIGIN.match(o) for o in origins):
            raise PartnerConfigError(f"{path}: partner {pid}: 'origins' must list origins like https://example.no")
        if pid in partners:
            raise PartnerConfigError(f"{path}: partner {pid}: duplicate id")
        quizzes = entry.get("quizzes")
        if quizzes is not None and (not isinstance(quizzes, list) or not all(q in slugs for q in quizzes)):
            raise PartnerConfigError(f"{path}: partner {pid}: 'quizzes' must list quizzes this deployment serves "
                                     f"({', '.join(slugs) or 'it serves one quiz, at its root: leave quizzes out'})")
        partners[pid] = Partner(pid, name, tuple(origins), None if quizzes is None else tuple(quizzes))
    return partners
