"""Per-client limits on stored records, without ever keeping the client's address.

Counters are keyed by a keyed hash of the address (the raw address is never written, not even
to the limiter's storage) and live in memory for one process by default, or in a shared store
such as Redis (``QUIZ_RATELIMIT_STORAGE=redis://…``) when several processes or servers run.
Built on ``limits``, the library behind Flask-Limiter; used directly because an exceeded limit
must not refuse the voter's result, only leave the record uncounted.
"""

from __future__ import annotations

import hashlib
import hmac

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class StoreRateLimit:
    def __init__(self, rule: str, storage_uri: str, secret_key: str):
        self.limit = parse(rule)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.key = secret_key.encode()

    def client_key(self, address: str | None) -> str:
        return hmac.new(self.key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]

    def allow(self, address: str | None) -> bool:
        """Count one stored record for this client; False once over the limit."""
        return self.limiter.hit(self.limit, "store", self.client_key(address))
