"""Render an executed report notebook as one self-contained HTML page."""

from __future__ import annotations

import html
from importlib.resources import files

import nbformat


def notebook_html(notebook: nbformat.NotebookNode, *, title: str, lang: str) -> str:
    """One self-contained HTML page: no code, no prompts, images embedded.

    The page loads nothing from the network: the notebook's outputs are put
    in a page of the kit's own with its stylesheet inlined.
    """
    from nbconvert import HTMLExporter

    nb = nbformat.from_dict(notebook)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
    exporter = HTMLExporter(template_name="basic", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            exclude_markdown=True)
    body, _ = exporter.from_notebook_node(nb)
    css = (files("mus_analysis") / "data" / "report.css").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
