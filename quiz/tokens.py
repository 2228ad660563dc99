"""Signed, time-stamped, single-use form tokens: they work without any cookie.

A token is issued with the quiz form and checked when the voter submits it. It proves the
submission came from a form we served, at least ``min_seconds`` earlier (a plausible reading
time) and at most ``max_age`` seconds earlier. Its random nonce can be claimed only once, so a
replayed submission is not counted twice (the store keeps a hash of it, unique per record).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "quiz-form-token"


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str  # "ok", "missing", "forged", "expired", "too-fast"
    nonce: str | None = None


class FormTokens:
    def __init__(self, secret_key: str, min_seconds: float, max_age: int):
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.min_seconds = min_seconds
        self.max_age = max_age

    def issue(self) -> str:
        return self.serializer.dumps(secrets.token_urlsafe(16))

    def check(self, token: str | None, now: float | None = None) -> TokenCheck:
        """Whether ``token`` is ours, fresh and not submitted implausibly fast (replay is the store's job)."""
        if not token:
            return TokenCheck(False, "missing")
        try:
            nonce, issued = self.serializer.loads(token, return_timestamp=True)
        except BadSignature:
            return TokenCheck(False, "forged")
        if not isinstance(nonce, str):
            return TokenCheck(False, "forged")
        age = (now if now is not None else time.time()) - issued.timestamp()
        if age > self.max_age:
            return TokenCheck(False, "expired")
        if age < self.min_seconds:
            return TokenCheck(False, "too-fast")
        return TokenCheck(True, "ok", nonce)
