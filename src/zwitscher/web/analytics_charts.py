"""Analytics charts, drawn on the server as SVG by pygal: each with a title and a
description, which the SVG carries (`role="img"`, `<title>`, `<desc>`) and the page gives as
the image's text, beside a table of the same numbers (what screen readers and keyboards use).

The SVG is an image (a `data:` URL), not inline markup: our Content-Security-Policy allows no
inline style, and pygal styles its charts with a `<style>` element. Inside an image its
styles apply and its script (pygal's tooltips configuration) never runs; we drop it anyway,
with the tooltips' texts it would have shown.

An image scales as a whole, its text with it: drawn once for the desktop column (about
700 px), a chart's labels would be 6 px high on a phone. So each chart is drawn twice, for
each layout at about the width it is shown at (`<picture>`, chosen by the viewport's width:
`NARROW_MEDIA`), and its text stays between 12 and 20 px on every screen.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from markupsafe import Markup
from pygal.style import Style

# The web interface's colours (web.css): the accent first, then tones that stay apart for
# colour-blind readers (Okabe–Ito).
_STYLE = Style(
    background="transparent", plot_background="transparent",
    foreground="#1a1a1a", foreground_strong="#1a1a1a", foreground_subtle="#575757",
    colors=("#0b57d0", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"),
    font_family="system-ui, sans-serif")

# Sentiment keeps its meaning in colour: green, grey, red, and a light grey for "not scored".
SENTIMENT_COLOURS = ("#009e73", "#8a8a8a", "#d55e00", "#c8c8c8")

# Viewports up to this get the narrow drawing: the page's column is then at most 544 px wide.
NARROW_MEDIA = "(max-width: 36rem)"


@dataclass(frozen=True, slots=True)
class _Layout:
    """A drawing's size and text size in its own units: shown `w` px wide, its text is
    `font * w / width` px high."""

    width: int
    height: int  # with one row of legend; each further row adds LEGEND_ROW
    font: int
    legend_columns: int  # at most
    plot_width: int  # about: the legend's columns share it
    x_labels: int  # at most this many dates under the axis
    dots_up_to: int  # points drawn as dots up to this many per series
    rotate_from: int  # date labels turn when there are more than this many

    def columns(self, names: Sequence[str]) -> int:
        """The most legend columns (up to one per series) in which every name fits whole,
        by pygal's estimate of 0.6 em a character (it cuts a longer name short)."""
        longest = max((len(name) for name in names), default=0) * 0.6 * self.font
        fitting = [columns for columns in range(1, self.legend_columns + 1)
                   if longest <= self.plot_width / columns - _LEGEND_BOX]
        return min(max(fitting, default=1), max(1, len(names)))


LEGEND_ROW = 25
_LEGEND_BOX = 17  # its colour square and the space after it
# Desktop: a column of 544–704 px shows 720 units at 0.76–0.98: 15 is 11.4–14.7 px.
_WIDE = _Layout(width=720, height=360, font=15, legend_columns=4, plot_width=580,
                x_labels=12, dots_up_to=60, rotate_from=8)
# Phones: 343–544 px show 400 units at 0.86–1.36: 15 is 12.9–20 px.
_NARROW = _Layout(width=400, height=300, font=15, legend_columns=2, plot_width=260,
                  x_labels=5, dots_up_to=31, rotate_from=4)

_ROOT = re.compile(r"<svg\b([^>]*)>")
# What only pygal's tooltips script would show, and its comments: a third of the bytes.
_UNSHOWN = re.compile(r"<desc class=\"[^\"]*\">[^<]*</desc>|<title>[^<]*</title>|<!--.*?-->",
                      re.S)
_ATTRIBUTE = re.compile(r'="([^"]*)"')
_FINE = re.compile(r"(?<=\d)\.(\d)\d+")  # pygal writes six decimals; a tenth is plenty


def line_chart(*, chart_id: str, title: str, description: str, labels: Sequence[str],
               series: dict[str, Sequence[int]],
               colours: Sequence[str] | None = None) -> Markup:
    """A `<picture>` of an SVG line chart (bars for a single bucket) of `series` (name -> a
    value per label), in `colours` (one per series) or the interface's; its `<img>` is the
    desktop's drawing and carries the text alternative."""
    narrow, wide = (_data_url(_svg(layout, chart_id=chart_id, title=title,
                                   description=description, labels=labels, series=series,
                                   colours=colours))
                    for layout in (_NARROW, _WIDE))
    return Markup('<picture><source media="{}" srcset="{}">'
                  '<img class="chart" src="{}" alt="{}"></picture>').format(
        NARROW_MEDIA, narrow, wide, f"{title}: {description}")


def _svg(layout: _Layout, *, chart_id: str, title: str, description: str,
         labels: Sequence[str], series: dict[str, Sequence[int]],
         colours: Sequence[str] | None) -> str:
    font = layout.font
    style = Style(**{**_STYLE.to_dict(), "label_font_size": font, "major_label_font_size": font,
                     "legend_font_size": font, "title_font_size": font + 1,
                     "tooltip_font_size": font, **({"colors": colours} if colours else {})})
    kind = pygal.Bar if len(labels) == 1 else pygal.Line
    columns = layout.columns(list(series))
    rows = max(1, -(-len(series) // columns))
    chart = kind(style=style, js=(), disable_xml_declaration=True, width=layout.width,
                 height=layout.height + LEGEND_ROW * (rows - 1),
                 show_dots=len(labels) <= layout.dots_up_to,
                 x_label_rotation=30 if len(labels) > layout.rotate_from else 0,
                 show_minor_x_labels=False, truncate_label=12, legend_at_bottom=True,
                 legend_at_bottom_columns=columns, min_scale=1, print_values=False,
                 include_x_axis=True, explicit_size=False)
    chart.x_labels = list(labels)
    step = max(1, -(-len(labels) // layout.x_labels))
    chart.x_labels_major = list(labels)[::step]
    for name, values in series.items():
        chart.add(name, list(values))
    highest = max((max(values, default=0) for values in series.values()), default=0)
    if highest <= 10:  # counts: no ticks at 0.1, 0.2, ...
        chart.y_labels = list(range(0, max(highest, 1) + 1))
    svg = _ATTRIBUTE.sub(lambda value: '="' + _FINE.sub(r".\1", value.group(1)) + '"',
                         _UNSHOWN.sub("", chart.render(is_unicode=True)))
    head = (f'<svg\\1 role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'focusable="false"><title id="{chart_id}-title">{html.escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>')
    return re.sub(r"<script\b.*?</script>", "", _ROOT.sub(head, svg, count=1), flags=re.S)


def _data_url(svg: str) -> Markup:
    return Markup("data:image/svg+xml;base64,{}").format(
        Markup(base64.b64encode(svg.encode()).decode()))
