"""Pages that are pure functions of their URL, kept rendered and gzipped per process (LRU).

A result page depends only on its canonical query, the language and the partner, so a shared
link that many readers open is rendered once per worker. Bodies are kept gzipped (the form
every browser asks for), which also keeps the cache small: about 15 KB per result page.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Response, current_app, request

COMPRESS_LEVEL = 6


class PageCache:
    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def response(self, key: Hashable, render: Callable[[], str], mimetype: str = "text/html") -> Response:
        """The page for ``key``, rendered by ``render()`` on a miss; gzip if the client accepts it."""
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None:
                self._pages.move_to_end(key)
        if hit is None:
            hit = (gzip.compress(render().encode("utf-8"), COMPRESS_LEVEL), mimetype)
            with self._lock:
                self._pages[key] = hit
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        body, mimetype = hit
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(body, mimetype=mimetype)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(gzip.decompress(body), mimetype=mimetype)
        response.vary.add("Accept-Encoding")
        return response


def page_cache() -> PageCache:
    return current_app.extensions["quiz_page_cache"]
