"""Server-side SVG chart: intakes per day for the last N days, split by nationality.

Pure and dependency-free apart from django_countries for country names. No JavaScript, no
external fonts or URLs and no inline ``style=`` attributes (CSP-friendly): only SVG
presentation attributes. Every series has a distinct colour *and* fill pattern, so the chart
stays readable in greyscale or without colour vision. All text is escaped with html.escape.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from html import escape

from django_countries import countries

WIDTH, HEIGHT = 720, 220
X0, X1, Y_TOP, Y_BOT = 44, 524, 20, 180  # plot area
LEGEND_X = 540
PREFIX = "ic-"
FONT = 'font-family="sans-serif" fill="#222"'
# Okabe-Ito colour-blind-safe palette; "Other" is always grey.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
OTHER_COLOUR = "#8c8c8c"
# Pattern marks drawn in white over the series colour, on a 6x6 tile.
MARKS = [
    "",  # solid
    '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" stroke-width="1.5"/>',  # diagonal
    '<circle cx="3" cy="3" r="1.4" fill="#fff"/>',  # dots
    '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#fff" stroke-width="1"/>',  # cross-hatch
    '<path d="M0,3 h6" stroke="#fff" stroke-width="1.5"/>',  # horizontal lines
    '<path d="M3,0 v6" stroke="#fff" stroke-width="1.5"/>',  # vertical lines
    '<path d="M0,6 l6,-6" stroke="#fff" stroke-width="1"/><path d="M0,3 h6" stroke="#fff"/>',
]
OTHER = "Other"


def nationality_label(code: str) -> str:
    """Country name for an ISO code; "Unknown" when empty, the code itself when unrecognised."""
    code = (code or "").strip().upper()
    if not code:
        return "Unknown"
    return str(countries.name(code)) or code


def _short(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _empty_svg(days: int) -> str:
    msg = escape(f"No intakes in the last {days} days")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 40" width="100%" '
        f'role="img" aria-labelledby="{PREFIX}title"><title id="{PREFIX}title">{msg}</title>'
        f'<text x="{WIDTH // 2}" y="24" text-anchor="middle" font-size="14" {FONT}>{msg}</text>'
        "</svg>"
    )


Series = list[tuple[str, int]]
Table = list[tuple[date, dict[str, int], int]]


def _tally(
    rows: list[tuple[date, str, int]], start: date, today: date
) -> tuple[dict[date, dict[str, int]], dict[str, int]]:
    """Counts per day and label, and totals per label, of the rows inside start..today."""
    by_day: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for day, code, count in rows:
        if start <= day <= today and count > 0:
            label = nationality_label(code)
            by_day[day][label] += count
            totals[label] += count
    return by_day, totals


def _ranked_series(totals: dict[str, int], top: int) -> tuple[Series, set[str]]:
    """The `top` labels by total (ties by name), then "Other" summing the rest if any; and the
    set of labels kept as series of their own."""
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    keep = {label for label, _ in ranked[:top]}
    series = ranked[:top]
    if len(ranked) > top:
        series.append((OTHER, sum(total for _, total in ranked[top:])))
    return series, keep


def _day_table(by_day: dict[date, dict[str, int]], series: Series, keep: set[str]) -> Table:
    """One (day, {label: count} in series order, day total) per day, newest first."""
    table: Table = []
    for day in sorted(by_day, reverse=True):
        counts: dict[str, int] = defaultdict(int)
        for label, count in by_day[day].items():
            counts[label if label in keep else OTHER] += count
        ordered = {label: counts[label] for label, _ in series if counts.get(label)}
        table.append((day, ordered, sum(ordered.values())))
    return table


def _svg_head(series: Series, days: int) -> list[str]:
    """Opening <svg> with its accessible title and description, and the pattern <defs>."""
    grand = sum(total for _, total in series)
    summary = ", ".join(f"{label} {total}" for label, total in series)
    title = escape(f"Intakes per day by nationality, last {days} days")
    desc = escape(f"Intakes per day, last {days} days: {grand} in total; {summary}.")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{PREFIX}title {PREFIX}desc">',
        f'<title id="{PREFIX}title">{title}</title><desc id="{PREFIX}desc">{desc}</desc><defs>',
        *_patterns(series),
        "</defs>",
    ]


def _patterns(series: Series) -> list[str]:
    """One fill pattern per series (colour plus white marks); "Other" is grey."""
    out = []
    for i, (label, _) in enumerate(series):
        colour = OTHER_COLOUR if label == OTHER else COLOURS[i % len(COLOURS)]
        out.append(
            f'<pattern id="{PREFIX}p{i}" patternUnits="userSpaceOnUse" width="6" height="6">'
            f'<rect width="6" height="6" fill="{colour}"/>{MARKS[i % len(MARKS)]}</pattern>'
        )
    return out


def _axes(start: date, today: date, days: int, peak: int, slot: float) -> list[str]:
    """Axes: y labelled with 0 and the largest day total; x with first/last date and months."""
    out = [
        f'<path d="M{X0},{Y_TOP} V{Y_BOT} H{X1}" stroke="#444" fill="none"/>',
        f'<text x="{X0 - 6}" y="{Y_BOT + 4}" text-anchor="end" font-size="11" {FONT}>0</text>',
        f'<text x="{X0 - 6}" y="{Y_TOP + 4}" text-anchor="end" font-size="11" {FONT}>{peak}</text>',
        f'<path d="M{X0 - 3},{Y_TOP} H{X1}" stroke="#ccc" stroke-dasharray="2,3"/>',
        f'<text x="{X0}" y="214" font-size="11" {FONT}>{start.isoformat()}</text>',
        f'<text x="{X1}" y="214" text-anchor="end" font-size="11" {FONT}>'
        f"{today.isoformat()}</text>",
    ]
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.day == 1:
            x = round(X0 + offset * slot, 1)
            out.append(f'<path d="M{x},{Y_BOT} v5" stroke="#444"/>')
            if slot * 28 >= 44:  # enough room for a month label
                out.append(
                    f'<text x="{x}" y="197" text-anchor="middle" font-size="10" {FONT}>'
                    f"{day:%Y-%m}</text>"
                )
    return out


def _bars(table: Table, start: date, slot: float, peak: int, index: dict[str, int]) -> list[str]:
    """Stacked bars: one slot per day, largest series at the bottom."""
    out = []
    gap = min(1.0, slot * 0.2)
    for day, counts, total in table:
        x = round(X0 + (day - start).days * slot + gap / 2, 2)
        parts = ", ".join(f"{label} {count}" for label, count in counts.items())
        out.append(f"<g><title>{escape(f'{day.isoformat()}: {total} ({parts})')}</title>")
        y = float(Y_BOT)
        for label, count in counts.items():
            h = count / peak * (Y_BOT - Y_TOP)
            y -= h
            out.append(
                f'<rect x="{x}" y="{round(y, 2)}" width="{round(slot - gap, 2)}" '
                f'height="{round(h, 2)}" fill="url(#{PREFIX}p{index[label]})"/>'
            )
        out.append("</g>")
    return out


def _legend(series: Series) -> list[str]:
    """Legend: same pattern swatches, label and total."""
    out = []
    for i, (label, total) in enumerate(series):
        y = Y_TOP + i * 22
        out.append(
            f"<g><title>{escape(f'{label}: {total}')}</title>"
            f'<rect x="{LEGEND_X}" y="{y}" width="14" height="14" fill="url(#{PREFIX}p{i})" '
            f'stroke="#333"/><text x="{LEGEND_X + 20}" y="{y + 11}" font-size="11" {FONT}>'
            f"{escape(_short(label))} {total}</text></g>"
        )
    return out


def intakes_chart(
    rows: list[tuple[date, str, int]], *, today: date, days: int = 90, top: int = 4
) -> dict:
    """Render the stacked-bar chart.

    rows: (day, nationality ISO code, count). Returns {"svg": markup (safe to mark_safe),
    "series": [(label, total), ...] largest first with "Other" last if any,
    "table": [(day, {label: count}, day_total), ...] one per day with intakes, newest first}.
    """
    start = today - timedelta(days=days - 1)
    by_day, totals = _tally(rows, start, today)
    if not totals:
        return {"svg": _empty_svg(days), "series": [], "table": []}

    series, keep = _ranked_series(totals, top)
    table = _day_table(by_day, series, keep)
    index = {label: i for i, (label, _) in enumerate(series)}
    peak = max(total for _, _, total in table)
    slot = (X1 - X0) / days
    out = [
        *_svg_head(series, days),
        *_axes(start, today, days, peak, slot),
        *_bars(table, start, slot, peak, index),
        *_legend(series),
        "</svg>",
    ]
    return {"svg": "".join(out), "series": series, "table": table}
