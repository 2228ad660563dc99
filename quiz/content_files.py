"""Reading a quiz's TOML files into plain tables, collecting every problem with its file and
place instead of stopping at the first (the content reader in quiz/loading.py builds on it)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # whole ids only: fullmatch (a "$" would let "id\n" through)
# Control characters have no place in content text (a NUL once broke the pages); line breaks and tabs are text.
CONTROL_IN_TOML = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# "text_nn", "intro_de": a content text in another language than the quiz's own (see docs/content-format.md).
TRANSLATED_KEY = re.compile(r"(?P<field>[a-z][a-z_]*)_(?P<language>[a-z]{2,3})")
TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content: where it is and what is wrong."""

    file: str
    where: str
    message: str
    todo: bool = False  # something not written yet (a new quiz has many), rather than something wrong

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


class ContentError(Exception):
    """The content cannot be served; ``problems`` says why, each with file and id."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the quiz content:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


class TomlReader:
    """Reads TOML files of one directory and checks values, recording a :class:`Problem` for
    each thing wrong (``broken`` when a file is not valid TOML at all)."""

    def __init__(self, data_dir: Path):
        self.dir = data_dir
        self.problems: list[Problem] = []
        self.broken = False  # some file is not valid TOML

    def problem(self, file: str, where: str, message: str, todo: bool = False) -> None:
        self.problems.append(Problem(file, where, message, todo))

    def _toml(self, relative: str) -> dict[str, Any] | None:
        path = self.dir / relative
        try:
            with path.open("rb") as f:
                data = tomllib.load(f)
            self._refuse_control_characters(data, relative, "")
            return data
        except FileNotFoundError:
            self.problem(relative, "-", "file is missing")
        except UnicodeDecodeError:
            self.broken = True
            self.problem(relative, "-", "not UTF-8 text")
        except tomllib.TOMLDecodeError as error:
            self.broken = True
            at = TOML_POSITION.search(str(error))
            where = f"line {at.group(1)}, column {at.group(2)}" if at else "-"
            self.problem(relative, where, f"not valid TOML: {TOML_POSITION.sub('', str(error))}")
        return None

    def _refuse_control_characters(self, value: Any, file: str, where: str) -> None:
        """A problem for every string in ``value`` (walked through tables and arrays) that holds a
        control character, named by its place in the file (``stance[2].rationale``)."""
        if isinstance(value, dict):
            for key, item in value.items():
                self._refuse_control_characters(item, file, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value, start=1):
                self._refuse_control_characters(item, file, f"{where}[{i}]")
        elif isinstance(value, str) and (found := CONTROL_IN_TOML.search(value)):
            self.problem(file, where, f"contains the control character U+{ord(found.group()):04X}; "
                                      "text may hold line breaks and tabs, no other control characters")

    def _tables(self, data: dict | None, key: str, file: str) -> list[dict]:
        tables = (data or {}).get(key, [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self.problem(file, key, f"[[{key}]] must be a list of tables")
            return []
        return tables

    def _get(self, table: dict, key: str, file: str, where: str, *, kind: type = str,
             required: bool = True, choices: tuple | None = None) -> Any:
        """``table[key]`` if present and of the right type, else None and a problem."""
        value = table.get(key)
        if value is None:
            if required:
                self.problem(file, where, f"'{key}' is missing", todo=True)
            return None
        wrong_kind = not isinstance(value, kind) or (kind is int and isinstance(value, bool))  # true is no number
        if wrong_kind or (kind is str and not value.strip()):
            self.problem(file, where, f"'{key}' must be a non-empty {kind.__name__}")
            return None
        if choices is not None and value not in choices:
            self.problem(file, where, f"'{key}' is {value!r}; expected one of {', '.join(map(str, choices))}")
            return None
        return value

    def _id(self, table: dict, file: str, fallback: str) -> str | None:
        value = self._get(table, "id", file, fallback)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.problem(file, value, "id must be lowercase letters, digits and hyphens")
            return None
        return value

    def _translations(self, table: dict, fields: tuple[str, ...], file: str, where: str) -> tuple:
        """The ``<field>_<language>`` texts of ``table`` for the translatable ``fields``."""
        found = []
        for key in table:
            match = TRANSLATED_KEY.fullmatch(key)
            if match and match["field"] in fields:
                text = self._get(table, key, file, where)
                if text is not None:
                    found.append((match["field"], match["language"], text))
        return tuple(sorted(found))  # by field and language: the order of keys in a file means nothing
