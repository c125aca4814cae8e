"""Small conveniences for the report notebooks."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from .export import save_figure
from .render import CONTENTS_MARKER


def setup_notebook(*, dpi: int = 110) -> None:
    """Draw charts as PNG images at a resolution that reads well in the report."""
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["savefig.dpi"] = dpi
    # Tables show statement texts and verdicts in full.
    pd.set_option("display.max_colwidth", None)


def show(chart, *, alt: str | None = None, name: str = "", out_dir: str | Path = "") -> None:
    """Display a chart (Figure or Axes) as the cell's output, then close it.

    Parameters
    ----------
    chart : Figure or Axes
        The chart.
    alt : str, optional
        What the chart shows, in words, for readers who cannot see it. It
        becomes the ``alt`` text of the image in the HTML report.
    name : str, optional
        File name (without suffix) of the chart in ``out_dir/figures/``.
    out_dir : str or Path, optional
        The report folder. When given with ``name``, the chart is also saved
        as ``figures/<name>.png`` and ``figures/<name>.svg``; when empty
        (``""``), nothing is written.
    """
    from IPython.display import Image, display

    figure = chart if isinstance(chart, Figure) else chart.get_figure()
    try:
        if name and str(out_dir):
            save_figure(figure, Path(out_dir) / "figures", name, alt=alt)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches=None, metadata={"Software": None})
        display(Image(data=buffer.getvalue(), format="png", alt=alt))
    finally:
        plt.close(figure)


def show_contents() -> None:
    """Mark where the HTML report puts its table of contents.

    The mark is an HTML comment, invisible in the notebook; the rendered page
    replaces it with links to the sections that follow it.
    """
    from IPython.display import HTML, display

    display(HTML(CONTENTS_MARKER))
