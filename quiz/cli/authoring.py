"""Authoring tools: derive, suggest, audit."""

from __future__ import annotations
