"""Authoring tools: derive, suggest, audit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quiz.cli import DATA_OPTION, QUIZ_OPTION, chosen_quiz_dirs, load_draft_or_fail, load_or_fail, main

if TYPE_CHECKING:
    from quiz.authoring.gate import Check
    from quiz.model import Content


@main.command()
@DATA_OPTION
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Draft file to write (default: DATA/drafts/candidates.toml; never served).")
@click.option("--map", "draft_the_map", is_flag=True,
              help="Instead, add every list item not yet in questions/derivation.toml to it.")
def derive(data_dir: Path | None, out: Path | None, draft_the_map: bool) -> None:
    """Derive candidate statements from the documents' position passages, or draft the derivation map.

    Example: quiz derive --data ./my-quiz --out drafts.toml
    """
    from quiz.app import default_data_dir
    from quiz.authoring.derive import derive_candidates, write_drafts

    if draft_the_map:
        from quiz.authoring.derivation_map import MapError, draft_map

        try:
            report = draft_map(data_dir or default_data_dir())
        except MapError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"questions/derivation.toml: {report.kept} item(s) kept, {report.mapped} mapped to the "
                   f"statements that quote them, {report.to_fill} with left_out = \"\" to fill in.")
        return

    content = load_draft_or_fail(data_dir)
    candidates = derive_candidates(content)
    target = out or (data_dir or default_data_dir()) / "drafts" / "candidates.toml"
    write_drafts(candidates, target)
    several = sum(len(c.actors) > 1 for c in candidates)
    click.echo(f"Wrote {len(candidates)} candidates in {len({c.topic for c in candidates})} draft topics to "
               f"{target} ({several} cover several actors; {sum(c.splits_actors for c in candidates)} split them).")


@main.command()
@DATA_OPTION
@click.argument("statement_id")
@click.option("--actor", default=None, help="Only this actor's passages.")
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True, help="Passages per actor.")
def suggest(data_dir: Path | None, statement_id: str, actor: str | None, k: int) -> None:
    """Rank each actor's passages for a statement, ready to paste as quotes.

    Example: quiz suggest straff-bruk --actor ap -k 3
    """
    from quiz.authoring.suggest import suggest_quotes

    content = load_draft_or_fail(data_dir)
    try:
        found = suggest_quotes(content, statement_id, actor, k)
    except KeyError as error:
        raise click.ClickException(error.args[0]) from error
    click.echo(f"Statement {statement_id}: {content.statement_by_id[statement_id].text}")
    for actor_id, suggestions in found.items():
        click.echo(f"\n{content.actor_by_id[actor_id].name}:")
        if not suggestions:
            click.echo("  (no relevant passage: perhaps position = \"none\")")
        for s in suggestions:
            first, last = s.passage.lines
            click.echo(f"  [{s.score:5.1f}] {s.passage.source}, lines {first}–{last}")
            click.echo(f'        [[stance.quotes]]\n        source = "{s.passage.source}"\n'
                       f'        text = "{s.passage.text}"')


@main.command()
@DATA_OPTION
@click.option("--html", "html_path", type=click.Path(path_type=Path), default=None,
              help="Also write the report as an HTML page with SVG charts.")
@click.option("--voters", type=click.IntRange(min=100), default=100_000, show_default=True,
              help="Simulated voters (uniform; as many again drawn near the actors).")
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--gate", is_flag=True, help="Exit non-zero when any check fails (thresholds: [audit] in quiz.toml).")
@click.option("--draft", is_flag=True,
              help="Audit an unfinished quiz: stances not written yet count as not addressed (never with --gate).")
@QUIZ_OPTION
def audit(data_dir: Path | None, html_path: Path | None, voters: int, seed: int, gate: bool, draft: bool,
          slug: str | None) -> None:
    """Check the quiz is fair before publishing: a verdict per check, then coverage, balance,
    reachability and robustness. With a directory of quizzes: each quiz (or the one --quiz names).

    Example: quiz audit --gate --html audit.html
    """
    from quiz.authoring.gate import overall

    if draft and gate:
        raise click.ClickException("--gate judges a finished quiz; --draft counts missing stances as not addressed")

    chosen = chosen_quiz_dirs(data_dir, slug)
    if html_path is not None and len(chosen) > 1:
        raise click.ClickException("--html writes one quiz's report: name the quiz with --quiz")
    failed = []
    for name, directory in chosen.items():
        if name is not None:
            click.echo(f"quiz {name!r}:")
        if overall(audit_quiz(directory, html_path, voters, seed, draft)) == "fail":
            failed.append(name)
    if gate and failed:
        quizzes = f" ({', '.join(map(str, failed))})" if len(chosen) > 1 else ""
        raise click.ClickException(f"the quiz fails the audit gate{quizzes}: see the failed checks above")


def load_draft_audit_or_fail(directory: Path) -> Content:
    """An unfinished quiz for ``quiz audit --draft``: to-dos may remain, errors may not, and it needs
    statements and at least two actors to compare; missing stances count as not addressed."""
    from quiz.authoring.audit import with_missing_not_addressed
    from quiz.loading import read_content

    draft, problems = read_content(directory)
    errors = [p for p in problems if not p.todo]
    if draft is None or errors:
        raise click.ClickException("fix these first (quiz validate lists them), to-dos may remain:\n"
                                   + "\n".join(f"  - {p}" for p in errors or problems))
    if not draft.statements or len(draft.actors) < 2:
        raise click.ClickException("nothing to audit yet: it needs statements and at least two actors")
    content, missing = with_missing_not_addressed(draft)
    todos = len(problems)
    click.echo(f"DRAFT: {todos} to-do(s) left; {missing} stance(s) not written yet count as not addressed. "
               "A draft's verdict is a preview, never a gate.\n")
    return content


def audit_quiz(directory: Path, html_path: Path | None, voters: int, seed: int, draft: bool = False) -> list[Check]:
    """``quiz audit`` for one quiz: its report printed (and written as HTML); its checks."""
    from quiz.authoring.audit import run_audit
    from quiz.authoring.gate import judge, load_thresholds
    from quiz.authoring.report import html_report, text_report

    content = load_draft_audit_or_fail(directory) if draft else load_or_fail(directory)
    try:
        limits = load_thresholds(directory)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    result = run_audit(content, voters=voters, seed=seed)
    checks = judge(content, result, limits)
    click.echo(text_report(result, checks), nl=False)
    if html_path is not None:
        html_path.write_text(html_report(result, content.info.title, checks), encoding="utf-8")
        click.echo(f"\nWrote {html_path}")
    return checks
