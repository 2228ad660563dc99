"""``quiz init``: the smallest quiz directory every command accepts, to be filled in step by step."""

from __future__ import annotations

import re
from pathlib import Path

import tomli_w

FILES = {
    "questions/statements.toml": (
        "# The statements voters answer: [[topic]] (id, name) and [[statement]] tables\n"
        "# (id, topic, text, [[statement.derived_from]] source + quote). `quiz derive` drafts candidates.\n"),
    "questions/derivation.toml": (
        "# Every list item of every source, mapped to the statements that cover it or left out with a\n"
        "# reason ([[bullet]] source, quote, statements or left_out). `quiz derive --map` drafts it.\n"),
    "sources/sources.toml": (
        "# The actors' documents ([[source]] tables). `quiz sources add FILE --actor ID` writes them.\n"),
}

NEXT_STEPS = """\
Next:
  1. quiz sources add DOCUMENT --actor ACTOR --data {dir}      (once per document: text, PDF or HTML)
  2. quiz derive --data {dir}                                  (candidate statements in drafts/)
  3. write statements in questions/statements.toml; code each actor in stances/ACTOR.toml
     (quiz suggest STATEMENT --data {dir} ranks the passages to quote)
  4. quiz derive --map --data {dir}                            (drafts questions/derivation.toml)
  5. quiz validate --data {dir}                                (the to-do list, until it says OK)
"""


class SkeletonError(ValueError):
    """The directory cannot be made a new quiz; the message says why."""


def init_quiz(directory: Path, title: str | None = None, language: str = "nb") -> list[Path]:
    """Write a new quiz's files into ``directory`` (new or empty) and return them."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise SkeletonError(f"{directory} is not empty: `quiz init` only starts a new quiz")
    quiz_id = re.sub(r"[^a-z0-9]+", "-", directory.resolve().name.lower()).strip("-")[:64] or "quiz"
    info = {"id": quiz_id, "title": title or directory.resolve().name, "language": language,
            "languages": [language], "default_language": language, "scale": 5}
    written = [directory / "quiz.toml"]
    directory.mkdir(parents=True, exist_ok=True)
    header = ("# The quiz. To do: add intro = \"…\" and publisher = \"…\" (shown to voters). `scale` is the\n"
              "# answer scale (5 points: -2 … 2); `languages` the languages its texts are written in.\n")
    written[0].write_text(header + tomli_w.dumps(info), encoding="utf-8")
    for relative, text in FILES.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (directory / "stances").mkdir(exist_ok=True)
    written.append(directory / "stances")
    return written
