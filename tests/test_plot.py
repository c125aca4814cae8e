"""Tests of the report's charts, read from the artists they draw."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from mus_analysis import load_instrument  # noqa: E402
from mus_analysis.plot import (  # noqa: E402
    ROLE_PALETTE,
    SCALE_PALETTE,
    plot_bands,
    plot_pairs,
    plot_spread,
)

SCALE_DA = ["Aldrig", "Sjældent", "Af og til", "Oftest", "Altid"]
SCALE_EN = ["Never", "Rarely", "Sometimes", "Mostly", "Always"]
L09_DA = (
    "Den enkeltes udviklingsbehov drøftes under MUS (fx kompetencer, motivation, "
    "employability eller fortsatte karriere)"
)
L20_EN = (
    "I am open to the employees' new ideas and suggestions (e.g. new ways of working, "
    "big and small everyday improvements)"
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def bands():
    """Leaders in three bands, employees in four; no one in 0-20."""
    return pd.DataFrame({
        "role": ["leader", "leader", "leader", "employee", "employee", "employee", "employee"],
        "band": ["41-60", "61-80", "81-100", "21-40", "41-60", "61-80", "81-100"],
        "count": [1, 4, 2, 2, 9, 14, 5],
    })


@pytest.fixture
def spread():
    """Three leader statements with known shares, and one employee statement."""
    shares = {
        "L01": [0.10, 0.20, 0.30, 0.25, 0.15],
        "L09": [0.0, 0.0, 0.50, 0.50, 0.0],
        "L20": [0.07, 0.08, 0.10, 0.25, 0.50],
        "E01": [0.0, 0.0, 0.0, 0.0, 1.0],
    }
    rows = [
        ("employee" if item.startswith("E") else "leader", item, points, round(share * 100), share)
        for item, values in shares.items()
        for points, share in enumerate(values, start=1)
        if share > 0
    ]
    return pd.DataFrame(rows, columns=["role", "item", "points", "count", "share"])


@pytest.fixture
def pairs():
    """Three pairs, sorted by the size of the gap; the last has none."""
    return pd.DataFrame({
        "pair": ["P09", "P16", "P01"],
        "leader_mean": [4.0, 2.0, 3.5],
        "employee_mean": [2.5, 3.0, 3.5],
        "gap": [1.5, -1.0, 0.0],
    })


def tick_texts(labels):
    return [label.get_text() for label in labels]


def legend_texts(legend):
    return [text.get_text() for text in legend.get_texts()]


def bars_by_role(ax):
    """Map each legend label to its bars' (y centre, width), top bar first."""
    return {
        container.get_label(): sorted(
            (bar.get_y() + bar.get_height() / 2, bar.get_width()) for bar in container
        )
        for container in ax.containers
    }


def segments(ax, y):
    """The stacked segments of the bar at ``y``, left to right."""
    found = [
        p for p in ax.patches
        if isinstance(p, Rectangle) and abs(p.get_y() + p.get_height() / 2 - y) < 1e-9
    ]
    return sorted(found, key=lambda p: p.get_x())


# plot_bands ----------------------------------------------------------------


def test_bands_bar_widths_are_the_counts_top_band_first(bands):
    ax = plot_bands(bands)
    drawn = bars_by_role(ax)
    assert list(drawn) == ["Ledere", "Medarbejdere"]
    # Bands from the top: 81-100, 61-80, 41-60, 21-40, 0-20; missing bands are 0.
    assert [w for _, w in drawn["Ledere"]] == [2, 4, 1, 0, 0]
    assert [w for _, w in drawn["Medarbejdere"]] == [5, 14, 9, 2, 0]
    assert len(ax.patches) == 10


def test_bands_bars_sit_on_their_band_tick(bands):
    ax = plot_bands(bands)
    ticks = dict(zip((t.split("\n")[0] for t in tick_texts(ax.get_yticklabels())),
                     ax.get_yticks()))
    for bars in bars_by_role(ax).values():
        for (y, _), band in zip(bars, ["81-100", "61-80", "41-60", "21-40", "0-20"]):
            assert abs(y - ticks[band]) < 0.5
    # The top band is drawn at the top of the axes.
    assert ax.yaxis_inverted()


def test_bands_write_the_count_at_each_bar(bands):
    ax = plot_bands(bands)
    assert sorted(int(t.get_text()) for t in ax.texts) == sorted([2, 4, 1, 0, 0, 5, 14, 9, 2, 0])


def test_bands_labels_in_danish(bands):
    ax = plot_bands(bands)
    labels = [t.replace("\n", " ") for t in tick_texts(ax.get_yticklabels())]
    assert labels[0] == "81-100 Jeres MUS-proces skaber stor værdi."
    assert labels[-1] == "0-20 Jeres MUS-proces skaber næsten ingen værdi."
    assert labels[2] == "41-60 Jeres MUS-proces kan blive bedre, så den skaber mere værdi."
    assert ax.get_xlabel() == "Antal respondenter"
    assert ax.get_title(loc="left").startswith("Tendens")
    assert legend_texts(ax.get_legend()) == ["Ledere", "Medarbejdere"]


def test_bands_labels_in_english(bands):
    ax = plot_bands(bands, lang="en")
    labels = [t.replace("\n", " ") for t in tick_texts(ax.get_yticklabels())]
    assert labels[0] == "81-100 Your MUS process creates great value."
    assert labels[1] == "61-80 Your MUS process creates value."
    assert ax.get_xlabel() == "Number of respondents"
    assert legend_texts(ax.get_legend()) == ["Leaders", "Employees"]


def test_bands_verdicts_are_wrapped(bands):
    ax = plot_bands(bands)
    label = tick_texts(ax.get_yticklabels())[2]
    assert label.count("\n") >= 2


def test_bands_draw_only_the_roles_present(bands):
    ax = plot_bands(bands[bands["role"] == "employee"])
    drawn = bars_by_role(ax)
    assert list(drawn) == ["Medarbejdere"]
    assert [w for _, w in drawn["Medarbejdere"]] == [5, 14, 9, 2, 0]
    assert legend_texts(ax.get_legend()) == ["Medarbejdere"]
    assert {p.get_facecolor() for p in ax.patches} == {to_rgba(ROLE_PALETTE["employee"])}


def test_bands_without_rows_draw_empty_bands():
    empty = pd.DataFrame({"role": [], "band": [], "count": []})
    ax = plot_bands(empty)
    assert len(ax.patches) == 0
    assert len(ax.get_yticklabels()) == 5
    assert ax.get_legend() is None


def test_bands_draw_on_the_given_axes_and_keep_the_input(bands):
    before = bands.copy()
    _, ax = plt.subplots()
    assert plot_bands(bands, ax=ax) is ax
    pd.testing.assert_frame_equal(bands, before)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.drop(columns="count"),
         r"`data` lacks 1 of the 3 required columns: \['count'\]"),
        (lambda d: d.drop(columns=["role", "band"]),
         r"`data` lacks 2 of the 3 required columns: \['role', 'band'\]"),
        (lambda d: d.assign(band=d["band"].replace("61-80", "60-80")),
         r"The value for `band` must be one of \['0-20', '21-40', '41-60', '61-80', "
         r"'81-100'\], but '60-80' was passed\."),
        (lambda d: d.assign(role=d["role"].replace("leader", "boss")),
         r"The value for `role` must be one of \['leader', 'employee'\], "
         r"but 'boss' was passed\."),
        (lambda d: d.assign(count=d["count"].replace(9, -1)),
         r"`count` must hold whole numbers of 0 or more, but -1 was passed"),
        (lambda d: d.assign(count=d["count"].replace(9, 2.5)),
         r"`count` must hold whole numbers of 0 or more, but 2.5 was passed"),
        (lambda d: pd.concat([d, d.iloc[:1]]),
         r"one row per role and band, but 2 rows share a key"),
    ],
)
def test_bands_reject_bad_data(bands, change, match):
    with pytest.raises(ValueError, match=match):
        plot_bands(change(bands))


def test_bands_reject_bad_lang(bands):
    match = r"The value for `lang` must be one of \['da', 'en'\], but 'fr' was passed\."
    with pytest.raises(ValueError, match=match):
        plot_bands(bands, lang="fr")


def test_bands_reject_a_non_frame():
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame, not list"):
        plot_bands([("leader", "61-80", 3)])


# plot_spread ---------------------------------------------------------------


def spread_segments(fig, k):
    """The stacked segments of the ``k``-th statement's bar (0 = the first, at the
    top) as (left, width, colour), left to right."""
    (ax,) = fig.axes
    y = ax.get_yticks()[k]
    (bars,) = ax.collections
    found = []
    for path, colour in zip(bars.get_paths(), bars.get_facecolors()):
        (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        if y0 < y < y1:
            found.append((x0, x1 - x0, tuple(colour)))
    return sorted(found)


def section_headings(fig):
    """The bold section headings as (text, y), top to bottom."""
    (ax,) = fig.axes
    return [(t.get_text(), t.get_position()[1]) for t in ax.texts
            if t.get_fontweight() == "bold"]


def section_labels(fig, index):
    """The percentage labels of the ``index``-th section, in drawing order."""
    (ax,) = fig.axes
    tops = [y for _, y in section_headings(fig)] + [ax.get_ylim()[0]]
    return [t.get_text() for t in ax.texts if t.get_fontweight() != "bold"
            and tops[index] < t.get_position()[1] < tops[index + 1]]


def test_spread_has_a_heading_per_section_above_its_statements(spread):
    fig = plot_spread(spread, role="leader")
    headings = section_headings(fig)
    assert [text for text, _ in headings] == [
        "Forberedelse og gennemførelse af MUS", "Samtalen", "Værdien af MUS",
        "Nye ideer og forslag",
    ]
    ticks = fig.axes[0].get_yticks()
    tops = [y for _, y in headings] + [fig.axes[0].get_ylim()[0]]
    assert [int(((ticks > a) & (ticks < b)).sum()) for a, b in zip(tops, tops[1:])] == \
        [5, 4, 8, 3]


def test_spread_bars_are_equally_tall_and_spaced(spread):
    fig = plot_spread(spread, role="leader")
    heights = {round(float(np.ptp(path.vertices[:, 1])), 9)
               for path in fig.axes[0].collections[0].get_paths()}
    assert heights == {0.72}
    gaps = np.diff(fig.axes[0].get_yticks())
    assert sorted(set(np.round(gaps, 9))) == [1.0, 1.7]          # within / across sections


def test_spread_segments_are_the_shares_in_scale_order(spread):
    fig = plot_spread(spread, role="leader")
    first = spread_segments(fig, 0)  # L01
    assert [w for _, w, _ in first] == pytest.approx([10, 20, 30, 25, 15])
    assert [x for x, _, _ in first] == pytest.approx([0, 10, 30, 60, 85])
    assert [c for _, _, c in first] == [to_rgba(c) for c in SCALE_PALETTE]
    needs = spread_segments(fig, 8)  # L09: 50 % Af og til, 50 % Oftest
    assert [(w, c) for _, w, c in needs] == [(50, to_rgba(SCALE_PALETTE[2])),
                                             (50, to_rgba(SCALE_PALETTE[3]))]


def test_spread_bars_of_statements_without_rows_are_empty(spread):
    fig = plot_spread(spread, role="leader")
    assert spread_segments(fig, 1) == []  # L02


def test_spread_ignores_the_other_role(spread):
    fig = plot_spread(spread, role="employee")
    first = spread_segments(fig, 0)  # E01
    assert [(x, w) for x, w, _ in first] == [(0, 100)]
    assert len(fig.axes[0].collections[0].get_paths()) == 1


def test_spread_labels_segments_of_eight_percent_or_more(spread):
    fig = plot_spread(spread, role="leader")
    assert section_labels(fig, 0) == ["10 %", "20 %", "30 %", "25 %", "15 %"]
    # L20 is the last statement of the last section: 7 % gets no label, 8 % does.
    assert section_labels(fig, 3) == ["8 %", "10 %", "25 %", "50 %"]


def test_spread_percent_labels_in_english(spread):
    fig = plot_spread(spread, role="leader", lang="en")
    assert section_labels(fig, 0) == ["10%", "20%", "30%", "25%", "15%"]
    assert tick_texts(fig.axes[0].get_xticklabels()) == ["0%", "25%", "50%", "75%", "100%"]


def test_spread_statements_in_questionnaire_order(spread):
    fig = plot_spread(spread, role="leader")
    assert tick_texts(fig.axes[0].get_yticklabels())[:2] == [
        "MUS gennemføres", "Jeg er godt forberedt til MUS",
    ]
    fig = plot_spread(spread, role="employee", lang="en")
    assert [t.replace("\n", " ") for t in tick_texts(fig.axes[0].get_yticklabels())[-3:]] == [
        "I find that I am open to my leader's new ideas and suggestions (e.g. new ways of "
        "working, big and small everyday improvements)",
        "I bring new ideas and suggestions to MUS",
        "I find my leader open to my new ideas and suggestions",
    ]


@pytest.mark.parametrize(("lang", "k", "text"), [("da", 8, L09_DA), ("en", 19, L20_EN)])
def test_spread_wraps_long_statements_without_cutting_them(spread, lang, k, text):
    fig = plot_spread(spread, role="leader", lang=lang)
    label = tick_texts(fig.axes[0].get_yticklabels())[k]
    lines = label.split("\n")
    assert len(lines) >= 2
    assert max(len(line) for line in lines) <= 55
    assert " ".join(lines) == text


def test_spread_legend_has_the_scale_in_order(spread):
    fig = plot_spread(spread, role="leader")
    (legend,) = fig.legends
    assert legend_texts(legend) == SCALE_DA
    assert [h.get_facecolor() for h in legend.legend_handles] == [
        to_rgba(c) for c in SCALE_PALETTE
    ]
    fig = plot_spread(spread, role="leader", lang="en")
    assert legend_texts(fig.legends[0]) == SCALE_EN


def test_spread_colours_are_the_same_for_both_roles(spread):
    leader = plot_spread(spread, role="leader")
    employee = plot_spread(spread, role="employee", lang="en")
    assert [c for _, _, c in spread_segments(employee, 0)] == [to_rgba(SCALE_PALETTE[4])]
    assert [c for _, _, c in spread_segments(leader, 0)][4] == to_rgba(SCALE_PALETTE[4])
    assert len(set(SCALE_PALETTE)) == 5


def test_spread_axis_and_title_words(spread):
    fig = plot_spread(spread, role="leader")
    (ax,) = fig.axes
    assert ax.get_xlim() == (0, 100)
    assert tick_texts(ax.get_xticklabels()) == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert ax.get_xlabel() == "Andel af svarene"
    assert fig.get_suptitle() == "Spredning: Ledere"
    fig = plot_spread(spread, role="employee", lang="en")
    assert fig.get_suptitle() == "Spread: Employees"
    assert fig.axes[0].get_xlabel() == "Share of answers"


def test_spread_of_an_own_questionnaire_draws_its_texts_plainly(spread, tmp_path):
    toml = (Path(plot_spread.__code__.co_filename).parent / "data" / "instrument.toml")
    long = " ".join(["Vi taler om arbejdsopgaver og udvikling"] * 8)        # about 320 letters
    own = toml.read_text("utf-8").replace('da = "MUS gennemføres"',
                                          f'da = "{long} $\\\\foo$"', 1)
    (tmp_path / "own.toml").write_text(own, encoding="utf-8")
    fig = plot_spread(spread, role="leader", instrument=load_instrument(tmp_path / "own.toml"))
    label = tick_texts(fig.axes[0].get_yticklabels())[0]
    lines = label.count("\n") + 1
    assert lines > 3 and label.endswith(r"\$\foo\$")    # a $ starts no mathematics
    fig.canvas.draw()                                       # draws, no mathtext error
    gaps = np.diff(fig.axes[0].get_yticks())
    assert gaps[0] == pytest.approx((lines / 3 + 1) / 2)    # its row is as tall as its text
    assert gaps[1] == pytest.approx(1)


def test_spread_draws_on_the_given_figure_and_keeps_the_input(spread):
    before = spread.copy()
    fig = plt.figure()
    assert plot_spread(spread, role="leader", fig=fig) is fig
    assert len(fig.axes) == 1
    pd.testing.assert_frame_equal(spread, before)


def test_spread_reject_bad_role(spread):
    match = (
        r"The value for `role` must be one of \['leader', 'employee'\], but 'boss' was passed\."
    )
    with pytest.raises(ValueError, match=match):
        plot_spread(spread, role="boss")


def test_spread_reject_bad_lang(spread):
    match = r"The value for `lang` must be one of \['da', 'en'\], but 'de' was passed\."
    with pytest.raises(ValueError, match=match):
        plot_spread(spread, role="leader", lang="de")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.drop(columns="share"),
         r"`data` lacks 1 of the 4 required columns: \['share'\]"),
        (lambda d: d[d["role"] == "employee"],
         r"`data` has no rows for role 'leader'"),
        (lambda d: d.assign(item=d["item"].replace("L09", "E09")),
         r"The value for `item` must be one of \['L01', .*'L20'\], but 'E09' was passed\."),
        (lambda d: d.assign(points=d["points"].replace(5, 6)),
         r"The value for `points` must be one of \[1, 2, 3, 4, 5\], but 6 was passed\."),
        (lambda d: d.assign(share=d["share"].replace(0.5, 1.5)),
         r"`share` must hold fractions from 0 to 1, but 1.5 was passed"),
        (lambda d: pd.concat([d, d.iloc[:1]]),
         r"one row per item and points, but 2 rows share a key"),
    ],
)
def test_spread_reject_bad_data(spread, change, match):
    with pytest.raises(ValueError, match=match):
        plot_spread(change(spread), role="leader")


# plot_pairs ----------------------------------------------------------------


def markers(ax):
    return {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}


def test_pairs_rows_keep_the_given_order(pairs):
    ax = plot_pairs(pairs)
    assert tick_texts(ax.get_yticklabels()) == [
        "Udviklingsbehov drøftet", "Ideer bliver implementeret", "MUS gennemføres",
    ]
    assert ax.yaxis_inverted()
    ax = plot_pairs(pairs, lang="en")
    assert tick_texts(ax.get_yticklabels()) == [
        "Development needs discussed", "Ideas implemented", "MUS is carried out",
    ]


def test_pairs_markers_sit_at_the_means(pairs):
    drawn = markers(plot_pairs(pairs))
    assert drawn["Ledere"].get_offsets().tolist() == [[4.0, 0], [2.0, 1], [3.5, 2]]
    assert drawn["Medarbejdere"].get_offsets().tolist() == [[2.5, 0], [3.0, 1], [3.5, 2]]
    assert tuple(drawn["Ledere"].get_facecolor()[0]) == to_rgba(ROLE_PALETTE["leader"])
    assert tuple(drawn["Medarbejdere"].get_facecolor()[0]) == to_rgba(ROLE_PALETTE["employee"])


def test_pairs_lines_join_the_two_means(pairs):
    ax = plot_pairs(pairs)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    ends = [sorted(seg[:, 0].tolist()) for seg in lines.get_segments()]
    assert ends == [[2.5, 4.0], [2.0, 3.0], [3.5, 3.5]]


def test_pairs_legend_and_axis_words(pairs):
    ax = plot_pairs(pairs)
    assert legend_texts(ax.get_legend()) == ["Ledere", "Medarbejdere"]
    assert ax.get_xticks().tolist() == [1, 2, 3, 4, 5]
    assert tick_texts(ax.get_xticklabels()) == SCALE_DA
    assert ax.get_xlabel() == "Gennemsnitligt svar"
    ax = plot_pairs(pairs, lang="en")
    assert legend_texts(ax.get_legend()) == ["Leaders", "Employees"]
    assert tick_texts(ax.get_xticklabels()) == SCALE_EN
    assert ax.get_xlabel() == "Mean answer"


def test_pairs_write_the_gap(pairs):
    ax = plot_pairs(pairs)
    assert [t.get_text() for t in ax.texts] == ["+1,5", "\u22121,0", "+0,0", "Forskel"]
    ax = plot_pairs(pairs, lang="en")
    assert [t.get_text() for t in ax.texts] == ["+1.5", "\u22121.0", "+0.0", "Gap"]


def test_pairs_role_colours_match_the_bands_chart(pairs, bands):
    pair_markers = markers(plot_pairs(pairs))
    band_bars = {c.get_label(): c.patches[0].get_facecolor() for c in plot_bands(bands).containers}
    for name in ("Ledere", "Medarbejdere"):
        assert tuple(pair_markers[name].get_facecolor()[0]) == band_bars[name]


def test_pairs_accept_a_withheld_role(pairs):
    withheld = pairs.assign(employee_mean=np.nan, gap=np.nan)
    ax = plot_pairs(withheld)
    assert markers(ax)["Ledere"].get_offsets().tolist() == [[4.0, 0], [2.0, 1], [3.5, 2]]
    assert [t.get_text() for t in ax.texts] == ["Forskel"]


def test_pairs_give_a_long_topic_a_taller_row(pairs, tmp_path):
    toml = Path(plot_pairs.__code__.co_filename).parent / "data" / "instrument.toml"
    long = " ".join(["Udviklingsbehov drøftet grundigt og længe"] * 4)   # five lines of 40
    own = toml.read_text("utf-8").replace('da = "Udviklingsbehov drøftet"', f'da = "{long}"', 1)
    (tmp_path / "own.toml").write_text(own, encoding="utf-8")
    ax = plot_pairs(pairs, instrument=load_instrument(tmp_path / "own.toml"))
    lines = tick_texts(ax.get_yticklabels())[0].count("\n") + 1
    assert lines > 2
    ticks = ax.get_yticks()
    assert ticks[1] - ticks[0] == pytest.approx((lines / 2 + 1) / 2)
    assert ticks[2] - ticks[1] == pytest.approx(1)
    assert markers(ax)["Ledere"].get_offsets()[:, 1].tolist() == pytest.approx(ticks.tolist())


def test_pairs_draw_on_the_given_axes_and_keep_the_input(pairs):
    before = pairs.copy()
    _, ax = plt.subplots()
    assert plot_pairs(pairs, ax=ax) is ax
    pd.testing.assert_frame_equal(pairs, before)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.drop(columns=["gap", "leader_mean"]),
         r"`data` lacks 2 of the 4 required columns: \['leader_mean', 'gap'\]"),
        (lambda d: d.assign(pair=["P09", "P16", "P21"]),
         r"The value for `pair` must be one of \['P01', .*'P20'\], but 'P21' was passed\."),
        (lambda d: d.assign(pair=["P09", "P16", "P09"]),
         r"one row per pair, but 2 rows share a key"),
        (lambda d: d.assign(leader_mean=[4.0, 6.0, 3.5]),
         r"`leader_mean` must hold mean points from 1 to 5, but 6.0 was passed"),
        (lambda d: d.assign(employee_mean=[0.5, 3.0, 3.5]),
         r"`employee_mean` must hold mean points from 1 to 5, but 0.5 was passed"),
        (lambda d: d.iloc[:0], r"`data` has no rows; there are no pairs to draw\."),
    ],
)
def test_pairs_reject_bad_data(pairs, change, match):
    with pytest.raises(ValueError, match=match):
        plot_pairs(change(pairs))


def test_pairs_reject_bad_lang(pairs):
    match = r"The value for `lang` must be one of \['da', 'en'\], but 'EN' was passed\."
    with pytest.raises(ValueError, match=match):
        plot_pairs(pairs, lang="EN")


# Colour-blind readers --------------------------------------------------------


# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
DEFICIENCIES = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab(rgb_linear):
    """CIE L*a*b* (D65) of a linear sRGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ rgb_linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_scale_colours_stay_apart_for_colour_blind_readers(deficiency):
    srgb = np.array([matplotlib.colors.to_rgb(c) for c in SCALE_PALETTE])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = [lab(np.clip(np.array(DEFICIENCIES[deficiency]) @ c, 0, 1)) for c in linear]
    distances = [np.linalg.norm(seen[i] - seen[j]) for i in range(5) for j in range(i + 1, 5)]
    assert min(distances) > 20       # CIE76: clearly different colours, not shades of one
