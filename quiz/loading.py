"""Read a quiz data directory into a validated :class:`~quiz.model.Content`.

Every problem is collected with the file and id it concerns, so that an editor sees all of
them at once; the content is returned only when there are none.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from quiz.content_files import ContentError, Problem
from quiz.i18n import ui_languages
from quiz.ingest import clean_document
from quiz.model import (
    ACTOR_KINDS,
    BASES,
    DEFAULT_SCALE,
    EXPORT_BLOCK_DAYS,
    REVIEWS,
    SCALES,
    SOURCE_KINDS,
    Actor,
    Axis,
    Bullet,
    Content,
    QuizInfo,
    Source,
    Stance,
    Statement,
    Topic,
)
from quiz.quote_finding import QuoteReader
from quiz.validation import validate

COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
CONTENT_GLOBS = ("quiz.toml", "sources/*", "questions/*.toml", "stances/*.toml")

MAX_AXES = 2
# Source documents may hold the form feeds and carriage returns of the PDFs they were extracted
# from; no other control character (content_files.CONTROL_IN_TOML for the TOML files' text).
CONTROL_IN_SOURCE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
URL_SCHEMES = ("http://", "https://")


def content_version(data_dir: Path) -> str:
    """A short hash of every content file, so results name the exact content they used."""
    digest = hashlib.sha256()
    for pattern in CONTENT_GLOBS:
        for path in sorted(data_dir.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_content(data_dir: str | Path) -> Content:
    """Load and validate the quiz in ``data_dir``; raise :class:`ContentError` if it is wrong."""
    content, problems = read_content(data_dir)
    if problems or content is None:
        raise ContentError(problems)
    return content


def read_content(data_dir: str | Path) -> tuple[Content | None, list[Problem]]:
    """The content as far as it can be read, and every problem; for tools that work on an unfinished quiz.

    When a file is not valid TOML, only that is reported: the cross-file checks would otherwise
    blame its absence on everything that refers to it ("unknown actor").
    """
    reader = _Reader(Path(data_dir))
    content = reader.read()
    if reader.broken or content is None:
        return content, reader.problems
    return content, reader.problems + validate(content, reader.bullet_files, reader.actor_files)


class _Reader(QuoteReader):
    """Reads the files of one data directory into content, collecting problems instead of stopping."""

    def __init__(self, data_dir: Path):
        super().__init__(data_dir)
        self.bullet_files: str = "questions/derivation.toml"
        self.scale: tuple[int, ...] = SCALES[DEFAULT_SCALE]  # the quiz's, once quiz.toml is read
        self.actor_files: set[str] = set()  # actor ids with a stances file, complete or not

    def read(self) -> Content | None:
        if not self.dir.is_dir():
            self.problem(str(self.dir), "-", "data directory does not exist")
            return None
        info = self._info()
        for source in self._sources():
            if source.id in self.sources:
                self.problem("sources/sources.toml", source.id, "duplicate source id")
            self.sources.setdefault(source.id, source)
        topics, statements, axes = self._statements()
        actors, stances = self._actors()
        bullets = self._bullets()
        if info is None:
            return None
        return Content(
            info=info,
            sources=tuple(self.sources.values()),
            topics=tuple(topics),
            statements=tuple(statements),
            actors=tuple(actors),
            stances=tuple(stances),
            bullets=tuple(bullets),
            version=content_version(self.dir),
            axes=tuple(axes),
        )

    # -- parts -----------------------------------------------------------------------------

    def _info(self) -> QuizInfo | None:
        data = self._toml("quiz.toml")
        if data is None:
            return None
        get = lambda key, required=True: self._get(data, key, "quiz.toml", key, required=required)  # noqa: E731
        values = {k: get(k) for k in ("id", "title", "intro", "publisher", "language")}
        scale = self._get(data, "scale", "quiz.toml", "scale", kind=int, required=False, choices=tuple(SCALES))
        block_days = self._get(data, "export_block_days", "quiz.toml", "export_block_days", kind=int, required=False,
                               choices=EXPORT_BLOCK_DAYS)
        self.scale = SCALES[scale or DEFAULT_SCALE]
        if None in (values["id"], values["title"], values["language"]):
            return None
        values |= {k: values[k] or "" for k in ("intro", "publisher")}  # to-dos: the tools work without them
        languages, default = self._languages(data, values["language"])
        return QuizInfo(**values, title_en=get("title_en", False), intro_en=get("intro_en", False),
                        languages=languages, default_language=default, about=get("about", False),
                        methodology=get("methodology", False), scale=scale or DEFAULT_SCALE,
                        export_block_days=block_days or 7,
                        translations=self._translations(data, ("title", "intro", "about", "methodology"),
                                                        "quiz.toml", "quiz"))

    def _languages(self, data: dict, content_language: str) -> tuple[tuple[str, ...], str]:
        """The quiz's UI languages and default: ``languages`` and ``default_language`` in quiz.toml,
        else the content's language and English (as before languages were declared)."""
        declared = data.get("languages", [content_language, "en"])
        if not isinstance(declared, list) or not declared or not all(isinstance(x, str) for x in declared):
            self.problem("quiz.toml", "languages", "'languages' must list language codes, e.g. [\"nb\", \"nn\"]")
            declared = [content_language]
        languages = tuple(dict.fromkeys(declared))
        for language in languages:
            if language not in ui_languages():
                self.problem("quiz.toml", "languages", f"no UI catalog for {language!r}: add "
                             f"quiz/translations/{language}/LC_MESSAGES/messages.po (see the README)")
        default = self._get(data, "default_language", "quiz.toml", "default_language", required=False)
        if default is None:
            default = content_language if content_language in languages else languages[0]
        elif default not in languages:
            self.problem("quiz.toml", "default_language", f"{default!r} is not one of 'languages'")
        return languages, default

    def _sources(self) -> list[Source]:
        file = "sources/sources.toml"
        sources = []
        for i, table in enumerate(self._tables(self._toml(file), "source", file)):
            sid = self._id(table, file, f"source #{i + 1}")
            where = sid or f"source #{i + 1}"
            fields = {k: self._get(table, k, file, where) for k in ("file", "title", "actor", "language")}
            kind = self._get(table, "kind", file, where, choices=SOURCE_KINDS)
            numbering = self._get(table, "line_numbers", file, where, required=False,
                                  choices=("document", "physical"))
            url = self._get(table, "url", file, where, required=False)
            if url is not None and not url.lower().startswith(URL_SCHEMES):
                self.problem(file, where, f"'url' is {url!r}; only http:// and https:// links are allowed")
                url = None
            if sid is None or kind is None or None in fields.values():
                continue
            path = self.dir / "sources" / fields["file"]
            if Path(fields["file"]).name != fields["file"]:
                self.problem(file, sid, "'file' must be a file name next to sources.toml")
                continue
            try:
                raw = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                self.problem(file, sid, f"source file sources/{fields['file']} is missing")
                continue
            except UnicodeDecodeError:
                self.problem(file, sid, f"sources/{fields['file']} is not UTF-8 text")
                continue
            if found := CONTROL_IN_SOURCE.search(raw):
                line = raw.count("\n", 0, found.start()) + 1
                self.problem(file, sid, f"sources/{fields['file']} line {line} contains the control character "
                                        f"U+{ord(found.group()):04X}")
                continue
            document = clean_document(raw, numbered=numbering == "document")
            sources.append(Source(sid, fields["title"], fields["actor"], kind, fields["language"],
                                  raw, document, url))
        return sources

    def _statements(self) -> tuple[list[Topic], list[Statement], list[Axis]]:
        file = "questions/statements.toml"
        data = self._toml(file)
        axes = []
        for i, table in enumerate(self._tables(data, "axis", file)):
            aid = self._id(table, file, f"axis #{i + 1}")
            where = aid or f"axis #{i + 1}"
            low, high = self._get(table, "low", file, where), self._get(table, "high", file, where)
            if aid and low and high:
                axes.append(Axis(aid, low, high, self._get(table, "low_en", file, where, required=False),
                                 self._get(table, "high_en", file, where, required=False),
                                 self._translations(table, ("low", "high"), file, where)))
        if len(axes) > MAX_AXES:  # the map is a plane: a third axis would be listed but never drawn
            self.problem(file, axes[MAX_AXES].id, f"at most {MAX_AXES} axes (the map has two dimensions)")
        topics = []
        for i, table in enumerate(self._tables(data, "topic", file)):
            tid = self._id(table, file, f"topic #{i + 1}")
            name = self._get(table, "name", file, tid or f"topic #{i + 1}")
            if tid and name:
                topics.append(Topic(tid, name, self._get(table, "name_en", file, tid, required=False),
                                    self._translations(table, ("name",), file, tid)))
        statements = []
        for i, table in enumerate(self._tables(data, "statement", file)):
            sid = self._id(table, file, f"statement #{i + 1}")
            where = sid or f"statement #{i + 1}"
            text = self._get(table, "text", file, where)
            topic = self._get(table, "topic", file, where)
            derived = []
            for j, passage in enumerate(self._tables(table, "derived_from", file)):
                quote = self._quote(passage, "quote", file, f"{where} derived_from #{j + 1}")
                if quote:
                    derived.append(quote)
            if not self._tables(table, "derived_from", file):
                self.problem(file, where, "no derived_from passage: say what the statement was derived from",
                             todo=True)
            statement_axes = self._statement_axes(table, file, where)
            salience = self._salience(table, file, where)
            if sid and text and topic:
                statements.append(Statement(sid, text, topic, tuple(derived),
                                            self._get(table, "text_en", file, where, required=False),
                                            statement_axes, *salience,
                                            background=self._get(table, "background", file, where, required=False),
                                            translations=self._translations(
                                                table, ("text", "background", "salience_reason"), file, where)))
        return topics, statements, axes

    def _salience(self, table: dict, file: str, where: str) -> tuple[bool, str | None, str | None]:
        """(salience, reason, English reason): a salience item must say why it is kept."""
        flag = table.get("salience", False)
        if not isinstance(flag, bool):
            self.problem(file, where, "'salience' must be true or false")
            flag = False
        reason = self._get(table, "salience_reason", file, where, required=flag)
        reason_en = self._get(table, "salience_reason_en", file, where, required=False)
        if not flag and (reason or reason_en):
            self.problem(file, where, "'salience_reason' is given but 'salience' is not true")
        return flag, reason, reason_en

    def _statement_axes(self, table: dict, file: str, where: str) -> tuple[tuple[str, int], ...]:
        raw = table.get("axes", {})
        if not isinstance(raw, dict) or not all(isinstance(v, int) and not isinstance(v, bool) and v in (-1, 1)
                                                for v in raw.values()):
            self.problem(file, where, "'axes' must map axis ids to 1 (agreeing moves toward the high pole) or -1")
            return ()
        return tuple(sorted(raw.items()))

    def _actors(self) -> tuple[list[Actor], list[Stance]]:
        actors, stances = [], []
        files = sorted((self.dir / "stances").glob("*.toml"))
        if not files:
            self.problem("stances/", "-", "no actors yet: `quiz sources add FILE --actor ID` adds one with its "
                         "document", todo=True)
        self.actor_files = {path.stem for path in files}
        for path in files:
            file = f"stances/{path.name}"
            data = self._toml(file)
            if data is None:
                continue
            actor = self._actor(data, file)
            if actor is None:
                continue
            if actor.id != path.stem:
                self.problem(file, actor.id, f"the file of actor {actor.id!r} must be named {actor.id}.toml")
            actors.append(actor)
            for i, table in enumerate(self._tables(data, "stance", file)):
                stance = self._stance(table, actor, file, i)
                if stance:
                    stances.append(stance)
        return actors, stances

    def _actor(self, data: dict, file: str) -> Actor | None:
        aid = self._id(data, file, "actor")
        where = aid or "actor"
        name = self._get(data, "name", file, where)
        short = self._get(data, "short_name", file, where)
        kind = self._get(data, "kind", file, where, choices=ACTOR_KINDS)
        colour = self._get(data, "colour", file, where)
        if colour and not COLOUR_PATTERN.fullmatch(colour):
            self.problem(file, where, f"'colour' is {colour!r}; expected #rrggbb")
            colour = None
        sources = self._get(data, "sources", file, where, kind=list)
        if sources is not None and (not sources or not all(isinstance(s, str) for s in sources)):
            self.problem(file, where, "'sources' must list at least one source id")
            sources = None
        optional = {k: self._get(data, k, file, where, required=False)
                    for k in ("parent", "description", "description_en")}
        if None in (aid, name, short, kind, colour, sources):
            return None
        return Actor(aid, name, short, kind, colour, tuple(sources), **optional,
                     translations=self._translations(data, ("description",), file, where))

    def _stance(self, table: dict, actor: Actor, file: str, i: int) -> Stance | None:
        statement = self._get(table, "statement", file, f"stance #{i + 1}")
        where = f"stance {statement or '#' + str(i + 1)}"
        position = table.get("position")
        if position == "none":
            position = None
        elif isinstance(position, bool) or not isinstance(position, int) or position not in self.scale:
            allowed = ", ".join(map(str, self.scale))
            self.problem(file, where, f"position {position!r} is off the scale: use {allowed} or \"none\"")
            return None
        rationale = self._get(table, "rationale", file, where)
        basis = self._get(table, "basis", file, where, required=position is not None, choices=BASES)
        quotes, notes = [], []
        for key, found in (("quotes", quotes), ("notes", notes)):
            for j, passage in enumerate(self._tables(table, key, file)):
                quote = self._quote(passage, "text", file, f"{where} {key} #{j + 1}", actor.sources)
                if quote:
                    found.append(quote)
        if position is not None and basis != "self" and not self._tables(table, "quotes", file):
            # An actor's own answer stands without a quote; a position we placed needs its evidence.
            self.problem(file, where, "a position needs at least one quote from the actor's source "
                         "(`quiz suggest` finds candidates)", todo=True)
        review = self._get(table, "review", file, where, required=False, choices=REVIEWS)
        comment = self._get(table, "review_comment", file, where, required=False)
        if review == "disputed" and comment is None:
            self.problem(file, where, "a disputed review needs the actor's own words in 'review_comment'")
        if statement is None or rationale is None:
            return None
        return Stance(actor.id, statement, position, rationale, basis, tuple(quotes), tuple(notes),
                      self._get(table, "rationale_en", file, where, required=False),
                      self._translations(table, ("rationale",), file, where), review, comment)

    def _bullets(self) -> list[Bullet]:
        file = self.bullet_files
        bullets = []
        for i, table in enumerate(self._tables(self._toml(file), "bullet", file)):
            where = f"bullet #{i + 1}"
            quote = self._quote(table, "quote", file, where)
            statements = table.get("statements", [])
            unexplained = table.get("left_out") == ""  # drafted by `quiz derive --map`, to fill in
            left_out = None if unexplained else self._get(table, "left_out", file, where, required=False)
            if not isinstance(statements, list) or not all(isinstance(s, str) for s in statements):
                self.problem(file, where, "'statements' must be a list of statement ids")
                continue
            if unexplained and not statements:
                self.problem(file, where, "list the statements that cover this item, or say in 'left_out' why "
                             "it is left out", todo=True)
            elif bool(statements) == bool(left_out):
                self.problem(file, where, "give either 'statements' or 'left_out' (with a reason)")
                continue
            if quote:
                bullets.append(Bullet(quote.source, quote, tuple(statements), left_out))
        return bullets
