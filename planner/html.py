"""Plans, audits and comparisons as one self-contained HTML page (``--format html``).

The page needs nothing from the network: the style sheet is inline, there are no outside
fonts, and the static report has no script at all. Like the text renderers it is a pure
function of its input, so the same plan gives the same bytes. ``planner serve`` shows
the same fragments (`plan_section`) inside its what-if page; the `data-*` attributes on
courses and repairs are what that page's script clicks on.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from planner.plan import Plan
from planner.render import _STATUS_WORDS, _header, _left_words

if TYPE_CHECKING:
    from planner.audit import AuditReport
    from planner.catalog import Assumption
    from planner.compare import Comparison
    from planner.demand import Demand

STYLE = """
:root { --ink: #1d232b; --muted: #5b6570; --line: #d5dae0; --ok: #1f7a3f; --no: #b3261e;
  --fill: #eef3f8; --done: #f3f3ef; --accent: #2456a4; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 80rem; }
h1 { font-size: 1.45rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--line); }
.status { color: var(--muted); margin: 0 0 .6rem; }
.status.infeasible, .status.unknown, .status.invalid { color: var(--no); font-weight: 600; }
.left { background: var(--fill); border-radius: 6px; padding: .5rem .75rem; }
.grid { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.term { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .7rem;
  break-inside: avoid; }
.term.completed { background: var(--done); }
.term h3 { font-size: 1rem; margin: 0 0 .4rem; display: flex; justify-content: space-between; }
.term h3 small { color: var(--muted); font-weight: 400; }
.course { list-style: none; margin: 0 0 .45rem; padding: .35rem .45rem; border-radius: 6px;
  background: var(--fill); }
.course .code { font-weight: 600; font-variant-numeric: tabular-nums; }
.course .title { display: block; }
.course .fills { display: block; color: var(--muted); font-size: .85rem; }
.course.nothing .fills { color: var(--no); }
ul.courses { padding: 0; margin: 0; }
.progress { display: flex; align-items: center; gap: .6rem; }
.bar { flex: 1; height: .6rem; background: var(--line); border-radius: 3px; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--ok); }
ul.reqs { list-style: none; padding: 0; columns: 2 24rem; }
ul.reqs li { break-inside: avoid; margin: 0 0 .3rem; }
.met::before { content: "\\2713  "; color: var(--ok); font-weight: 700; }
.unmet::before { content: "\\2717  "; color: var(--no); font-weight: 700; }
.conflict li { margin-bottom: .3rem; }
.repair { margin: .4rem 0; }
.repair code, code { background: var(--fill); padding: .05rem .3rem; border-radius: 4px; }
.muted { color: var(--muted); }
dl.assumptions dt { font-weight: 600; }
dl.assumptions dd { margin: 0 0 .5rem 1.2rem; }
table { border-collapse: collapse; }
td, th { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: left; }
@media print {
  body { font-size: 10.5pt; padding: 0; max-width: none; }
  .no-print { display: none !important; }
  .grid { grid-template-columns: repeat(3, 1fr); }
  .course, .left { background: none; border: 1px solid var(--line); }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
"""


def page(title: str, body: str, *, extra_head: str = "", script: str = "") -> str:
    """A whole page: `body` with the inline style sheet (and `script`, inline, if given)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        extra_head,
        "</head>",
        "<body>",
        body,
    ]
    if script:
        parts.append(f"<script>{script}</script>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(p for p in parts if p)


def _list(items: list[str], css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<ul{klass}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _labels(plan: Plan) -> dict[str, str]:
    return {r.id: r.label or r.title for r in plan.requirements}


def _grid(plan: Plan) -> str:
    names = _labels(plan)
    cards = []
    for term in plan.terms:
        if term.practicum:
            what = "practicum (full time)"
        else:
            what = f"{term.units} units" + (", completed" if term.status == "completed" else "")
        items = []
        for c in term.courses:
            fills = ", ".join(names.get(r, r) for r in c.counts_toward)
            css = "course" if fills else "course nothing"
            items.append(
                f'<li class="{css}" data-code="{escape(c.code)}" data-term="{term.term}"'
                f' data-status="{term.status}">'
                f'<span class="code">{escape(c.code)}</span> <span class="muted">'
                f"{c.units} units</span>"
                f'<span class="title">{escape(c.title)}</span>'
                f'<span class="fills">{escape(fills or "counts toward nothing")}</span></li>'
            )
        season = f"{term.season.capitalize()} {term.year}" if term.season else term.term
        cards.append(
            f'<section class="term {term.status}" data-term="{term.term}">'
            f"<h3>{escape(season)} <small>{escape(what)}</small></h3>"
            f'<ul class="courses">{"".join(items)}</ul></section>'
        )
    return f'<div class="grid">{"".join(cards)}</div>'


def _requirements(plan: Plan) -> str:
    met = sum(r.satisfied for r in plan.requirements)
    total = len(plan.requirements)
    share = 100 * met // total if total else 100
    out = [
        '<div class="progress">',
        f"<span>{met} of {total} requirements met</span>",
        f'<div class="bar" role="img" aria-label="{share}%"><span style="width:{share}%">'
        "</span></div></div>",
        '<ul class="reqs">',
    ]
    for r in plan.requirements:
        css = "met" if r.satisfied else "unmet"
        shown = ", ".join(r.courses) or r.detail or "nothing yet"
        out.append(
            f'<li class="{css}" data-rule="{escape(r.id)}" title="{escape(r.title)}">'
            f"<strong>{escape(r.label or r.title)}</strong>: {escape(shown)}</li>"
        )
    out.append("</ul>")
    return "".join(out)


def _conflict(plan: Plan) -> str:
    if plan.status != "infeasible":
        return f"<p>{escape(plan.message)}</p>" if plan.message else ""
    qualifier = (
        "minimal: no plan meets them all, and without any one of them the rest can be met"
        if plan.conflict_minimal
        else "may not be minimal: the time limit stopped the shrinking"
    )
    out = [
        "<h2>Why there is no plan</h2>",
        f"<p>These rules conflict ({escape(qualifier)}):</p>",
        '<ul class="conflict">',
        *(
            f'<li data-rule="{escape(c.id)}">{escape(c.message)}'
            f' <span class="muted">[{escape(c.id)}]</span></li>'
            for c in plan.conflicts
        ),
        "</ul>",
    ]
    out += [f"<p>{escape(n)}</p>" for n in plan.notes]
    if plan.repairs:
        out.append("<h2>Any one of these changes gives a plan</h2>")
        out.append('<p class="muted">Each was checked by solving again.</p>')
        for repair in plan.repairs:
            out.append(
                f'<div class="repair" data-flags="{escape(repair.flags)}">'
                f"{escape(repair.description)}: <code>{escape(repair.flags)}</code></div>"
            )
    else:
        out.append("<p>No single change that was tried gives a plan.</p>")
    return "".join(out)


def _assumptions(assumptions: Sequence[Assumption]) -> str:
    if not assumptions:
        return ""
    items = "".join(
        f"<dt>{escape(a.id)}</dt><dd>{escape(a.text)}"
        + (f' <span class="muted">Source: {escape(a.source)}</span>' if a.source else "")
        + "</dd>"
        for a in assumptions
    )
    return (
        "<h2>Assumptions this plan rests on</h2>"
        '<p class="muted">Readings of the sources, kept as data; an advisor may read a'
        f' rule otherwise.</p><dl class="assumptions">{items}</dl>'
    )


def plan_section(plan: Plan, assumptions: Sequence[Assumption] = ()) -> str:
    """The plan (or why there is none) as an HTML fragment: header, grid of terms,
    requirement progress, notes, reminders and the assumptions it rests on."""
    out = [
        f'<div class="plan" data-status="{plan.status}">',
        f"<h1>{escape(' and '.join(p.title for p in (plan.programs or [plan.program])))}</h1>",
        f'<p class="status {plan.status}">{escape(_header(plan))}</p>',
    ]
    if plan.waived:
        out.append(f"<p>Waived: {escape(', '.join(plan.waived))}</p>")
    for warning in plan.warnings:
        out.append(f'<p class="muted">Warning: {escape(warning)}</p>')
    if plan.status in ("infeasible", "unknown"):
        out.append(_conflict(plan))
    else:
        if plan.left is not None:
            out.append(f'<p class="left">{escape(_left_words(plan))}</p>')
        out += ["<h2>Plan by term</h2>", _grid(plan)]
        out += ["<h2>Requirements</h2>", _requirements(plan)]
        if plan.contingencies:
            lines = []
            for entry in plan.contingencies:
                head = f"{entry.course} in {entry.term} ({entry.evidence}): "
                if entry.repaired:
                    what = "; ".join(entry.changes) or "the rest of the plan holds"
                    lines.append(head + f"{what}; graduating {entry.graduation}.")
                else:
                    lines.append(head + "no repair graduates as early.")
            out += ["<h2>If a course is cancelled</h2>", _list(lines)]
        if plan.notes:
            out += ["<h2>Notes</h2>", _list(plan.notes)]
        if plan.why:
            out += ["<h2>Why</h2>", _list(plan.why)]
    if plan.reminders:
        out += ["<h2>Reminders (not planned)</h2>", _list(plan.reminders)]
    out.append(_assumptions(assumptions))
    out.append("</div>")
    return "".join(out)


def plan_html(plan: Plan, assumptions: Sequence[Assumption] = ()) -> str:
    title = f"{plan.program.title}: {_STATUS_WORDS[plan.status]}"
    return page(title, plan_section(plan, assumptions))


def audit_html(report: AuditReport) -> str:
    verdict = "passed" if report.passed else "failed"
    rows = []
    for r in report.results:
        css = "met" if r.satisfied else "unmet"
        detail = r.detail or ", ".join(r.courses)
        rows.append(
            f'<li class="{css}" data-rule="{escape(r.id)}"><strong>{escape(r.title)}</strong>'
            + (f": {escape(detail)}" if detail else "")
            + f' <span class="muted">[{escape(r.id)}]</span></li>'
        )
    body = [
        f"<h1>Audit of a {escape(report.program)} plan: {verdict}</h1>",
        f'<p class="status {"" if report.passed else "invalid"}">'
        f"{sum(r.satisfied for r in report.results)} of {len(report.results)} rules met"
        + (f"; graduating {escape(report.graduation)}" if report.graduation else "")
        + "</p>",
    ]
    if report.waived:
        body.append(f"<p>Waived: {escape(', '.join(report.waived))}</p>")
    failures = [r for r in rows if 'class="unmet"' in r]
    if failures:
        body += ["<h2>Broken rules</h2>", f'<ul class="reqs">{"".join(failures)}</ul>']
    body += ["<h2>Every rule checked</h2>", f'<ul class="reqs">{"".join(rows)}</ul>']
    if report.notes:
        body += ["<h2>Notes</h2>", _list(report.notes)]
    if report.not_shown:
        body.append(
            f'<p class="muted">{report.not_shown} rules met that concern only courses the plan'
            " does not hold are not shown (--all shows them).</p>"
        )
    return page(f"Audit: {verdict}", "".join(body))


def compare_html(result: Comparison, before: str, after: str) -> str:
    body = [
        "<h1>What changes between two plans</h1>",
        f"<p><strong>Before</strong>: {escape(before)} ({escape(result.before_status)})<br>"
        f"<strong>After</strong>: {escape(after)} ({escape(result.after_status)})</p>",
    ]
    if result.scenario_changes:
        body += ["<h2>What-ifs that differ</h2>", _list(result.scenario_changes)]
    g_before, g_after = result.graduation
    body.append(f"<p>Graduation: {escape(g_before or '-')} &rarr; {escape(g_after or '-')}</p>")
    if result.same:
        body.append("<p>The two plans take the same courses in the same terms.</p>")
    rows = [
        *(f"<tr><td>{escape(c)}</td><td>added</td><td></td></tr>" for c in result.added),
        *(f"<tr><td>{escape(c)}</td><td>removed</td><td></td></tr>" for c in result.removed),
        *(
            f"<tr><td>{escape(m.code)}</td><td>moved</td>"
            f"<td>{escape(m.before)} &rarr; {escape(m.after)}</td></tr>"
            for m in result.moved
        ),
        *(
            f"<tr><td>{escape(r.code)}</td><td>counts differently</td>"
            f"<td>{escape(', '.join(r.before) or 'nothing')} &rarr; "
            f"{escape(', '.join(r.after) or 'nothing')}</td></tr>"
            for r in result.recounted
        ),
        *(
            f"<tr><td>{escape(u.term)}</td><td>units</td><td>{u.before} &rarr; {u.after}</td></tr>"
            for u in result.units
        ),
    ]
    if rows:
        body += [
            "<h2>Changes</h2>",
            "<table><tr><th>course or term</th><th>change</th><th></th></tr>",
            *rows,
            "</table>",
        ]
    checks = [*result.checks[0], *result.checks[1]]
    if checks:
        body += ["<h2>Rechecking the plan files</h2>", _list(checks)]
    return page("Plan comparison", "".join(body))


def demand_html(d: Demand, baseline: Demand | None = None) -> str:
    """Courses down, terms across, each cell shaded by how many students take the course
    then; with a baseline, the cells that changed."""
    from planner.demand import changes, demand_grid, unplanned_words

    body = [f"<h1>Demand of {d.planned} planned students{escape(unplanned_words(d))}</h1>"]
    if baseline is not None:
        rows = [
            f"<tr><td>{escape(t)}</td><td>{escape(c)}</td><td>{old}</td><td>{new}</td>"
            f"<td>{new - old:+d}</td></tr>"
            for t, c, old, new in changes(d, baseline)
        ]
        body += [
            "<h2>Changes from the baseline</h2>",
            "<table><tr><th>term</th><th>course</th><th>before</th><th>after</th>"
            "<th>change</th></tr>",
            *rows,
            "</table>" if rows else "</table><p>No cell changed.</p>",
        ]
        return page("Course demand: changes", "".join(body))
    terms, courses, count = demand_grid(d)
    most = max(count.values(), default=1)
    head = "".join(f"<th>{escape(t)}</th>" for t in terms)
    body.append(f'<table class="demand"><tr><th>course</th>{head}<th>total</th></tr>')
    for course in courses:
        row = [count.get((t, course), 0) for t in terms]
        cells = "".join(
            f'<td style="background: rgba(36, 86, 164, {n / most * 0.45:.2f})">{n}</td>'
            if n
            else '<td class="muted">-</td>'
            for n in row
        )
        body.append(f"<tr><td>{escape(course)}</td>{cells}<td>{sum(row)}</td></tr>")
    body.append("</table>")
    return page("Course demand", "".join(body))
