"""Words the UI uses for scale values and kinds, marked for translation (English msgids)."""

from __future__ import annotations

from quiz.i18n import N_, gettext

POSITION_LABELS = {
    2: N_("Strongly agree"),
    1: N_("Somewhat agree"),
    0: N_("Neutral"),
    -1: N_("Somewhat disagree"),
    -2: N_("Strongly disagree"),
    None: N_("Not addressed"),
}
ANSWER_LABELS = {**POSITION_LABELS, None: N_("Skipped")}
ACTOR_KIND_LABELS = {
    "party": N_("Party"),
    "party-branch": N_("Party branch"),
    "organisation": N_("Organisation, not a party"),
}
SOURCE_KIND_LABELS = {
    "party-programme": N_("Party programme"),
    "party-resolution": N_("Party resolution"),
    "hearing-statement": N_("Hearing statement"),
    "web-page": N_("Web page"),
}


def position_label(position: int | None) -> str:
    return gettext(POSITION_LABELS[position])


def answer_label(answer: int | None) -> str:
    return gettext(ANSWER_LABELS[answer])


def answer_labels() -> dict[int | None, str]:
    """Every answer's label (as ``answer_label``), for a page that shows many."""
    return {answer: gettext(label) for answer, label in ANSWER_LABELS.items()}


def source_kind(kind: str) -> str:
    return gettext(SOURCE_KIND_LABELS[kind])


def actor_kind(actor, actors: dict) -> str:
    """'Party', 'Party branch of Senterpartiet', 'Organisation, not a party' (translated)."""
    parent = actors.get(actor.parent) if actor.parent else None
    if parent is not None:
        return gettext("Party branch of %(parent)s", parent=parent.name)
    return gettext(ACTOR_KIND_LABELS[actor.kind])
