"""Measure what reports cost, as ratios taken in one run on one machine.

    .venv/bin/python benchmarks/bench.py            # all four measurements
    .venv/bin/python benchmarks/bench.py --only 4   # one of them

Prints, each against its own baseline measured in the same run:

1. one example round's report against the floor: a fresh process running
   papermill on a notebook with one empty cell, plus nbconvert of the result
   to HTML. The report is timed as the kit builds reports: in a process that
   has built one before, as each batch worker is (the floor pays interpreter
   and kernel start-up for every notebook; the kit pays it once per worker).
   A report in a fresh process (``mus-analysis report``), start-up included,
   is printed beside it;
2. a batch of 12 rounds with ``--jobs 2`` against ``--jobs 1``;
3. a second batch with nothing changed against the first;
4. reading, cleaning and scoring a synthetic round of 200,000 respondents
   (one CSV) against pandas reading the same CSV with the pyarrow engine,
   with the peak memory (resident set size) of each. Scoring goes by the
   round's wide answers (``score_round``); the long answers table, a view
   derived from them on first use, is not built.


Times are medians of ``--repeat`` runs (default 3); the two sides of 1 and 2
take turns, so a machine that gets busier or quieter moves both alike.
Targets: 1 at most 1.5x; 2 at least 1.7x faster; 3 under 5 %; 4 within 2x
and under 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "raw" / "example-2025"
PYTHON = sys.executable


def _timed(args: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   **kwargs)
    return time.perf_counter() - start


def _median(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


FLOOR = textwrap.dedent("""
    import sys, nbformat, papermill
    from nbconvert import HTMLExporter
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, sys.argv[1] + "/empty.ipynb")
    papermill.execute_notebook(sys.argv[1] + "/empty.ipynb", sys.argv[1] + "/out.ipynb",
                               progress_bar=False)
    body, _ = HTMLExporter().from_filename(sys.argv[1] + "/out.ipynb")
    open(sys.argv[1] + "/out.html", "w").write(body)
""")


WARM = textwrap.dedent("""
    import sys, time
    from mus_analysis.report import build_report
    for line in sys.stdin:  # one report per line; the first warms the process up
        start = time.perf_counter()
        build_report(sys.argv[1], sys.argv[2], processed_dir=sys.argv[2] + "/processed")
        print(time.perf_counter() - start, flush=True)
""")


def report_vs_floor(work: Path, repeat: int) -> tuple[float, float, float]:
    """1: a round's report, in a warm process and in a fresh one, against papermill
    + nbconvert of an empty notebook.

    The floor and the warm report take turns, so a machine that gets busier
    or quieter during the run moves both alike.
    """
    work.mkdir(parents=True)
    worker = subprocess.Popen([PYTHON, "-c", WARM, str(EXAMPLE), str(work / "w")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def warm_report() -> float:
        worker.stdin.write("build\n")
        worker.stdin.flush()
        return float(worker.stdout.readline())

    warm_report()
    floors, warms = [], []
    for _ in range(repeat):
        floors.append(_timed([PYTHON, "-c", FLOOR, str(work)]))
        warms.append(warm_report())
    worker.stdin.close()
    if worker.wait():
        raise SystemExit("the warm report process failed")
    cold = _median(repeat, lambda: _timed(
        [PYTHON, "-m", "mus_analysis", "report", str(EXAMPLE), "--out", str(work / "r"),
         "--processed", str(work / "p")]))
    return statistics.median(warms), cold, statistics.median(floors)


def _rounds(work: Path, count: int) -> Path:
    raw = work / "raw"
    sources = sorted(p for p in (ROOT / "data" / "raw").iterdir()
                     if p.is_dir() and p.name.startswith("example-"))
    for n in range(count):
        shutil.copytree(sources[n % len(sources)], raw / f"round-{n + 1:02d}")
    return raw


def batch_jobs(work: Path, repeat: int) -> tuple[float, float, float]:
    """2 and 3: 12 rounds with 2 workers and with 1, taking turns (``--force``
    after the first time), then again with nothing changed."""
    raw = _rounds(work, 12)
    batch = [PYTHON, "-m", "mus_analysis", "-q", "batch", str(raw)]
    ones, twos = [], []
    for n in range(repeat):
        again = ["--force"] if n else []
        ones.append(_timed([*batch, "--out", str(work / "j1"), "--jobs", "1", *again]))
        twos.append(_timed([*batch, "--out", str(work / "j2"), "--jobs", "2", *again]))
    unchanged = _median(3, lambda: _timed([*batch, "--out", str(work / "j2"), "--jobs", "2"]))
    return statistics.median(ones), statistics.median(twos), unchanged


# The peak resident set size of this process: VmHWM where the system has it,
# as getrusage's ru_maxrss on Linux keeps the peak of the process that started
# this one (the benchmark itself, holding the generated round) across exec.
PEAK = textwrap.dedent("""
    def peak():
        try:
            with open("/proc/self/status") as status:
                line = next(line for line in status if line.startswith("VmHWM:"))
            return int(line.split()[1]) * 1024
        except (OSError, StopIteration):
            import resource
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
""")

BIG_READ = PEAK + textwrap.dedent("""
    import json, sys, time
    import pandas as pd
    start = time.perf_counter()
    frame = pd.read_csv(sys.argv[1], sep=";", engine="pyarrow", dtype=str)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak": peak(), "rows": len(frame)}))
""")

BIG_SCORE = PEAK + textwrap.dedent("""
    import json, sys, time
    import pandas as pd
    from mus_analysis.read import read_round
    from mus_analysis.score import score_round
    start = time.perf_counter()
    data = read_round(sys.argv[2])
    scored = score_round(data)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak": peak(), "rows": len(scored)}))
""")


def _big_round(folder: Path, respondents: int) -> Path:
    """A semicolon CSV of employees with statement headers, labels and a unit."""
    import numpy as np
    import pandas as pd

    from mus_analysis import load_instrument

    rng = np.random.default_rng(7)
    instrument = load_instrument()
    labels = np.array(instrument.scale["da"].tolist() + [""])
    columns = {"Navn": np.char.add("Person ", np.arange(respondents).astype(str)),
               "Afdeling": rng.choice(["Økonomi", "HR", "IT", "Jura"], respondents)}
    for text in instrument.role_items("employee")["da"]:
        columns[text] = labels[rng.choice(6, respondents, p=[.05, .1, .25, .35, .24, .01])]
    folder.mkdir(parents=True)
    path = folder / "Medarbejdere.csv"
    pd.DataFrame(columns).to_csv(path, sep=";", index=False, encoding="utf-8")
    return path


def big_round(work: Path, respondents: int, repeat: int) -> tuple[dict, dict]:
    """4: read, clean and score a large round against a pyarrow read of its CSV."""
    path = _big_round(work / "big", respondents)

    def run(code: str) -> dict:
        out = subprocess.run([PYTHON, "-c", code, str(path), str(path.parent)], check=True,
                             capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    reads = [run(BIG_READ) for _ in range(repeat)]
    scores = [run(BIG_SCORE) for _ in range(repeat)]
    pick = lambda runs: {"seconds": statistics.median(r["seconds"] for r in runs),  # noqa: E731
                         "peak": max(r["peak"] for r in runs), "rows": runs[0]["rows"]}
    return pick(scores), pick(reads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, choices=[1, 2, 3, 4], action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--respondents", type=int, default=200_000)
    args = parser.parse_args()
    only = set(args.only or [1, 2, 3, 4])

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="mus-bench-") as tmp:
        work = Path(tmp)
        if 1 in only:
            warm, cold, floor = report_vs_floor(work / "one", args.repeat)
            print(f"1. round report {warm:.2f} s / floor {floor:.2f} s "
                  f"= {warm / floor:.2f}x (target <= 1.5x); in a fresh process, "
                  f"start-up included: {cold:.2f} s = {cold / floor:.2f}x")
        if only & {2, 3}:
            one, two, again = batch_jobs(work / "batch", args.repeat)
            print(f"2. 12 rounds: --jobs 1 {one:.1f} s / --jobs 2 {two:.1f} s "
                  f"= {one / two:.2f}x faster (target >= 1.7x)")
            print(f"3. unchanged second run {again:.2f} s / first {two:.1f} s "
                  f"= {100 * again / two:.1f} % (target < 5 %)")
        if 4 in only:
            score, read = big_round(work / "big", args.respondents, args.repeat)
            print(f"4. {score['rows']:,} respondents: read+clean+score {score['seconds']:.2f} s"
                  f" / pyarrow read {read['seconds']:.2f} s = "
                  f"{score['seconds'] / read['seconds']:.2f}x (target <= 2x); peak memory "
                  f"{score['peak'] / 2**20:.0f} MiB vs {read['peak'] / 2**20:.0f} MiB "
                  "(target < 1024 MiB)")


if __name__ == "__main__":
    main()
