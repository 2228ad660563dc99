"""Source documents: sources add."""

from __future__ import annotations
