"""The built-in instrument and the validation of adapted ones."""

from importlib.resources import files

import pytest

from mus_analysis import InstrumentError, load_instrument
from mus_analysis.instrument import text_key


@pytest.fixture
def toml_copy(tmp_path):
    def make(edit=lambda s: s):
        text = (files("mus_analysis") / "data" / "instrument.toml").read_text("utf-8")
        path = tmp_path / "instrument.toml"
        path.write_text(edit(text), encoding="utf-8")
        return path
    return make


def test_builtin_has_both_questionnaires_in_order():
    ins = load_instrument()
    assert ins.role_items("leader")["item"].tolist() == [f"L{n:02d}" for n in range(1, 21)]
    assert ins.role_items("employee")["item"].tolist() == [f"E{n:02d}" for n in range(1, 21)]
    assert (ins.min_score, ins.max_score) == (20, 100)


def test_builtin_scale_bands_and_pairs():
    ins = load_instrument()
    assert ins.scale["da"].tolist() == ["Aldrig", "Sjældent", "Af og til", "Oftest", "Altid"]
    assert ins.bands["band"].tolist() == ["0-20", "21-40", "41-60", "61-80", "81-100"]
    assert ins.bands["da"].iloc[0] == "Jeres MUS-proces skaber næsten ingen værdi."
    assert ins.bands["en"].iloc[-1] == "Your MUS process creates great value."
    # Every item is in exactly one pair; the crossed pairs are as in the form.
    assert sorted(ins.pairs["leader"]) == [f"L{n:02d}" for n in range(1, 21)]
    assert sorted(ins.pairs["employee"]) == [f"E{n:02d}" for n in range(1, 21)]
    crossed = ins.pairs.set_index("leader")["employee"]
    assert crossed[["L02", "L03", "L16", "L17", "L18", "L19"]].tolist() == [
        "E03", "E02", "E17", "E16", "E19", "E18"]


def test_sections_follow_the_form():
    ins = load_instrument()
    per_section = ins.role_items("leader").groupby("section").size().to_dict()
    assert per_section == {"A": 5, "B": 4, "C": 8, "D": 3}


def test_text_key_ignores_case_spacing_and_punctuation():
    assert text_key("Mine udviklingsbehov drøftes under MUS (fx. kompetencer)") == \
        text_key("mine udviklingsbehov\xa0drøftes under mus (fx kompetencer)")
    assert text_key("arbejds-pladsen") == text_key("arbejdspladsen")
    assert text_key("Sjældent") != text_key("SjÃ¦ldent")


def test_role_names():
    ins = load_instrument()
    assert ins.role_of_name("Ledere") == "leader"
    assert ins.role_of_name(" MEDARBEJDERE ") == "employee"
    assert ins.role_of_name("employee") == "employee"
    assert ins.role_of_name("chefsekretær") is None


def test_adapted_instrument_loads(toml_copy):
    path = toml_copy(lambda s: s.replace('da = "MUS gennemføres"\nen = "MUS is carried out"',
                                         'da = "MUS holdes"\nen = "MUS is held"', 1))
    ins = load_instrument(path)
    assert ins.items.set_index("item").at["L01", "da"] == "MUS holdes"


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.replace('id = "L20"', 'id = "L19"'), "item ids appear twice"),
    (lambda s: s.replace('leader = "L20"', 'leader = "L99"'), "do not exist"),
    (lambda s: s.replace("high = 40", "high = 39"), "without gaps"),
    (lambda s: s.replace('section = "D"', 'section = "Z"', 1), "not under \\[sections\\]"),
    (lambda s: s.replace("[[scale]]\npoints = 2", "[[scale]]\npoints = 7"), "points must run"),
    (lambda s: s + "\n[oops", "not valid TOML"),
])
def test_broken_instrument_is_named(toml_copy, edit, message):
    with pytest.raises(InstrumentError, match=message):
        load_instrument(toml_copy(edit))


def test_missing_instrument_file(tmp_path):
    with pytest.raises(InstrumentError, match="cannot read the instrument file"):
        load_instrument(tmp_path / "nope.toml")


