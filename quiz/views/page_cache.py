"""Pages that are pure functions of their URL, kept rendered and gzipped per process (LRU).

A result page depends only on its canonical query, the language and the partner, so a shared
link that many readers open is rendered once per worker. Bodies are kept gzipped (the form
every browser asks for), about 40 KB per result page; ``QUIZ_PAGE_CACHE`` pages per process.
A page may be rendered as parts (see :mod:`quiz.views.assembly`): its shared pieces are not
compressed again.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Response, current_app

from quiz.views.assembly import Part, gzip_parts, join_parts
from quiz.views.compression import accepts_gzip


class PageCache:
    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def response(self, key: Hashable, render: Callable[[], str | list[Part]], mimetype: str = "text/html") -> Response:
        """The page for ``key``, rendered by ``render()`` (text or parts) on a miss; gzip if the client accepts it."""
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None:
                self._pages.move_to_end(key)
        if hit is None:
            page = render()
            hit = (gzip_parts([page] if isinstance(page, str) else page), mimetype)
            with self._lock:
                self._pages[key] = hit
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        body, mimetype = hit
        if accepts_gzip():
            return gzipped_response(body, mimetype)
        return Response(gzip.decompress(body), mimetype=mimetype)


def gzipped_response(body: bytes, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Encoding"] = "gzip"
    return response


def parts_response(parts: list[Part], mimetype: str = "text/html") -> Response:
    """A page made of parts that is not kept (it differs per request): its shared pieces stay compressed."""
    if accepts_gzip():
        return gzipped_response(gzip_parts(parts), mimetype)
    return Response(join_parts(parts), mimetype=mimetype)


def page_cache() -> PageCache:
    return current_app.extensions["quiz_page_cache"]
