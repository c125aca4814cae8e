"""Batch runs as a scheduler sees them: exit status, one line per round, files."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw"


def batch(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "mus_analysis", "batch", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def raw(tmp_path):
    """Two good rounds and one broken one."""
    folder = tmp_path / "raw"
    for name in ("example-2025", "example-2026"):
        shutil.copytree(EXAMPLES / name, folder / name)
    (folder / "broken").mkdir()
    (folder / "broken" / "svar.xlsx").write_bytes(b"PK\x03\x04 cut off here")
    return folder


def lines(result):
    return [ln for ln in result.stdout.splitlines() if ln.strip()]


def test_broken_round_fails_alone_and_second_run_builds_nothing(raw, tmp_path):
    out = tmp_path / "reports"
    first = batch(raw, "--out", out, "--jobs", "2")
    assert first.returncode == 1
    got = lines(first)
    assert len(got) == 3
    assert got[0].startswith("failed") and "broken" in got[0] and "svar.xlsx" in got[0]
    assert got[1].startswith("built") and "example-2025" in got[1]
    assert got[2].startswith("built") and "example-2026" in got[2]
    assert "Traceback" not in first.stdout + first.stderr
    # The failed round keeps its executed notebook, open at the failing cell.
    failed_nb = json.loads((out / "broken" / "broken.failed.ipynb").read_text("utf-8"))
    errors = [o for c in failed_nb["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "RoundError"
    assert not (out / "broken" / "broken.html").exists()
    for name in ("example-2025", "example-2026"):
        assert (out / name / f"{name}.html").is_file()

    # Nothing changed: nothing is built; the known failure is still reported.
    second = batch(raw, "--out", out)
    got = lines(second)
    assert second.returncode == 1
    assert got[0].startswith("failed") and "unchanged since it failed" in got[0]
    assert got[1:] == ["up to date example-2025", "up to date example-2026"]

    # A changed export is rebuilt; --force rebuilds all.
    shutil.rmtree(raw / "broken")
    (raw / "example-2026" / "Medarbejdere.csv").write_bytes(
        (raw / "example-2026" / "Medarbejdere.csv").read_bytes() + b"\r\n")
    third = batch(raw, "--out", out, "--dry-run")
    assert lines(third) == ["up to date example-2025",
                            "would build example-2026: exports changed"]
    assert third.returncode == 0
    fourth = batch(raw, "--out", out, "--force", "--quiet")
    assert fourth.returncode == 0
    assert [ln.split()[0] for ln in lines(fourth)] == ["built", "built"]


def test_log_file_per_run_without_respondent_data(raw, tmp_path):
    out = tmp_path / "reports"
    shutil.rmtree(raw / "broken")
    result = batch(raw, "--out", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    logs = list((out / "logs").glob("batch-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text("utf-8")
    assert "example-2025" in text and "built" in text
    assert "@" not in text  # no e-mail address from the exports


def test_parallel_and_serial_give_the_same_figures(raw, tmp_path):
    shutil.rmtree(raw / "broken")
    for jobs in ("1", "2"):
        assert batch(raw, "--out", tmp_path / jobs, "--jobs", jobs).returncode == 0
    for name in ("example-2025", "example-2026"):
        one = json.loads((tmp_path / "1" / name / "summary.json").read_text("utf-8"))
        two = json.loads((tmp_path / "2" / name / "summary.json").read_text("utf-8"))
        assert one == two


def test_missing_or_empty_raw_folder(tmp_path):
    result = batch(tmp_path / "nope", "--out", tmp_path / "r")
    assert result.returncode == 2 and "is not a folder" in result.stderr
    (tmp_path / "empty").mkdir()
    result = batch(tmp_path / "empty", "--out", tmp_path / "r")
    assert result.returncode == 2 and "holds no round folder" in result.stderr


def _report_state(folder: Path) -> str:
    """'da' or 'en' if the folder is one complete report; fails otherwise."""
    names = {p.name for p in folder.iterdir()}
    assert {f"{folder.name}.html", "summary.json", "build.json"} <= names, names
    lang = json.loads((folder / "build.json").read_text("utf-8"))["parameters"]["lang"]
    html = (folder / f"{folder.name}.html").read_text("utf-8")
    assert f'<html lang="{lang}">' in html
    json.loads((folder / "summary.json").read_text("utf-8"))
    return lang


def test_killed_batch_leaves_old_or_new_complete_reports(raw, tmp_path):
    out = tmp_path / "reports"
    shutil.rmtree(raw / "broken")
    shutil.copytree(raw / "example-2025", raw / "copy-2025")
    assert batch(raw, "--out", out, "--lang", "da").returncode == 0
    seen = set()
    for delay in (0.3, 1.5, 3.0, 4.5, 6.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "mus_analysis", "-q", "batch", str(raw), "--out", str(out),
             "--lang", "en", "--force", "--jobs", "2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for name in ("example-2025", "example-2026", "copy-2025"):
            seen.add(_report_state(out / name))
        visible = {p.name for p in out.iterdir() if not p.name.startswith(".")}
        assert visible == {"logs", "example-2025", "example-2026", "copy-2025"}
    # The next run finishes the job and clears what the killed runs left.
    result = batch(raw, "--out", out, "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("example-2025", "example-2026", "copy-2025"):
        assert _report_state(out / name) == "en"
    assert not [p for p in out.iterdir() if p.name.endswith((".partial", ".old"))]
    assert "da" in seen


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_killed_batch_takes_its_workers_along(raw, tmp_path):
    out = tmp_path / "reports"
    shutil.rmtree(raw / "broken")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mus_analysis", "-q", "batch", str(raw), "--out", str(out),
         "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2
    time.sleep(1.0)
    proc.kill()                        # the batch alone, as an out-of-memory killer would
    proc.wait()
    deadline = time.monotonic() + 30
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, workers))
    # Nothing holds the output folder: the next run builds and clears up.
    result = batch(raw, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [p for p in out.iterdir() if p.name.endswith((".partial", ".old"))]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_a_killed_worker_costs_a_retry_not_the_batch(raw, tmp_path):
    out = tmp_path / "reports"
    shutil.rmtree(raw / "broken")
    shutil.copytree(raw / "example-2025", raw / "copy-2025")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mus_analysis", "-q", "batch", str(raw), "--out", str(out),
         "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    os.kill(workers[0], signal.SIGKILL)                 # one worker, mid-way
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stdout + stderr
    assert sorted(ln.split()[0] for ln in stdout.splitlines() if ln.strip()) == ["built"] * 3
    for name in ("example-2025", "example-2026", "copy-2025"):
        _report_state(out / name)
    assert not [p for p in out.iterdir() if p.name.endswith((".partial", ".old"))]
    log = next((out / "logs").glob("batch-*.log")).read_text("utf-8")
    assert "a worker stopped (BrokenProcessPool)" in log


def test_a_run_with_nothing_to_build_clears_what_a_killed_run_left(raw, tmp_path):
    out = tmp_path / "reports"
    shutil.rmtree(raw / "broken")
    assert batch(raw, "--out", out).returncode == 0
    left = out / ".example-2025.k1ll3d.partial"          # a killed run's staging folder
    left.mkdir()
    (left / "example-2025.html").write_text("<html>half")
    result = batch(raw, "--out", out)
    assert result.returncode == 0
    assert [ln.split()[:3] for ln in lines(result)] == [
        ["up", "to", "date"], ["up", "to", "date"]]
    assert not left.exists()


def test_rounds_outside_data_raw_keep_their_folder_clean(tmp_path):
    exports = tmp_path / "exports"           # not named raw: no data/processed beside it
    shutil.copytree(EXAMPLES / "example-2025", exports / "r1")
    out = tmp_path / "reports"
    assert batch(exports, "--out", out).returncode == 0
    assert sorted(p.name for p in exports.iterdir()) == ["r1"]
    assert (out / "r1" / "processed" / "answers.parquet").is_file()
    again = batch(exports, "--out", out)
    assert again.returncode == 0 and lines(again) == ["up to date r1"]
