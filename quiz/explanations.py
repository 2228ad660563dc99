"""The generated texts that explain a quiz to voters: how the actors' positions were obtained
(from the stances' bases, naming actors where they differ) and how answers are compared (from
the scale). Generated, so that they stay true for every quiz: an imported election whose
parties answered themselves is not described as read from documents."""

from __future__ import annotations

from quiz.i18n import gettext
from quiz.labels import position_label
from quiz.model import BASES, Actor, Content

SELF = "self"  # the actor answered the statement itself
DOCUMENT_BASES = ("explicit", "inferred")  # we placed the actor from its documents


def _(message: str, **variables) -> str:
    """gettext, always %-formatted as the templates' is, so that "%%" is a percent sign in every message."""
    return gettext(message, **variables) if variables else gettext(message) % {}


def position_counts(content: Content, actor: Actor) -> dict[str, int]:
    """How many of ``actor``'s positions have each basis, and how many statements it has none on."""
    stances = [content.stance(actor.id, s.id) for s in content.statements]
    counts = {basis: sum(1 for s in stances if s is not None and s.position is not None and s.basis == basis)
              for basis in BASES}
    return counts | {"none": sum(1 for s in stances if s is None or s.position is None)}


def coverage(content: Content) -> list[dict]:
    """Per actor: the actor and its :func:`position_counts`."""
    return [{"actor": actor, **position_counts(content, actor)} for actor in content.actors]


def bases_in_use(content: Content) -> set[str]:
    """The bases of the quiz's positions."""
    return {s.basis for s in content.stances if s.position is not None}


def _names(actors: list[Actor]) -> str:
    return ", ".join(a.name for a in actors)


def _scale_ends(content: Content) -> dict[str, str]:
    scale = content.info.scale
    return {"low": position_label(-2, scale).lower(), "high": position_label(2, scale).lower()}


def provenance(content: Content) -> list[str]:
    """Paragraphs on where the actors' positions come from, true for this quiz."""
    rows = coverage(content)
    answered = [r["actor"] for r in rows if r[SELF]]
    placed = [r["actor"] for r in rows if any(r[b] for b in DOCUMENT_BASES)]
    paragraphs = []
    if answered:
        paragraphs.append(
            _("Every actor answered the statements itself, on the same scale you answer on. Where an actor "
              "explained its answer, the explanation is quoted verbatim; an answer without an explanation has "
              "no quote. Where an actor did not answer a statement, it has no position on it: we do not guess.")
            if not placed else
            _("%(actors)s answered the statements themselves, on the same scale you answer on. Where they "
              "explained an answer, the explanation is quoted verbatim; an answer without an explanation has "
              "no quote.", actors=_names(answered)))
    if placed:
        evidence = _("Every placement has at least one verbatim quote from the actor's own document, and a machine "
                     "checks that the quote is there. Where a document says nothing on the matter, the actor has "
                     "no position: we do not guess.")
        how = (_("No actor filled in the quiz itself. We read the documents and placed each actor on the same "
                 "scale you answer on, from “%(low)s” to “%(high)s”.", **_scale_ends(content))
               if not answered else
               _("We placed %(actors)s ourselves: we read their documents and placed each on the same scale you "
                 "answer on, from “%(low)s” to “%(high)s”.", actors=_names(placed), **_scale_ends(content)))
        paragraphs.append(f"{how} {evidence}")
        if any(r["inferred"] for r in rows):
            paragraphs.append(_("Some positions are inferred: they follow from the text without being said "
                                "outright. They are marked “inferred” wherever they are shown."))
    return paragraphs


def statements_origin(content: Content) -> str:
    """Where the statements come from: derived from the actors' documents, unless every actor
    answered them itself (then they are the questions it was asked, as in Wahl-O-Mat)."""
    if bases_in_use(content) == {SELF}:
        return _("The quiz has %(statements)s statements: the ones the actors were asked and answered. Their "
                 "answers and justifications are kept as %(sources)s source documents, one per actor.",
                 statements=len(content.statements), sources=len(content.sources))
    return _("The quiz has %(statements)s statements. Each is derived from passages of the actors' own documents "
             "(%(sources)s sources), and every bullet point of the documents has been gone through: either covered "
             "by a statement, or left out with a reason.",
             statements=len(content.statements), sources=len(content.sources))


def how_it_works(content: Content) -> str:
    """The start page's short version: how the voter answers and what the answers are compared with."""
    bases = bases_in_use(content)
    answer = _("You take a position on each statement, from “%(low)s” to “%(high)s”, or skip it.",
               **_scale_ends(content))
    if SELF not in bases:
        compared = _("We compare your answers with what each actor has written in its own documents. Every "
                     "position is backed by a verbatim quote that you can check in the source.")
    elif bases & set(DOCUMENT_BASES):
        compared = _("We compare your answers with the actors' own answers to the same statements or, for actors "
                     "that did not answer, with what they have written in their own documents.")
    else:
        compared = _("We compare your answers with the actors' own answers to the same statements; where an "
                     "actor explained its answer, the explanation is quoted.")
    return f"{answer} {compared}"


def scoring(content: Content) -> list[str]:
    """Paragraphs on how one statement's answers are compared, for the quiz's scale."""
    scale = content.info.scale
    average = _("Statements you marked as mattering more count double. The percentage is the average over the "
                "statements you have both taken a position on.")
    if scale == 3:
        return [_("For every statement where both you and the actor have a position, we compare the answers. The "
                  "same answer gets full marks, a neutral answer against agreeing or disagreeing gets half, and "
                  "opposite answers get nothing.") + " " + average,
                _("This is the rule of Germany's Wahl-O-Mat, which has the same three answers.")]
    steps = _("For every statement where both you and the actor have a position, we look at the distance between "
              "the answers. The same answer gets full marks. Each step apart on the scale takes away a quarter: "
              "if you “strongly agree” and the actor “somewhat agrees”, the statement gets 75%%; if you are at "
              "opposite ends, 0%%.")
    if scale == 4:
        return [steps + " " + _("There is no neutral answer, but it still counts as a step: from “somewhat agree” "
                                "to “somewhat disagree” is two steps (50%%).") + " " + average,
                _("This is the rule of NRK's quiz, which has the same four answers.")]
    return [f"{steps} {average}",
            _("The rule is the one Germany's Wahl-O-Mat and NRK's quiz use, only with five answer steps instead of "
              "three or four.")]
