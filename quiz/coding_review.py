"""Each actor checks its coding before publication: signed invitation links and the status report.

An invitation is a link whose token is signed with SECRET_KEY (itsdangerous, under a salt of its
own, so no form token can pass for one) and names the actor, the content version and when it
expires: no account, no cookie. The actor's answers go to the response database's own table
(see :class:`quiz.storage.CodingReview`), once per actor and content version. An editor then
records the decision in the content (``review`` and ``review_comment`` on the stance).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from quiz.model import REVIEWS, Content
from quiz.storage import CodingReview

SALT = "quiz-coding-review-1"
PATH = "/review-coding/"  # the page an invitation opens (quiz/views/coding_review.py)
MAX_COMMENT = 1000  # characters of an actor's comment on one statement
DEFAULT_DAYS = 14


@dataclass(frozen=True)
class Invitation:
    """Whom a link invites, to check which content version, for how many days."""

    actor: str
    version: str
    days: int


class LinkError(Exception):
    """A link that does not open the page: ``reason`` is "forged", "expired" or "outdated"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OpenLink:
    """An invitation that holds, and when it expires (Unix seconds)."""

    invitation: Invitation
    expires: float


class ReviewLinks:
    """Issues and reads the tokens of invitation links (the token is signed and time-stamped)."""

    def __init__(self, secret_key: str):
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)

    def issue(self, invitation: Invitation) -> str:
        return self.serializer.dumps({"actor": invitation.actor, "version": invitation.version,
                                      "days": invitation.days})

    def read(self, token: str, content: Content, now: float | None = None) -> OpenLink:
        """The invitation ``token`` carries for ``content``; LinkError when it is not ours, has
        expired, names no actor of the quiz, or was made for another version of the content."""
        try:
            payload, issued = self.serializer.loads(token, return_timestamp=True)
        except BadSignature as error:
            raise LinkError("forged") from error
        if not isinstance(payload, dict) or not isinstance(payload.get("actor"), str) \
                or not isinstance(payload.get("version"), str) or not isinstance(payload.get("days"), int):
            raise LinkError("forged")
        invitation = Invitation(payload["actor"], payload["version"], payload["days"])
        expires = issued.timestamp() + invitation.days * 86400
        if expires < (time.time() if now is None else now):
            raise LinkError("expired")
        if invitation.version != content.version or invitation.actor not in content.actor_by_id:
            raise LinkError("outdated")
        return OpenLink(invitation, expires)


def invitations(content: Content, days: int) -> list[Invitation]:
    """One invitation per actor of ``content``, valid for ``days`` days from when it is issued."""
    return [Invitation(actor.id, content.version, days) for actor in content.actors]


def status_report(content: Content, reviews: list[CodingReview]) -> str:
    """Per actor, who confirmed or disputed what (with the comments), and whether the content
    records it yet: what an editor needs to write ``review`` and ``review_comment`` in the stances."""
    lines = []
    order = {s.id: i for i, s in enumerate(content.statements)}
    by_actor: dict[str, list[CodingReview]] = {}
    for review in reviews:
        by_actor.setdefault(review.actor, []).append(review)
    for actor in content.actors:
        answered = by_actor.pop(actor.id, [])
        if not answered:
            lines.append(f"{actor.name} ({actor.id}): no answer yet")
        for review in answered:
            counts = {verdict: sum(a.verdict == verdict for a in review.answers) for verdict in REVIEWS}
            earlier = "" if review.version == content.version else f" on content version {review.version}"
            lines.append(f"{actor.name} ({actor.id}): answered on {review.day.isoformat()}{earlier}: "
                         + ", ".join(f"{n} {verdict}" for verdict, n in counts.items()))
            for answer in sorted(review.answers, key=lambda a: order.get(a.statement, len(order))):
                stance = content.stance(actor.id, answer.statement)
                recorded = stance.review if stance is not None else None
                note = "recorded in the content" if recorded == answer.verdict else \
                    f"content says {recorded}" if recorded else "not yet in the content"
                comment = f": «{answer.comment}»" if answer.comment else ""
                lines.append(f"  {answer.verdict:<9} {answer.statement}{comment}  [{note}]")
    for actor_id, answered in by_actor.items():  # an actor no longer in the content
        lines.append(f"{actor_id}: answered {len(answered)} time(s), but is not an actor of this quiz")
    return "\n".join(lines) + "\n"
