"""Render an executed report notebook as one self-contained HTML page."""

from __future__ import annotations

import functools
import html
import re
from importlib.resources import files

import nbformat

# Where the page gets its table of contents: the notebook displays this
# comment (see :func:`mus_analysis.notebook.show_contents`).
CONTENTS_MARKER = "<!-- mus-analysis: contents -->"

_HEADING = re.compile(r'<h([23])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)


def notebook_html(notebook: nbformat.NotebookNode, *, title: str, lang: str) -> str:
    """One self-contained HTML page: no code, no prompts, images embedded.

    The page loads nothing from the network: the notebook's outputs are put
    in a page of the kit's own with its stylesheet inlined. Where the
    notebook displayed :data:`CONTENTS_MARKER`, the page gets a table of
    contents linking to every ``<h2>`` and ``<h3>`` with an ``id`` below it.
    The page's ``<title>`` is the text of its first ``<h1>`` (else ``title``).
    """
    nb = nbformat.from_dict(notebook)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
    body, _ = _exporter().from_notebook_node(nb)
    body = insert_contents(body, lang)
    h1 = _H1.search(body)
    page_title = _plain_text(h1.group(1)) if h1 else title
    css = (files("mus_analysis") / "data" / "report.css").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(page_title)}</title>\n<style>\n{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


@functools.cache
def _exporter():
    """nbconvert's HTML exporter for report pages, made once per process.

    It keeps one Markdown parser for all outputs instead of building one per
    output, which was a third of the page's cost.
    """
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class ReportExporter(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):
            if context.get("cell", {}).get("attachments"):
                return super().markdown2html(context, source)
            if not hasattr(self, "_markdown"):
                self._markdown = MarkdownWithMath(renderer=IPythonRenderer(
                    escape=False, anchor_link_text=self.anchor_link_text,
                    exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options))
            return self._markdown.render(source)

    return ReportExporter(template_name="basic", exclude_input=True,
                          exclude_input_prompt=True, exclude_output_prompt=True,
                          exclude_markdown=True)


def insert_contents(body: str, lang: str) -> str:
    """Replace the first :data:`CONTENTS_MARKER` in ``body`` with a table of
    contents of the headings after it; ``body`` unchanged without a marker."""
    from .text import words

    at = body.find(CONTENTS_MARKER)
    if at < 0:
        return body
    sections: list[tuple[str, list[str]]] = []  # an <h2> link and its <h3> links
    for level, anchor, inner in _HEADING.findall(body, at):
        link = f'<a href="#{html.escape(anchor)}">{html.escape(_plain_text(inner))}</a>'
        if level == "3" and sections:
            sections[-1][1].append(link)
        else:
            sections.append((link, []))
    items = "".join(
        f"<li>{link}" + ("<ul>" + "".join(f"<li>{s}</li>" for s in subs) + "</ul>"
                         if subs else "") + "</li>\n"
        for link, subs in sections)
    label = html.escape(words(lang)["contents"])
    nav = (f'<nav class="toc" aria-labelledby="contents">\n<h2 id="contents">{label}</h2>\n'
           f"<ul>\n{items}</ul>\n</nav>")
    return body[:at] + nav + body[at + len(CONTENTS_MARKER):]


def _plain_text(fragment: str) -> str:
    """The text of an HTML fragment, without nbconvert's ``¶`` anchor links."""
    return html.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", fragment))).strip()
