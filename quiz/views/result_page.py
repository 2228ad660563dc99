"""The voter's own parts of a result page: templates rendered once as stencils, filled per voter.

Every voter's result page differs, but only in a few values: scores, counts, a mark on the map,
the radar's lines. Its templates (``_result_summary.html``, ``_rank_row.html``,
``_robustness.html``, ``_landscape.html``, ``_radar.html``, ``_actor_detail.html``) are rendered
once per *shape* (an actor, whether it has a score, which lists it has, how many radar lines
there are...) with those values left as slots (:func:`quiz.views.assembly.slot`). A page is then
the stencils' text with its own values filled in, formatted and escaped here, without rendering
a template per request. What decides a shape must be in the stencil's key; everything else is
a slot, and every text value is escaped before it fills one. The markup stays in the templates.
"""

from __future__ import annotations

from itertools import product

import numpy as np
from markupsafe import escape

from quiz.i18n import localized, plural_form
from quiz.landscape import RADAR_ACTORS, Landscape, Radar, landscape, radar
from quiz.model import Actor, Content
from quiz.results import ActorResult, Result
from quiz.views.assembly import Frame, Part, fill
from quiz.views.fragments import PageAssembly


def summary(pieces: PageAssembly, content: Content, result: Result, links: dict[str, str]) -> list[Part]:
    """The ranking, how sure it is, the share box and the pictures; ``links`` are the page's
    share_url, change_url and (with a choice of actors) all_actors_url, unescaped."""
    return fill(_summary_frame(pieces, content, result.selected is not None), {
        "answered": str(result.answered),
        "chosen": str(len(result.selected or ())),
        **{name: str(escape(url)) for name, url in links.items()},
        "ranking": [part for r in result.ranked for part in _rank_row(pieces, content, r, result.answered)],
        "robustness": _robustness(pieces, content, result),
        "landscape": _landscape(pieces, result),
        "radar": _radar(pieces, result),
    })


def explanations(pieces: PageAssembly, result: Result) -> list[Part]:
    """Per actor, in ranking order: the statements of closest agreement and disagreement."""
    parts: list[Part] = []
    for r in result.ranked:
        frame = _actor_detail_frame(pieces, r.actor, r.score is not None, bool(r.agreements), bool(r.disagreements))
        parts += fill(frame, {"rank": str(r.rank), "score": str(r.rounded),
                              "agreements": pieces.comparisons(r.agreements),
                              "disagreements": pieces.comparisons(r.disagreements)})
    return parts


def _rank_row(pieces: PageAssembly, content: Content, r: ActorResult, answered: int) -> list[Part]:
    frame = _rank_row_frame(pieces, content, r.actor, r.score is not None, r.compared * 2 < answered)
    return fill(frame, {"score": str(r.rounded), "width": f"{r.score or 0:.2f}", "compared": str(r.compared),
                        "answered": str(answered)})


def _robustness(pieces: PageAssembly, content: Content, result: Result) -> list[Part]:
    robustness = result.robustness
    if robustness is None or robustness.top is None:
        return []
    top, other, changed = robustness.top, robustness.euclidean_top, robustness.changed_by
    statement, then = changed[0] if changed else (None, None)
    return fill(_robustness_frame(pieces, other is top and not changed, other is not top, len(changed)), {
        "top": str(escape(top.name)),
        "euclidean_top": str(escape(other.name)) if other else "–",
        "changed": str(len(changed)),
        "statement": str(escape(localized(statement, "text", content.info.language).text)) if statement else "",
        "then": str(escape(then.name)) if then else "–",
    })


def _landscape(pieces: PageAssembly, result: Result) -> list[Part]:
    landscape = result.landscape
    if landscape is None:
        return []
    voter, two = landscape.voter, len(landscape.axes) > 1
    frame = _landscape_frame(pieces, landscape, voter is not None, keep=result.selected is None)
    if voter is None:
        return fill(frame, {})
    return fill(frame, {"x": f"{100 + 95 * voter.x:.2f}", "y": f"{100 - 95 * voter.y if two else 30:.2f}",
                        "coordinates": f"{voter.x:.2f}, {voter.y:.2f}" if two else f"{voter.x:.2f}"})


def _radar(pieces: PageAssembly, result: Result) -> list[Part]:
    radar = result.radar
    if radar is None:
        return []
    values: dict[str, str] = {}
    for i, series in enumerate(radar.series):
        actor = series.actor
        values |= {f"name{i}": str(escape(actor.name)), f"short{i}": str(escape(actor.short_name)),
                   f"colour{i}": str(escape(actor.colour)), f"outline{i}": series.outline}
        for t, value in enumerate(series.rounded):
            values[f"value{i}_{t}"] = "–" if value is None else str(value)
            values[f"described{i}_{t}"] = "–" if value is None else f"{value} %"
    return fill(_radar_frame(pieces, radar, len(radar.series)), values)


# The stencils, one function each: the page above and warm_frames below get them the same way.

def _summary_frame(pieces: PageAssembly, content: Content, chosen: bool) -> Frame:
    return pieces.frame("_result_summary.html", (chosen,), content=content, chosen=chosen)


def _rank_row_frame(pieces: PageAssembly, content: Content, actor: Actor, scored: bool, thin: bool) -> Frame:
    return pieces.frame("_rank_row.html", (actor.id, scored, thin), content=content, actor=actor, scored=scored,
                        thin=thin)


def _robustness_frame(pieces: PageAssembly, robust: bool, other_rule: bool, changed: int) -> Frame:
    # The number of statements that change the top match only changes the wording through its plural form.
    return pieces.frame("_robustness.html", (robust, other_rule, plural_form(changed) if changed else None),
                        robust=robust, other_rule=other_rule, changed=changed)


def _landscape_frame(pieces: PageAssembly, landscape: Landscape, voter: bool, keep: bool = True) -> Frame:
    return pieces.frame("_landscape.html", (voter,), keep=keep, map=landscape, voter=voter)


def _radar_frame(pieces: PageAssembly, radar: Radar, series: int) -> Frame:
    return pieces.frame("_radar.html", (series,), radar=radar, series=series)


def _actor_detail_frame(pieces: PageAssembly, actor: Actor, scored: bool, agreements: bool,
                        disagreements: bool) -> Frame:
    return pieces.frame("_actor_detail.html", (actor.id, scored, agreements, disagreements), actor=actor,
                        scored=scored, agreements=agreements, disagreements=disagreements)


def warm_frames(pieces: PageAssembly, content: Content) -> None:
    """Render every stencil a result page with all actors may need, in this scope (see ``warm_pieces``)."""
    flags = (False, True)
    for chosen in flags:
        _summary_frame(pieces, content, chosen)
    for actor in content.actors:
        for scored, thin in product(flags, flags):
            _rank_row_frame(pieces, content, actor, scored, thin)
        for scored, agreements, disagreements in product(flags, flags, flags):
            _actor_detail_frame(pieces, actor, scored, agreements, disagreements)
    forms = {plural_form(n): n for n in range(len(content.statements), 0, -1)}
    for changed in (0, *forms.values()):
        for other_rule in flags:
            if changed or other_rule:
                _robustness_frame(pieces, False, other_rule, changed)
    _robustness_frame(pieces, True, False, 0)
    nothing = np.full(len(content.statements), np.nan)
    map_ = landscape(content, nothing, list(content.actors))
    if map_ is not None:
        for voter in flags:
            _landscape_frame(pieces, map_, voter)
    radar_ = radar(content, np.zeros((len(content.topics_in_use), 0)), [])
    if radar_ is not None:
        for series in range(1, min(RADAR_ACTORS, len(content.actors)) + 1):
            _radar_frame(pieces, radar_, series)
