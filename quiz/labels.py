"""Words the UI uses for scale values and kinds (bokmål; translations come with i18n)."""

POSITION_LABELS = {
    2: "Helt enig",
    1: "Delvis enig",
    0: "Nøytral",
    -1: "Delvis uenig",
    -2: "Helt uenig",
    None: "Ikke omtalt",
}
ANSWER_LABELS = {**POSITION_LABELS, None: "Hoppet over"}
ACTOR_KIND_LABELS = {
    "party": "Parti",
    "party-branch": "Partilag",
    "organisation": "Organisasjon, ikke et parti",
}
SOURCE_KIND_LABELS = {
    "party-programme": "Partiprogram",
    "party-resolution": "Partivedtak (resolusjon)",
    "hearing-statement": "Høringsuttalelse",
    "web-page": "Nettside",
}
BASIS_LABELS = {"explicit": "Uttalt i teksten", "inferred": "Tolket ut fra teksten"}


def actor_kind(actor, actors: dict) -> str:
    """'Parti', 'Partilag av Senterpartiet', 'Organisasjon, ikke et parti'."""
    label = ACTOR_KIND_LABELS[actor.kind]
    parent = actors.get(actor.parent) if actor.parent else None
    return f"{label} av {parent.name}" if parent is not None else label
