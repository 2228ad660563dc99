"""The content as spreadsheets (CSV), and back: topics.csv, statements.csv and positions.csv.

One row per piece of evidence: a stance (or statement) with two quotes is two consecutive rows
with the same actor and statement (or statement id); its own fields (position, basis, rationale)
are written on its first row only. Every key of the TOML tables has a column, so the round trip
loses nothing the loader reads. Axes and who the actors are stay in the TOML files.
Importing rewrites the ``[[topic]]``, ``[[statement]]`` and ``[[stance]]`` tables, after validating the result
in a scratch copy: problems name the CSV row and column, and nothing is written while any remain.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from quiz.loading import Problem, read_content

TOPICS = "topics.csv"
TOPIC_KEYS = ["id", "name", "name_en"]
STATEMENTS = "statements.csv"
POSITIONS = "positions.csv"
STATEMENT_KEYS = ["id", "topic", "text", "text_en", "axes"]
STANCE_KEYS = ["actor", "statement", "position", "basis", "rationale", "rationale_en"]
EVIDENCE_KEYS = ["evidence", "source", "quote", "label"]
EVIDENCE_KINDS = {"quotes": "quote", "notes": "note"}


class SpreadsheetError(ValueError):
    """The CSV cannot be imported; ``problems`` say where (file, row, column) and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(f"  - {p}" for p in problems))


# -- cells ---------------------------------------------------------------------------------

def _cell(value) -> str:
    """A TOML value as a spreadsheet cell: strings as they are, other values as TOML literals."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
        return "; ".join(f"{k}={v}" for k, v in value.items())  # axes: "economy=1; liberty=-1"
    return tomli_w.dumps({"v": value})[4:].strip()


def _value(column: str, cell: str):
    """A cell back as the TOML value it was written from."""
    if column == "axes":
        pairs = [p.split("=", 1) for p in cell.split(";") if p.strip()]
        return {k.strip(): int(v) if re.fullmatch(r"\s*-?\d+\s*", v) else v.strip() for k, v in pairs}
    if column == "position":
        return int(cell) if re.fullmatch(r"-?\d+", cell.strip()) else cell.strip()
    if column in STATEMENT_KEYS + STANCE_KEYS + EVIDENCE_KEYS:
        return cell
    if re.fullmatch(r"true|false|-?\d+|\[.*\]|\{.*\}", cell.strip()):
        try:
            return tomllib.loads(f"v = {cell}")["v"]
        except tomllib.TOMLDecodeError:
            return cell
    return cell


# -- export --------------------------------------------------------------------------------

def _read_toml(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def _evidence_rows(table: dict, lists: dict[str, str]) -> list[dict]:
    """One row per quote or note of ``table`` (``lists`` maps list key → evidence kind)."""
    rows = []
    for key, kind in lists.items():
        for quote in table.get(key, []):
            text_key = "quote" if key == "derived_from" else "text"
            rows.append({"evidence": kind, "quote": quote.get(text_key, ""),
                         **{k if k in EVIDENCE_KEYS else f"quote_{k}": _cell(v)
                            for k, v in quote.items() if k != text_key}})
    return rows or [{}]


def _table_rows(tables: list[dict], head: dict, lists: dict[str, str]) -> list[dict]:
    rows = []
    for table in tables:
        own = {**head, **{k: _cell(v) for k, v in table.items() if k not in lists}}
        for n, evidence in enumerate(_evidence_rows(table, lists)):
            keys = {k: own[k] for k in own if k in ("actor", "statement", "id")} if n else own
            rows.append({**keys, **evidence})
    return rows


def _write_csv(path: Path, rows: list[dict], first: list[str], bom: bool) -> None:
    present = {k for row in rows for k in row}
    extras = sorted(present - set(first) - set(EVIDENCE_KEYS))
    evidence = EVIDENCE_KEYS if first != TOPIC_KEYS else []
    columns = (first + [c for c in extras if not c.startswith("quote_")] + evidence
               + [c for c in extras if c.startswith("quote_")])
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def export_csv(data_dir: Path, out: Path, bom: bool = False) -> tuple[int, int]:
    """Write statements.csv and positions.csv for the quiz at ``data_dir``; (statement rows, position rows)."""
    out.mkdir(parents=True, exist_ok=True)
    questions = _read_toml(data_dir / "questions" / "statements.toml")
    _write_csv(out / TOPICS, [{k: _cell(v) for k, v in t.items()} for t in questions.get("topic", [])],
               TOPIC_KEYS, bom)
    statements = questions.get("statement", [])
    statement_rows = _table_rows(statements, {}, {"derived_from": "derived_from"})
    _write_csv(out / STATEMENTS, statement_rows, STATEMENT_KEYS, bom)
    position_rows = []
    for path in sorted((data_dir / "stances").glob("*.toml")):
        position_rows += _table_rows(_read_toml(path).get("stance", []), {"actor": path.stem}, EVIDENCE_KINDS)
    _write_csv(out / POSITIONS, position_rows, STANCE_KEYS, bom)
    return len(statement_rows), len(position_rows)


# -- import --------------------------------------------------------------------------------

def _read_csv(path: Path, required: list[str], problems: list[Problem]) -> list[tuple[int, dict]]:
    """(spreadsheet row number, non-empty cells) of every data row; ``;`` or tab separators accepted."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(Problem(path.name, "-", "file is missing"))
        return []
    except UnicodeDecodeError:
        problems.append(Problem(path.name, "-", "not UTF-8: save it as «CSV UTF-8»"))
        return []
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem(path.name, "row 1", f"column(s) missing: {', '.join(missing)}"))
        return []
    rows = []
    for row in reader:
        cells = {k: v for k, v in row.items() if k and isinstance(v, str) and v.strip()}
        if cells:
            rows.append((reader.line_num, cells))
    return rows


@dataclass
class _Table:
    """One [[statement]] or [[stance]] rebuilt from consecutive rows, and the rows it came from."""

    owner: str  # the actor (positions) or "" (statements)
    ident: str  # the statement id
    row: int
    cells: dict
    table: dict
    evidence_rows: dict[tuple[str, int], int] = field(default_factory=dict)  # (list, number from 1) → row


def _group(rows: list[tuple[int, dict]], file: str, owner_key: str | None, id_key: str,
           lists: dict[str, str], problems: list[Problem]) -> list[_Table]:
    """Consecutive rows with the same owner and id become one table."""
    tables: list[_Table] = []
    own = [k for k in STANCE_KEYS + STATEMENT_KEYS if k not in (owner_key, id_key)]
    for number, row in rows:
        owner, ident = row.get(owner_key, "") if owner_key else "", row.get(id_key, "")
        if not tables or (tables[-1].owner, tables[-1].ident) != (owner, ident):
            table = {k: _value(k, v) for k, v in row.items()
                     if k not in EVIDENCE_KEYS and k != owner_key and not k.startswith("quote_")}
            tables.append(_Table(owner, ident, number, row, table))
        else:
            clash = [k for k in own if row.get(k) and row[k] != tables[-1].cells.get(k)]
            if clash:
                problems.append(Problem(file, f"row {number}, column {clash[0]}",
                                        f"'{clash[0]}' belongs on the first row of {ident or 'this table'} only"))
        _add_evidence(tables[-1], row, number, file, lists, problems)
    return tables


def _add_evidence(target: _Table, row: dict, number: int, file: str, lists: dict[str, str],
                  problems: list[Problem]) -> None:
    if not any(row.get(k) for k in EVIDENCE_KEYS):
        return
    kinds = {kind: name for name, kind in lists.items()}
    kind = row.get("evidence", next(iter(kinds)))
    if kind not in kinds:
        problems.append(Problem(file, f"row {number}, column evidence",
                                f"evidence is {kind!r}; expected one of {', '.join(kinds)}"))
        return
    name = kinds[kind]
    quote = {"source": row.get("source", ""), "quote" if name == "derived_from" else "text": row.get("quote", "")}
    if "label" in row:
        quote["label"] = row["label"]
    quote |= {k.removeprefix("quote_"): _value(k, v) for k, v in row.items() if k.startswith("quote_")}
    target.table.setdefault(name, []).append(quote)
    target.evidence_rows[(name, len(target.table[name]))] = number


def import_csv(csv_dir: Path, data_dir: Path) -> list[Problem]:
    """Rewrite the statements and stances of ``data_dir`` from ``csv_dir``; return the to-dos left.

    Raises :class:`SpreadsheetError` (and writes nothing) when the CSV or the content it makes is wrong.
    """
    csv_dir, data_dir = Path(csv_dir), Path(data_dir)
    problems: list[Problem] = []
    topics = [{k: _value(k, v) for k, v in row.items()} for _, row in _read_csv(csv_dir / TOPICS, ["id", "name"],
                                                                                 problems)]
    statement_rows = _read_csv(csv_dir / STATEMENTS, ["id", "topic", "text"], problems)
    position_rows = _read_csv(csv_dir / POSITIONS, ["actor", "statement", "position"], problems)
    statements = _group(statement_rows, STATEMENTS, None, "id", {"derived_from": "derived_from"}, problems)
    stances = _group(position_rows, POSITIONS, "actor", "statement", EVIDENCE_KINDS, problems)
    for table in stances:
        if not (data_dir / "stances" / f"{table.owner}.toml").is_file():
            problems.append(Problem(POSITIONS, f"row {table.row}, column actor",
                                    f"unknown actor {table.owner!r}: `quiz sources add FILE --actor "
                                    f"{table.owner}` adds it with its document"))
    if problems:
        raise SpreadsheetError(problems)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "quiz"
        shutil.copytree(data_dir, copy)
        written = _write_tables(copy, topics, statements, stances)
        _, found = read_content(copy)
        located = [_locate(p, statements, stances) for p in found]
        if any(not p.todo for p in located):
            raise SpreadsheetError([p for p in located if not p.todo])
        for relative in written:
            shutil.copyfile(copy / relative, data_dir / relative)
    return located


def _write_tables(data_dir: Path, topics: list[dict], statements: list[_Table], stances: list[_Table]) -> list[str]:
    """Put the tables into the TOML files, keeping everything else in them; the files written."""
    written = ["questions/statements.toml"]
    data = _read_toml(data_dir / written[0])
    data["topic"] = topics
    data["statement"] = [t.table for t in statements]
    (data_dir / written[0]).write_text(tomli_w.dumps(data), encoding="utf-8")
    for actor in dict.fromkeys(t.owner for t in stances):
        relative = f"stances/{actor}.toml"
        data = _read_toml(data_dir / relative)
        data["stance"] = [t.table for t in stances if t.owner == actor]
        (data_dir / relative).write_text(tomli_w.dumps(data), encoding="utf-8")
        written.append(relative)
    return written


STANCE_WHERE = re.compile(r"stance (?:#(\d+)|(\S+))(?: (quotes|notes) #(\d+))?$")
STATEMENT_WHERE = re.compile(r"(?:statement #(\d+)|(\S+))(?: (derived_from) #(\d+))?$")


def _locate(problem: Problem, statements: list[_Table], stances: list[_Table]) -> Problem:
    """The problem with the CSV row and column it is about, when it is about one."""
    if problem.file == "questions/statements.toml":
        file, tables, match = STATEMENTS, statements, STATEMENT_WHERE.fullmatch(problem.where)
    elif problem.file.startswith("stances/") and problem.file.endswith(".toml"):
        actor = problem.file.removeprefix("stances/").removesuffix(".toml")
        file, tables, match = POSITIONS, [t for t in stances if t.owner == actor], STANCE_WHERE.fullmatch(
            problem.where)
        if match and match.group(2) and problem.message.startswith("missing"):
            return Problem(POSITIONS, f"actor {actor}, statement {match.group(2)}",
                           "missing: add a row (position = none if the actor does not address it)", problem.todo)
    else:
        return problem
    if not match:
        return problem
    index, ident, kind, number = match.groups()
    table = (tables[int(index) - 1] if index and int(index) <= len(tables)
             else next((t for t in tables if t.ident == ident), None))
    if table is None:
        return problem
    row = table.evidence_rows.get((kind, int(number))) if kind else table.row
    return Problem(file, f"row {row or table.row}, column {_column(problem.message, bool(kind))}", problem.message,
                   problem.todo)


def _column(message: str, evidence: bool) -> str:
    if evidence:
        return "source" if re.search(r"unknown source|not one of this actor's sources|'source'", message) else "quote"
    for phrase, column in (("unknown topic", "topic"), ("unknown axis", "axes"), ("position", "position"),
                           ("derived_from", "quote")):
        if phrase in message:
            return column
    named = re.search(r"'(\w+)'", message)  # "'basis' is missing", "'review' is 'maybe'"
    if named:
        return named.group(1)
    return "quote" if "quote" in message else "statement" if "stance" in message else "id"
