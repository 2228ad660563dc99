"""Authoring tools: derive, suggest, audit."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli import DATA_OPTION, load_draft_or_fail, load_or_fail, main


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
def audit(data_dir: Path | None, html_path: Path | None, voters: int, seed: int, gate: bool) -> None:
    """Check the quiz is fair before publishing: a verdict per check, then coverage, balance,
    reachability and robustness.

    Example: quiz audit --gate --html audit.html
    """
    from quiz.app import default_data_dir
    from quiz.authoring.audit import run_audit
    from quiz.authoring.gate import judge, load_thresholds, overall
    from quiz.authoring.report import html_report, text_report

    content = load_or_fail(data_dir)
    try:
        limits = load_thresholds(data_dir or default_data_dir())
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    result = run_audit(content, voters=voters, seed=seed)
    checks = judge(content, result, limits)
    click.echo(text_report(result, checks), nl=False)
    if html_path is not None:
        html_path.write_text(html_report(result, content.info.title, checks), encoding="utf-8")
        click.echo(f"\nWrote {html_path}")
    if gate and overall(checks) == "fail":
        raise click.ClickException("the quiz fails the audit gate: see the failed checks above")
