"""Per-client limits on stored records, without ever keeping the client's address.

Counters are keyed by a keyed hash of the client (the raw address is never written, not even to
the limiter's storage); an IPv6 client is its /64, the block one subscriber usually holds, so
cycling through one's own addresses gains nothing. By default the counters live in a SQLite
file in the instance dir (``QUIZ_RATELIMIT_STORAGE=sqlite:///PATH``), shared by every worker on
the machine and kept across restarts; ``redis://…`` shares them between servers. Built on
``limits``, the library behind Flask-Limiter (its moving window, its storages, and a SQLite
storage of ours registered with it); used directly because an exceeded limit must not refuse
the voter's result, only leave the record uncounted.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import sqlite3

from limits import parse
from limits.errors import StorageError as LimitsStorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from quiz.storage import limit_storage  # noqa: F401 - registers the sqlite:// scheme with limits

log = logging.getLogger(__name__)


class RateLimitUnavailable(Exception):
    """The limit's storage cannot be read or written, so the limit cannot be checked."""


def client_block(address: str | None) -> str:
    """What one client is: an IPv4 address, or an IPv6 address's /64 (IPv4-mapped IPv6 is IPv4)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


class StoreRateLimit:
    def __init__(self, rule: str, storage_uri: str, secret_key: str):
        self.limit = parse(rule)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri, wrap_exceptions=True))
        self.key = secret_key.encode()

    def client_key(self, address: str | None) -> str:
        return hmac.new(self.key, client_block(address).encode(), hashlib.sha256).hexdigest()[:32]

    def purge_expired(self) -> None:
        """Delete the keys of clients whose hour is over, where the storage keeps them itself
        (Redis expires its own keys)."""
        purge = getattr(self.limiter.storage, "purge_expired", None)
        if purge is None:
            return
        try:
            purge()
        except (LimitsStorageError, sqlite3.Error, OSError) as error:  # as for a hit: the file cannot be used
            log.warning("expired rate-limit keys not deleted (tried again later): %s", error)

    def allow(self, address: str | None) -> bool:
        """Count one stored record for this client; False once over the limit.

        Raises RateLimitUnavailable when the counters cannot be reached."""
        try:
            return self.limiter.hit(self.limit, "store", self.client_key(address))
        except LimitsStorageError as error:
            raise RateLimitUnavailable(str(error)) from error
