"""The quiz form: one radio group per statement, "matters more to me", actor selection, consent.

Built with WTForms from the content, so a new quiz needs no code. The answers travel in the
URL from the quiz to the review step; the review form posts to /answers, which counts the
record (only with the voter's consent) and redirects to the result page, a pure function of
its URL. There is no session and no CSRF cookie: a signed, single-use token in a hidden field
does that job, and works in a third-party iframe.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, HiddenField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from quiz.ballot import Ballot
from quiz.i18n import N_
from quiz.labels import scale_labels
from quiz.model import Content

SKIP = "skip"
IMPORTANT = "important"
ACTORS = "actors"
SHARE = "share"
# What counts as consent to store the answers: the value our checkbox sends ("y"), or a checkbox's
# default ("on"). Anything else ("0", "no", "off"...) is not explicit consent: political opinions are
# special-category data, and a record not stored is a smaller harm than one stored without a yes.
CONSENT_VALUES = ("y", "on")
TOKEN = "token"
PARTNER = "partner"
LANG = "lang"
# Parameters that link shorteners and social sites append to shared URLs; never ours.
FOREIGN_PARAMS = ("fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "ref")


_FORM_CLASSES: dict[int, tuple[Content, type[Form]]] = {}


def quiz_form_class(content: Content) -> type[Form]:
    """The WTForms class for ``content`` (built once per content object: content is immutable)."""
    known = _FORM_CLASSES.get(id(content))
    if known is None or known[0] is not content:
        known = _FORM_CLASSES[id(content)] = (content, _build_form_class(content))
    return known[1]


def answer_choices(content: Content) -> list[SelectChoice]:
    """Each statement's radio buttons: the quiz's scale from agree to disagree, then skip (labels
    are msgids, translated where shown)."""
    return [*(SelectChoice(str(v), label) for v, label in scale_labels(content.info.scale).items() if v is not None),
            SelectChoice(SKIP, N_("Skip"))]


def _build_form_class(content: Content) -> type[Form]:
    """A WTForms class with a radio field named after each statement id: the answers of the quiz's scale, then skip."""
    fields = {s.id: RadioField(s.text, choices=answer_choices(content), validators=[Optional()])
              for s in content.statements}
    # Rendered by the templates next to each statement and actor; the fields validate the ids.
    fields[IMPORTANT] = SelectMultipleField(choices=[SelectChoice(s.id, s.id) for s in content.statements])
    fields[ACTORS] = SelectMultipleField(choices=[SelectChoice(a.id, a.id) for a in content.actors])
    fields[SHARE] = BooleanField()
    fields[TOKEN] = HiddenField()
    return type("QuizForm", (Form,), fields)


def ballot_params(content: Content) -> frozenset[str]:
    """The names of the query parameters that carry a ballot: answers, weights, chosen actors."""
    return frozenset({s.id for s in content.statements} | {IMPORTANT, ACTORS})


def unexpected_params(content: Content, args: MultiDict, allowed: tuple[str, ...] = ()) -> list[str]:
    """Names in the query string that are not ours (ignoring foreign tracking parameters)."""
    known = ballot_params(content) | {PARTNER, LANG, *allowed}
    return sorted(name for name in args if name not in known and not is_foreign_param(name))


def is_foreign_param(name: str) -> bool:
    """A tracking parameter that social sites or newsletters appended to a shared link."""
    return name.startswith("utm_") or name in FOREIGN_PARAMS


def repeated_answers(content: Content, args: MultiDict) -> list[str]:
    """Statement ids answered more than once: a tampered URL, not a voter's choice."""
    return [s.id for s in content.statements if len(args.getlist(s.id)) > 1]


def ballot_from_form(content: Content, form: Form) -> Ballot:
    """The ballot a validated form describes (raises BallotError when nothing is answered)."""
    answers = {}
    for statement in content.statements:
        value = form[statement.id].data
        answers[statement.id] = None if value in (None, "", SKIP) else int(value)
    weights = {sid: 2 for sid in form[IMPORTANT].data or []}
    return Ballot.parse(content, answers, weights)


def selected_actors(content: Content, form: Form) -> tuple[str, ...] | None:
    """The actors the voter chose to compare with, in content order; None means all of them."""
    chosen = set(form[ACTORS].data or [])
    if not chosen or chosen == {a.id for a in content.actors}:
        return None
    return tuple(a.id for a in content.actors if a.id in chosen)


def ballot_query(content: Content, ballot: Ballot, actors: tuple[str, ...] | None = None) -> str:
    """The canonical query string of a ballot: every statement in order (``skip`` for none), then
    the important ones and the chosen actors. Joined directly, as every result page needs it: ids
    need no quoting (the content loader allows only a-z, 0-9 and hyphens), nor do answers."""
    answers = ballot.answers
    pairs = [f"{s.id}={SKIP if answers.get(s.id) is None else answers[s.id]}" for s in content.statements]
    pairs += [f"{IMPORTANT}={sid}" for sid in ballot.important()]
    pairs += [f"{ACTORS}={aid}" for aid in actors or ()]
    return "&".join(pairs)
