"""Small conveniences for the report notebooks."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd


def setup_notebook(*, dpi: int = 110) -> None:
    """Draw charts as PNG images at a resolution that reads well in the report."""
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["savefig.dpi"] = dpi
    matplotlib.rcParams["savefig.bbox"] = "tight"
    # Tables show statement texts and verdicts in full.
    pd.set_option("display.max_colwidth", None)


def show(chart) -> None:
    """Display a chart (Figure or Axes) as the cell's output and close it."""
    from IPython.display import display

    figure = chart.get_figure() if hasattr(chart, "get_figure") and not isinstance(
        chart, matplotlib.figure.Figure) else chart
    display(figure)
    plt.close(figure)
