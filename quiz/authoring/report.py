"""The audit as a readable text report, or as a standalone HTML page with SVG charts."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from quiz import charts
from quiz.authoring.audit import Audit
from quiz.authoring.gate import Check, overall


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def verdict_lines(checks: list[Check]) -> list[str]:
    """The overall verdict, then one line per check: verdict, name, reason, and what to do."""
    lines = [f"VERDICT: {overall(checks).upper()}"]
    for check in checks:
        lines.append(f"  [{check.verdict}] {check.name}: {check.reason}")
        if check.verdict != "pass" and check.suggestion:
            lines.append(f"         → {check.suggestion}")
    return lines


def text_report(audit: Audit, checks: Sequence[Check] = ()) -> str:
    lines = ["QUIZ AUDIT", ""]
    if checks:
        lines += [*verdict_lines(list(checks)), ""]
    if audit.salience:
        lines += ["Salience items (kept although they do not split the actors):"]
        lines += [f"  {s['statement']}: {s['reason']}" for s in audit.salience]
        lines.append("")
    lines += ["Coverage per actor (answered itself / stated in its documents / inferred / none):"]
    lines += [f"  {c['actor']:<32} {c['self']:>3} / {c['explicit']:>3} / {c['inferred']:>3} / {c['none']:>3}"
              for c in audit.coverage]
    thin = [s for s in audit.statement_coverage if s["positions"] < 3]
    lines += ["", f"Statements with fewer than three actors' positions: {len(thin)}"]
    lines += [f"  {s['statement']}: {s['positions']}" for s in thin]
    lines += ["", f"Statements that may not tell actors apart: {len(audit.useless)}"]
    lines += [f"  {u['statement']}: {u['why']}" for u in audit.useless]
    lines += ["", "Direction balance (statements where agreeing moves toward / away from the actor):"]
    lines += [f"  {b['actor']:<32} toward {b['agree_toward']:>3}, away {b['disagree_toward']:>3}, "
              f"neutral {b['neutral']:>3}" for b in audit.balance]
    lines += ["", "Reachability (each actor answering as itself):"]
    for r in audit.reachability:
        verdict = "ranks itself first" if r["first"] else f"is beaten by {', '.join(r['ahead'])}"
        ties = f" (tied with {', '.join(r['tied_with'])})" if r["tied_with"] else ""
        lines.append(f"  {r['actor']:<32} {verdict}{ties}")
    for sim in audit.simulations:
        lines += ["", f"Simulated voters: {sim['profiles']} ({sim['voters']:,}); an even split is "
                      f"{_pct(sim['even_share'])} each"]
        lines += [f"  {name:<32} top match for {_pct(share)}" for name, share in sim["shares"].items()]
        lines.append(f"  top match changes under the Euclidean rule: {_pct(sim['euclidean_changes'])}")
        left_out = _pct(sim["leave_one_out_changes"])
        lines.append(f"  top match changes when some single statement is left out: {left_out}")
    lines += ["", "Sensitivity (uniform voters whose top match changes when this statement is removed):"]
    lines += [f"  {s['statement']:<28} {_pct(s['top_changes'])}" for s in audit.sensitivity[:10]]
    return "\n".join(lines) + "\n"


def _svg_bars(bars: list[charts.Bar]) -> str:
    rows = []
    for bar in bars:
        segment = bar.segments[0]
        rows.append(
            f'<li><span class="label">{escape(bar.label)}</span>'
            f'<svg viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="{escape(bar.label)}: '
            f'{segment.value}"><rect width="100" height="6" fill="#eeeeee"/><rect width="{segment.width}" height="6" '
            f'fill="{segment.colour}"/></svg><span class="value">{segment.value}</span></li>')
    return '<ul class="bars">' + "".join(rows) + "</ul>"


def _verdict_html(checks: list[Check]) -> str:
    """The verdict first, then one line per failed check (warnings after), then every check in a table."""
    verdict = overall(checks)
    failed = [c for c in checks if c.verdict == "fail"]
    warned = [c for c in checks if c.verdict == "warn"]
    items = "".join(f"<li><strong>Failed: {escape(c.name)}</strong>: {escape(c.reason)}</li>" for c in failed)
    items += "".join(f"<li>Warning: {escape(c.name)}: {escape(c.reason)}</li>" for c in warned)
    rows = "".join(f'<tr><td class="{c.verdict}">{c.verdict}</td><td>{escape(c.name)}</td><td>{escape(c.reason)}'
                   f"</td><td>{escape(c.suggestion if c.verdict != 'pass' else '')}</td></tr>" for c in checks)
    return (f'<p class="verdict {verdict}">Verdict: <strong>{verdict}</strong></p>'
            + (f"<ul>{items}</ul>" if items else "")
            + "<h2>Checks</h2><table><thead><tr><th>Verdict</th><th>Check</th><th>Reason</th><th>Suggestion</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")


def html_report(audit: Audit, title: str, checks: Sequence[Check] = ()) -> str:
    """A self-contained page: the verdict and a line per failed check, then the figures with bar charts."""
    sections = [_verdict_html(list(checks))] if checks else []
    for sim in audit.simulations:
        items = [(name, round(100 * share, 1), "#1d4ed8") for name, share in sim["shares"].items()]
        sections.append(f"<h2>{escape(sim['profiles'])}: top-match shares (%)</h2>"
                        f"<p>Even split: {_pct(sim['even_share'])}. Euclidean rule changes the top match for "
                        f"{_pct(sim['euclidean_changes'])}; leaving one statement out, for "
                        f"{_pct(sim['leave_one_out_changes'])}.</p>" + _svg_bars(charts.simple(items)))
    style = ("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}"
             ".bars{list-style:none;padding:0}.bars li{display:grid;grid-template-columns:16rem 1fr 4rem;gap:.5rem;"
             "align-items:center}.bars svg{width:100%;height:1rem}pre{white-space:pre-wrap}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
             ".verdict{font-size:1.4rem}.fail{color:#b00020}.warn{color:#8a5a00}.pass{color:#1b5e20}")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Audit: {escape(title)}</title>'
            f"<style>{style}</style></head><body><h1>Audit: {escape(title)}</h1>{''.join(sections)}"
            f"<h2>Full report</h2><pre>{escape(text_report(audit, checks))}</pre></body></html>\n")
