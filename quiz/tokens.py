"""Signed, time-stamped, single-use form tokens: they work without any cookie.

A token is issued with the quiz form and checked when the voter submits it. It proves the
submission came from a form we served, at least ``min_seconds`` earlier (a plausible reading
time) and at most ``max_age`` seconds earlier. Its random nonce can be claimed only once, so a
replayed submission is not counted twice: the store keeps a record id derived from the nonce,
unique per record.

The token (and so its nonce) is in the voter's ``/review`` URL, which lives on in browser
history, proxy logs and shared links. The record id is therefore an HMAC of the nonce keyed
with a secret derived from SECRET_KEY: someone holding the URL and the whole database cannot
compute it, so cannot find the voter's record; only a holder of SECRET_KEY could.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

# "-2": tokens signed before record ids were keyed (their ids were plain hashes of the nonce) are
# refused, so a form counted before that upgrade cannot be counted again after it.
SALT = "quiz-form-token-2"
RECORD_ID_CONTEXT = b"valgomat record id v1"


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str  # "ok", "missing", "forged", "expired", "too-fast"
    record_id: str | None = None  # what the stored record carries; never the nonce itself


class FormTokens:
    def __init__(self, secret_key: str, min_seconds: float, max_age: int):
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self._record_id_key = hmac.new(secret_key.encode(), RECORD_ID_CONTEXT, hashlib.sha256).digest()
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
        return TokenCheck(True, "ok", self.record_id(nonce))

    def record_id(self, nonce: str) -> str:
        """The stored, unique id of the record made from ``nonce``: HMAC-SHA256 under a key derived
        from SECRET_KEY, so nothing the voter's browser saw (URL, token, nonce) leads to it."""
        return hmac.new(self._record_id_key, nonce.encode(), hashlib.sha256).hexdigest()[:32]
