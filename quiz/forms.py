"""The quiz form: one radio group per statement plus "matters more to me" checkboxes.

Built with WTForms from the content, so a new quiz needs no code. The form is submitted with
POST to /answers, which counts it (only with the voter's consent) and redirects to the
result page, a pure function of its URL. There is no session and no CSRF cookie: a signed,
single-use token in a hidden field does that job, and works in a third-party iframe.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, HiddenField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from quiz.ballot import Ballot
from quiz.labels import ANSWER_LABELS
from quiz.model import SCALE, Content

SKIP = "skip"
IMPORTANT = "important"
SHARE = "share"
TOKEN = "token"
PARTNER = "partner"
# Parameters that link shorteners and social sites append to shared URLs; never ours.
FOREIGN_PARAMS = ("fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "ref")


def quiz_form_class(content: Content) -> type[Form]:
    """A WTForms class with a radio field named after each statement id."""
    choices = [SelectChoice(str(v), ANSWER_LABELS[v]) for v in reversed(SCALE)]
    choices.append(SelectChoice(SKIP, "Hopp over"))
    fields = {
        s.id: RadioField(s.text, choices=choices, validators=[Optional()]) for s in content.statements
    }
    # Rendered by the template next to each statement; the field validates the submitted ids.
    fields[IMPORTANT] = SelectMultipleField(
        "Viktig for meg", choices=[SelectChoice(s.id, s.id) for s in content.statements]
    )
    fields[SHARE] = BooleanField("Del svarene mine anonymt for statistikk")
    fields[TOKEN] = HiddenField()
    return type("QuizForm", (Form,), fields)


def unexpected_params(content: Content, args: MultiDict, allowed: tuple[str, ...] = ()) -> list[str]:
    """Names in the query string that are not ours (ignoring foreign tracking parameters)."""
    known = {s.id for s in content.statements} | {IMPORTANT, PARTNER, *allowed}
    return sorted(
        name for name in args
        if name not in known and not name.startswith("utm_") and name not in FOREIGN_PARAMS
    )


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


def ballot_params(content: Content, ballot: Ballot) -> dict[str, str | list[str]]:
    """The canonical query parameters of a result (for ``url_for``): answers and important ones."""
    params: dict[str, str | list[str]] = {
        s.id: SKIP if ballot.answers.get(s.id) is None else str(ballot.answers[s.id]) for s in content.statements
    }
    if ballot.important():
        params[IMPORTANT] = ballot.important()
    return params
