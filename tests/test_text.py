"""The report's words and numbers, and the headline figures they are made from."""

from __future__ import annotations

import pandas as pd
import pytest

from mus_analysis import analyse_round, load_instrument, score_respondents, text
from mus_analysis.summarise import headlines

INS = load_instrument()
NBSP = "\u00a0"


# Numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "value", "decimals", "expected"), [
    ("da", 3.5, 2, "3,50"), ("en", 3.5, 2, "3.50"),
    ("da", 1234.56, 1, "1.234,6"), ("en", 1234.56, 1, "1,234.6"),
    ("da", 72.16, 1, "72,2"), ("en", 0.004, 2, "0.00"),
])
def test_number(lang, value, decimals, expected):
    assert text.number(value, lang, decimals) == expected


def test_integer_signed_and_percent():
    assert text.integer(12345, "da") == "12.345"
    assert text.integer(12345, "en") == "12,345"
    assert text.signed(0.58, "da") == "+0,58"
    assert text.signed(-0.38, "en") == "\u22120.38"
    assert text.signed(-0.001, "da") == "0,00"                 # no minus zero
    assert text.percent(0.781, "da") == f"78{NBSP}%"
    assert text.percent(0.781, "en") == "78%"


def test_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"`lang` must be one of \['da', 'en'\], but 'de'"):
        text.number(1.0, "de")


def test_every_word_exists_in_both_languages():
    assert text.words("da").keys() == text.words("en").keys()


def test_headings_have_ids_that_do_not_depend_on_the_language():
    assert text.heading("bands", "da") == '<h2 id="bands">1. Oversigt over tendenser</h2>'
    assert text.heading("bands", "en") == '<h2 id="bands">1. Overview of trends</h2>'
    assert text.heading("weakest", "en", level=3) == '<h3 id="weakest">Weakest statements</h3>'


# Headline figures -------------------------------------------------------------


def answers_of(sets: dict[str, list[list]]) -> pd.DataFrame:
    """Long answers from {role: [[20 points], ...]}; None is a blank answer."""
    rows = []
    for role, people in sets.items():
        prefix = "L" if role == "leader" else "E"
        for n, points in enumerate(people, start=1):
            for i, p in enumerate(points, start=1):
                rows.append({"round": "r", "role": role, "respondent": f"{prefix}{n:04d}",
                             "unit": "U", "item": f"{prefix}{i:02d}", "points": p})
    return pd.DataFrame(rows).astype({"points": "Int64"})


def test_headlines_by_hand():
    # Leaders: two in 61-80 (80, 61), two in 81-100 (100, 100): a tie, the lower band wins.
    # L20 is the leaders' weakest (3.25); L17-L19 tie (3.75) and keep their order.
    leaders = [[5] * 20, [5] * 20, [4] * 19 + [2], [4] * 16 + [1] * 4]   # 100, 100, 78, 68
    employees = [[3] * 20] * 5
    answers = answers_of({"leader": leaders, "employee": employees})
    scored = score_respondents(answers)

    got = headlines(scored, answers, roles=["leader", "employee"])
    assert got["top_band"] == {"leader": "61-80", "employee": "41-60"}
    weakest = got["weakest_items"]["leader"]
    assert [w["item"] for w in weakest] == ["L20", "L17", "L18"]
    assert weakest[0] == {"item": "L20", "mean": 3.25, "answers": 4}
    assert [w["item"] for w in got["weakest_items"]["employee"]] == ["E01", "E02", "E03"]

    gaps = got["largest_gaps"]
    assert len(gaps) == 3
    assert gaps[0]["gap"] == max(abs(g["gap"]) for g in gaps)
    first = gaps[0]
    assert first["gap"] == round(first["leader_mean"] - first["employee_mean"], 2)


def test_headlines_leave_out_roles_that_are_not_shown():
    answers = answers_of({"leader": [[4] * 20] * 2, "employee": [[3] * 20] * 5})
    scored = score_respondents(answers)
    got = headlines(scored, answers, roles=["employee"])
    assert got == {"top_band": {"employee": "41-60"},
                   "weakest_items": {"employee": got["weakest_items"]["employee"]},
                   "largest_gaps": []}


def test_headlines_without_any_score():
    answers = answers_of({"leader": [[4] * 19 + [None]] * 5})
    scored = score_respondents(answers)
    got = headlines(scored, answers, roles=["leader"])
    assert got["top_band"] == {"leader": None}
    assert len(got["weakest_items"]["leader"]) == 3


# Sentences of a round with a withheld role --------------------------------------


@pytest.fixture(scope="module")
def small_round(tmp_path_factory):
    """Two leaders (withheld at the default threshold) and six employees."""
    folder = tmp_path_factory.mktemp("raw") / "lille-runde"
    folder.mkdir()
    for role, people in (("leader", [[4] * 20, [3] * 20]),
                         ("employee", [[4] * 20] * 4 + [[2] * 20, [5] * 19 + [None]])):
        items = INS.role_items(role)["item"].tolist()
        rows = [{item: ("" if p is None else p) for item, p in zip(items, points)}
                for points in people]
        pd.DataFrame(rows).to_csv(folder / f"{role}.csv", index=False)
    return analyse_round(folder)


def test_summary_of_a_round_with_a_withheld_role(small_round):
    da = text.summary(small_round, "da")
    assert da.startswith("8 besvarelser indgår i analysen: 2 fra ledere og 6 fra "
                         "medarbejdere. 7 har svaret på alle udsagn")
    assert "**Ledere:** vises ikke, da der er færre end 5 besvarelser." in da
    # 61-80: 4 and 21-40: 1 would tell of one person: the bands are merged into 21-80.
    assert (f"**Medarbejdere:** flest ligger i de sammenlagte pointgrupper **21-80** (5 af 5, "
            f"100{NBSP}%). Pointgrupperne er slået sammen") in da
    en = text.summary(small_round, "en")
    assert "**Leaders:** not shown, as there are fewer than 5 responses." in en
    assert "**Employees:** most are in the combined bands **21-80** (5 of 5, 100%)" in en


def test_alt_texts_say_what_the_charts_show(small_round):
    bands = text.bands_alt(small_round, "en")
    assert bands == ("Bar chart of the number of responses with a score in each band. "
                     "Employees: 81-100: 0, 21-80: 5, 0-20: 0.")
    spread = text.spread_alt(small_round, "employee", "da")
    assert spread.startswith("Stablet søjlediagram over svarene fra medarbejdere på 20 "
                             "udsagn, fra Aldrig til Altid. Flest svarer Oftest eller Altid")
    # The one incomplete answer set is left out (fewer than 5): 4 of 5 answered 4 or 5.
    assert f"(80{NBSP}%)" in spread
