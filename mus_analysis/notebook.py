"""Small conveniences for the report notebooks."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .export import figure_svg, save_figure
from .render import CONTENTS_MARKER


def setup_notebook(*, dpi: int = 110) -> None:
    """Set up a report notebook: charts a cell displays by itself (not through
    :func:`show`) are PNG images at ``dpi``; tables show texts in full."""
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["savefig.dpi"] = dpi
    pd.set_option("display.max_colwidth", None)


def show(chart, *, alt: str | None = None, name: str = "", out_dir: str | Path = "") -> None:
    """Display a chart (Figure or Axes) as the cell's output, then close it.

    The chart is shown as an SVG image, sharp at any zoom and on paper: the
    same drawing as ``figures/<name>.svg`` when the chart is saved.

    Parameters
    ----------
    chart : Figure or Axes
        The chart.
    alt : str, optional
        What the chart shows, in words, for readers who cannot see it. It
        becomes the ``alt`` text of the image in the HTML report and the
        title of the SVG.
    name : str, optional
        File name (without suffix) of the chart in ``out_dir/figures/``.
    out_dir : str or Path, optional
        The report folder. When given with ``name``, the chart is also saved
        as ``figures/<name>.png`` and ``figures/<name>.svg``; when empty
        (``""``), nothing is written.
    """
    from IPython.display import display

    figure = chart if isinstance(chart, Figure) else chart.get_figure()
    try:
        if name and str(out_dir):
            _, saved = save_figure(figure, Path(out_dir) / "figures", name, alt=alt)
            svg = saved.read_text(encoding="utf-8")
        else:
            svg = figure_svg(figure, alt=alt, name=name or "chart")
        display(ChartImage(svg, alt))
    finally:
        plt.close(figure)


class ChartImage:
    """A chart's SVG, displayed as an ``<img>`` with its alt text.

    The HTML form embeds the SVG as a data URI, so the report page stays one
    self-contained file and the image keeps an ``alt`` attribute; the SVG
    itself is in the bundle too, for front ends that prefer it.
    """

    def __init__(self, svg: str, alt: str | None) -> None:
        self.svg = svg
        self.alt = alt or ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        source = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        tag = (f'<img class="chart" src="data:image/svg+xml;base64,{source}" '
               f'alt="{html.escape(self.alt, quote=True)}">')
        return {"text/html": tag, "image/svg+xml": self.svg}


def show_contents() -> None:
    """Mark where the HTML report puts its table of contents.

    The mark is an HTML comment, invisible in the notebook; the rendered page
    replaces it with links to the sections that follow it.
    """
    from IPython.display import HTML, display

    display(HTML(CONTENTS_MARKER))
