"""Words the UI uses for scale values and kinds, marked for translation (English msgids)."""

from __future__ import annotations

from flask import current_app, has_app_context

from quiz.i18n import N_, gettext
from quiz.model import DEFAULT_SCALE, SCALES
from quiz.views import get_content, quiz_selected

POSITION_LABELS = {
    2: N_("Strongly agree"),
    1: N_("Somewhat agree"),
    0: N_("Neutral"),
    -1: N_("Somewhat disagree"),
    -2: N_("Strongly disagree"),
    None: N_("Not addressed"),
}
ANSWER_LABELS = {**POSITION_LABELS, None: N_("Skipped")}
# On a three-point scale there is no "somewhat": its ends are plain agree and disagree.
THREE_POINT_LABELS = {2: N_("Agree"), 0: N_("Neutral"), -2: N_("Disagree")}
ACTOR_KIND_LABELS = {
    "party": N_("Party"),
    "party-branch": N_("Party branch"),
    "organisation": N_("Organisation, not a party"),
}
# How a position was obtained (see quiz.model.BASES), as the actor reviewing its coding reads it.
BASIS_LABELS = {
    "explicit": N_("stated in your documents"),
    "inferred": N_("inferred from your documents"),
    "self": N_("your own answer"),
}
SOURCE_KIND_LABELS = {
    "party-programme": N_("Party programme"),
    "party-resolution": N_("Party resolution"),
    "hearing-statement": N_("Hearing statement"),
    "web-page": N_("Web page"),
}


def scale_labels(scale: int, skipped: str = POSITION_LABELS[None]) -> dict[int | None, str]:
    """The msgids of a scale's answers (highest first), then None → ``skipped``."""
    words = THREE_POINT_LABELS if scale == 3 else POSITION_LABELS
    return {value: words[value] for value in reversed(SCALES[scale])} | {None: skipped}


def served_scale() -> int:
    """The scale of the quiz being served (the default outside a request, as in the CLI)."""
    if not has_app_context() or "quiz_contents" not in current_app.extensions or not quiz_selected():
        return DEFAULT_SCALE
    return get_content().info.scale


def position_label(position: int | None, scale: int | None = None) -> str:
    """An actor's position in words, on ``scale`` (default: the served quiz's).

    A value off the scale gets its five-point word."""
    return gettext(scale_labels(scale or served_scale()).get(position, POSITION_LABELS[position]))


def answer_label(answer: int | None, scale: int | None = None) -> str:
    """A voter's answer in words, on ``scale`` (default: the served quiz's); off the scale as above."""
    return gettext(scale_labels(scale or served_scale(), ANSWER_LABELS[None]).get(answer, ANSWER_LABELS[answer]))


def answer_labels() -> dict[int | None, str]:
    """Every answer's label on the served quiz's scale (as ``answer_label``), for a page that shows many."""
    scale = served_scale()
    return {answer: answer_label(answer, scale) for answer in ANSWER_LABELS}


def basis_label(basis: str) -> str:
    return gettext(BASIS_LABELS[basis])


def source_kind(kind: str) -> str:
    return gettext(SOURCE_KIND_LABELS[kind])


def actor_kind(actor, actors: dict) -> str:
    """'Party', 'Party branch of Senterpartiet', 'Organisation, not a party' (translated)."""
    parent = actors.get(actor.parent) if actor.parent else None
    if parent is not None:
        return gettext("Party branch of %(parent)s", parent=parent.name)
    return gettext(ACTOR_KIND_LABELS[actor.kind])
