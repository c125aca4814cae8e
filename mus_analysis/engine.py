"""A papermill engine that runs notebooks in this process's own IPython shell.

Starting a Jupyter kernel and importing pandas, matplotlib and seaborn into it
takes longer than reading, scoring and charting a round. A process that
builds many reports therefore keeps one IPython shell: each notebook gets a
fresh namespace, while the imported modules stay loaded. Papermill still
parameterizes the notebook, records each cell's timing and status, writes the
executed notebook and raises its usual execution error, so the result is the
same notebook a kernel would have produced.

The engine is registered with papermill as ``mus-inprocess``. Notebooks that
need a real kernel (widgets, other languages) run with papermill's default
engine instead.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Iterator

import nbformat
from papermill.engines import Engine, papermill_engines

ENGINE_NAME = "mus-inprocess"

_shell = None


def _get_shell():
    """The process's IPython shell, made once, drawing charts as PNG images."""
    global _shell
    if _shell is None:
        import matplotlib

        matplotlib.use("Agg")
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.core.pylabtools import select_figure_formats

        # No output cache (``_``, ``Out``): clearing it makes each reset run a
        # full garbage collection, the slowest step of starting a notebook.
        _shell = InteractiveShell.instance(cache_size=0)
        select_figure_formats(_shell, {"png"})
        # Errors become the cell's error output below, not printed text.
        _shell.showtraceback = lambda *args, **kwargs: None
    return _shell


@contextlib.contextmanager
def _working_directory(path: str | None) -> Iterator[None]:
    if not path:
        yield
        return
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _run_cell(shell, cell, count: int) -> BaseException | None:
    """Run one code cell; set its outputs; return the exception it raised."""
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        result = shell.run_cell(cell.source, store_history=False)
    outputs = []
    for name, text in (("stdout", captured.stdout), ("stderr", captured.stderr)):
        if text:
            outputs.append(nbformat.v4.new_output("stream", name=name, text=text))
    for shown in captured.outputs:
        outputs.append(nbformat.v4.new_output("display_data", data=shown.data,
                                              metadata=shown.metadata or {}))
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        outputs.append(nbformat.v4.new_output(
            "error", ename=type(error).__name__, evalue=str(error),
            traceback=traceback.format_exception(error)))
    cell.outputs = outputs
    cell.execution_count = count
    return error


class InProcessEngine(Engine):
    """Execute a notebook's code cells in this process's IPython shell."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, cwd=None, **kwargs):
        shell = _get_shell()
        shell.reset(new_session=False)
        count = 0
        # Papermill saves the whole notebook as each cell starts and ends, so a
        # long kernel run can be watched; cells here take a fraction of a
        # second, so the notebook is written once, when papermill completes it.
        nb_man.save = lambda **kwargs: None
        try:
            with _working_directory(cwd):
                for index, cell in enumerate(nb_man.nb.cells):
                    if cell.cell_type != "code":
                        continue
                    count += 1
                    nb_man.cell_start(cell, index)
                    error = _run_cell(shell, cell, count)
                    if error is not None:
                        nb_man.cell_exception(cell, index)
                        nb_man.cell_complete(cell, index)
                        break
                    nb_man.cell_complete(cell, index)
        finally:
            del nb_man.save  # papermill's own save again, for the completed notebook
            # Close figures a failed cell may have left open.
            import matplotlib.pyplot as plt

            plt.close("all")
        return nb_man.nb


papermill_engines.register(ENGINE_NAME, InProcessEngine)
