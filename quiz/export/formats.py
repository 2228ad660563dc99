"""The protected export as JSON, or as long-format CSV that opens in any spreadsheet."""

from __future__ import annotations

import csv
import io
import json

CSV_COLUMNS = ("table", "statement", "answer", "actor", "day", "partner", "value")


def to_json(release: dict) -> str:
    return json.dumps(release, ensure_ascii=False, indent=2)


def to_csv(release: dict) -> str:
    """One row per published number; suppressed numbers are empty cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    row = lambda table, value, **where: writer.writerow(  # noqa: E731
        [table, *(where.get(c, "") for c in CSV_COLUMNS[1:-1]), "" if value is None else value])
    row("records", release["records"])
    for statement in release["statements"]:
        for answer, value in statement["answers"].items():
            row("answers", value, statement=statement["id"], answer=answer)
        row("important", statement["important"], statement=statement["id"])
        row("not_important", statement["not_important"], statement=statement["id"])
        for answer, by_actor in statement["by_top_match"].items():
            for actor, value in by_actor.items():
                row("answer_by_top_match", value, statement=statement["id"], answer=answer, actor=actor)
    for actor in release["actors"]:
        row("top_match", actor["top_match"], actor=actor["id"])
        row("mean_score", actor["mean_score"], actor=actor["id"])
    for day in release["per_day"]:
        row("per_day", day["count"], day=day["day"])
    for partner in release["per_partner"]:
        row("per_partner", partner["count"], partner=partner["partner"] or "")
    for note in release["notes"]:
        writer.writerow(["note", "", "", "", "", "", note])
    return out.getvalue()
