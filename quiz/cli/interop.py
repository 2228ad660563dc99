"""Open VAA data: import qual-o-mat, export-content."""

from __future__ import annotations
