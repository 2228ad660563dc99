"""Fixtures: the bundled quiz, and a tiny quiz written into a temp dir for each test."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz import create_app
from quiz.app import REPO_ROOT

TINY_SOURCES = {
    "alpha.txt": """\
Alfa-partiets program

Alfa mener at straff ikke virker. Vi vil ha hjelp i stedet for
straff for alle som bruker narkotika.

Alfa mener at:
\uf0b7 Brukerrom skal finnes i alle
byer.
\uf0b7 Politiet skal ikke ransake ungdom.
""",
    "beta.txt": """\
Betas uttalelse 1
 2
Beta mener at straff er\u00a0nødvendig for å hindre bruk. 3
Vi er imot brukerrom i små kommuner. 4
 5
Derfor vil Beta: 6
• Beholde straffen for bruk av 7
narkotika. 8
""",
    "gamma.txt": """\
Gamma er en organisasjon. Gamma mener at politiet trenger gode verktøy.
""",
}

TINY_FILES = {
    "quiz.toml": """\
        id = "tiny"
        title = "Liten testvalgomat"
        title_en = "Tiny test quiz"
        intro = "En valgomat for tester."
        publisher = "Testredaksjonen"
        language = "nb"
    """,
    "sources/sources.toml": """\
        [[source]]
        id = "alpha-program"
        file = "alpha.txt"
        title = "Alfa-partiets program"
        actor = "alpha"
        kind = "party-programme"
        language = "nb"

        [[source]]
        id = "beta-uttalelse"
        file = "beta.txt"
        title = "Betas uttalelse"
        actor = "beta"
        kind = "party-resolution"
        language = "nb"
        line_numbers = "document"

        [[source]]
        id = "gamma-notat"
        file = "gamma.txt"
        title = "Gammas notat"
        actor = "gamma"
        kind = "hearing-statement"
        language = "nb"
    """,
    "questions/statements.toml": """\
        [[topic]]
        id = "straff"
        name = "Straff"

        [[statement]]
        id = "straff"
        topic = "straff"
        text = "Bruk av narkotika bør fortsatt være straffbart."
        text_en = "Drug use should remain a criminal offence."
        [[statement.derived_from]]
        source = "beta-uttalelse"
        quote = "Beholde straffen for bruk av narkotika."

        [[statement]]
        id = "brukerrom"
        topic = "straff"
        text = "Det bør finnes brukerrom i alle byer."
        [[statement.derived_from]]
        source = "alpha-program"
        quote = "Brukerrom skal finnes i alle byer."

        [[statement]]
        id = "ransaking"
        topic = "straff"
        text = "Politiet bør kunne ransake ungdom for å finne narkotika."
        [[statement.derived_from]]
        source = "alpha-program"
        quote = "Politiet skal ikke ransake ungdom."
    """,
    "questions/derivation.toml": """\
        [[bullet]]
        source = "alpha-program"
        quote = "Brukerrom skal finnes"
        statements = ["brukerrom"]

        [[bullet]]
        source = "alpha-program"
        quote = "Politiet skal ikke ransake ungdom."
        statements = ["ransaking"]

        [[bullet]]
        source = "beta-uttalelse"
        quote = "Beholde straffen"
        statements = ["straff"]
    """,
    "stances/alpha.toml": """\
        id = "alpha"
        name = "Alfa"
        short_name = "A"
        kind = "party"
        colour = "#2467aa"
        sources = ["alpha-program"]

        [[stance]]
        statement = "straff"
        position = -2
        basis = "explicit"
        rationale = "Alfa vil ha hjelp i stedet for straff."
        [[stance.quotes]]
        source = "alpha-program"
        text = "Vi vil ha hjelp i stedet for straff for alle som bruker narkotika."

        [[stance]]
        statement = "brukerrom"
        position = 2
        basis = "explicit"
        rationale = "Alfa vil ha brukerrom i alle byer."
        [[stance.quotes]]
        source = "alpha-program"
        text = "Brukerrom skal finnes i alle byer."

        [[stance]]
        statement = "ransaking"
        position = -2
        basis = "explicit"
        rationale = "Alfa er imot ransaking av ungdom."
        [[stance.quotes]]
        source = "alpha-program"
        text = "Politiet skal ikke ransake ungdom."
    """,
    "stances/beta.toml": """\
        id = "beta"
        name = "Beta"
        short_name = "B"
        kind = "party"
        colour = "#895b2d"
        sources = ["beta-uttalelse"]

        [[stance]]
        statement = "straff"
        position = 2
        basis = "explicit"
        rationale = "Beta vil beholde straffen."
        [[stance.quotes]]
        source = "beta-uttalelse"
        text = "Beholde straffen for bruk av narkotika."

        [[stance]]
        statement = "brukerrom"
        position = -1
        basis = "inferred"
        rationale = "Beta er imot brukerrom i små kommuner."
        [[stance.quotes]]
        source = "beta-uttalelse"
        text = "Vi er imot brukerrom i små kommuner."

        [[stance]]
        statement = "ransaking"
        position = "none"
        rationale = "Ikke omtalt."
    """,
    "stances/gamma.toml": """\
        id = "gamma"
        name = "Gamma"
        short_name = "G"
        kind = "organisation"
        colour = "#397139"
        sources = ["gamma-notat"]

        [[stance]]
        statement = "straff"
        position = "none"
        rationale = "Ikke omtalt."

        [[stance]]
        statement = "brukerrom"
        position = "none"
        rationale = "Ikke omtalt."

        [[stance]]
        statement = "ransaking"
        position = 1
        basis = "inferred"
        rationale = "Gamma vil gi politiet verktøy."
        [[stance.quotes]]
        source = "gamma-notat"
        text = "Gamma mener at politiet trenger gode verktøy."
    """,
}


def write_tiny_quiz(root: Path) -> Path:
    """Write the tiny quiz into ``root`` and return it."""
    for name, text in TINY_SOURCES.items():
        (root / "sources").mkdir(parents=True, exist_ok=True)
        (root / "sources" / name).write_text(text, encoding="utf-8")
    for name, text in TINY_FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_tiny_quiz(tmp_path / "tiny")


def settings(tmp_path: Path, **overrides) -> dict:
    """App settings for tests: SQLite files, spool and counts in ``tmp_path``, no minimum time."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'responses.sqlite3'}",
        "QUIZ_SPOOL": str(tmp_path / "spool.jsonl"),
        "QUIZ_COUNTS": str(tmp_path / "record-counts"),
        "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}",
        "QUIZ_MIN_SECONDS": 0,
        **overrides,
    }


def eventually(condition: Callable[[], bool], seconds: float = 20) -> bool:
    """Whether ``condition`` holds within ``seconds`` (for work a background thread does)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@contextlib.contextmanager
def tmpfs(mountpoint, size: str):
    """A tmpfs of ``size`` mounted at ``mountpoint``, unmounted after. Needs root (mount); skips without."""
    mountpoint.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], capture_output=True)


def remount(mountpoint, mode: str) -> None:
    """Make a mounted filesystem read-only ("ro") or writable again ("rw"): EROFS even for root."""
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mountpoint)], check=True, capture_output=True)


@pytest.fixture
def tiny_app(tiny_dir: Path, tmp_path: Path):
    return create_app(tiny_dir, settings(tmp_path))


@pytest.fixture
def tiny_client(tiny_app):
    return tiny_app.test_client()


def copy_bundled_quiz(target: Path) -> Path:
    """Copy the bundled quiz's content into ``target`` and return it."""
    for part in ("quiz.toml", "sources", "questions", "stances"):
        src = REPO_ROOT / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, target / part)
    return target


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the bundled quiz that a test may break."""
    return copy_bundled_quiz(tmp_path / "bundled")


def write_quiz_directory(root: Path) -> Path:
    """A directory of two quizzes: ``valg`` (the bundled one, Norwegian) and ``wahl`` (the German quiz
    the Qual-o-Mat importer makes of tests/data/qualomat-mini)."""
    from click.testing import CliRunner

    from quiz.cli import main

    copy_bundled_quiz(root / "valg")
    result = CliRunner().invoke(main, ["import", "qual-o-mat", str(Path(__file__).parent / "data" / "qualomat-mini"),
                                       "--out", str(root / "wahl")])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def quiz_directory(tmp_path_factory) -> Path:
    """The two-quiz directory (``write_quiz_directory``), shared: tests must not change it."""
    return write_quiz_directory(tmp_path_factory.mktemp("quizzes"))


@pytest.fixture(scope="session")
def bundled_app(tmp_path_factory):
    return create_app(REPO_ROOT, settings(tmp_path_factory.mktemp("bundled")))


@pytest.fixture
def client(bundled_app):
    return bundled_app.test_client()


def _postgres_server():
    """A started server, or a skip (a failure in CI) when PostgreSQL is not installed."""
    from postgres_server import PostgresServer, bin_dir

    binaries = bin_dir()
    if binaries is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: .ci/run must install it")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    server = PostgresServer(binaries)
    server.start()
    return server


@pytest.fixture(scope="session")
def postgres_url():
    """One PostgreSQL server for the whole session."""
    if os.environ.get("QUIZ_TEST_POSTGRES_URL"):
        yield os.environ["QUIZ_TEST_POSTGRES_URL"]
        return
    server = _postgres_server()
    yield server.url
    server.remove()


@pytest.fixture
def postgres_server():
    """A PostgreSQL server of the test's own, which it may stop and start."""
    server = _postgres_server()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each storage test runs on SQLite and on PostgreSQL, on an empty database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'responses.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS responses, coding_reviews, schema_version")
    return url


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, headless; playwright never downloads a browser here."""
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: .ci/run must install it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {
        "executable_path": chromium,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Norwegian reader's browser: bokmål first."""
    return {**browser_context_args, "locale": "nb-NO"}
