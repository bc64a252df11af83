"""Analytics charts, drawn on the server as SVG by pygal: each with a title and a
description, which the SVG carries (`role="img"`, `<title>`, `<desc>`) and the page gives as
the image's text, beside a table of the same numbers (what screen readers and keyboards use).

The SVG is an image (a `data:` URL), not inline markup: our Content-Security-Policy allows no
inline style, and pygal styles its charts with a `<style>` element. Inside an image its
styles apply and its script (pygal's tooltips configuration) never runs; we drop it anyway.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

# The web interface's colours (web.css): the accent first, then tones that stay apart for
# colour-blind readers (Okabe–Ito).
_STYLE = Style(
    background="transparent", plot_background="transparent",
    foreground="#1a1a1a", foreground_strong="#1a1a1a", foreground_subtle="#575757",
    colors=("#0b57d0", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"),
    font_family="system-ui, sans-serif", label_font_size=14, major_label_font_size=14,
    legend_font_size=15, title_font_size=16, tooltip_font_size=14)

# Sentiment keeps its meaning in colour: green, grey, red, and a light grey for "not scored".
SENTIMENT_COLOURS = ("#009e73", "#8a8a8a", "#d55e00", "#c8c8c8")

_ROOT = re.compile(r"<svg\b([^>]*)>")


def line_chart(*, chart_id: str, title: str, description: str, labels: Sequence[str],
               series: dict[str, Sequence[int]],
               colours: Sequence[str] | None = None) -> Markup:
    """An `<img>` of an SVG line chart (bars for a single bucket) of `series` (name -> a
    value per label), in `colours` (one per series) or the interface's."""
    kind = pygal.Bar if len(labels) == 1 else pygal.Line
    style = _STYLE if colours is None else Style(**{**_STYLE.to_dict(), "colors": colours})
    chart = kind(style=style, js=(), disable_xml_declaration=True, width=720, height=360,
                 show_dots=len(labels) <= 60, x_label_rotation=30 if len(labels) > 8 else 0,
                 show_minor_x_labels=False, truncate_label=12, legend_at_bottom=True,
                 legend_at_bottom_columns=min(4, max(1, len(series))), min_scale=1,
                 print_values=False, include_x_axis=True, explicit_size=False)
    chart.x_labels = list(labels)
    step = max(1, len(labels) // 12)
    chart.x_labels_major = list(labels)[::step]
    for name, values in series.items():
        chart.add(name, list(values))
    highest = max((max(values, default=0) for values in series.values()), default=0)
    if highest <= 10:  # counts: no ticks at 0.1, 0.2, ...
        chart.y_labels = list(range(0, max(highest, 1) + 1))
    svg = chart.render(is_unicode=True)
    # pygal puts its own <title> first (the empty chart title): ours replaces it.
    svg = re.sub(r"<title>.*?</title>", "", svg, count=1, flags=re.S)
    head = (f'<svg\\1 role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'focusable="false"><title id="{chart_id}-title">{html.escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>')
    svg = re.sub(r"<script\b.*?</script>", "", _ROOT.sub(head, svg, count=1), flags=re.S)
    return Markup('<img class="chart" src="data:image/svg+xml;base64,{}" alt="{}">').format(
        Markup(base64.b64encode(svg.encode()).decode()), f"{title}: {description}")
