"""Write the three synthetic example rounds under ``data/raw/``.

The rounds exist so the kit, its notebooks and its tests have realistic input
without real respondent data. Each round is the fictional agency "Styrelsen"
answering the MUS test, exported by a different survey tool exactly as that
tool writes its files:

``example-2024/MUS-test 2024.xlsx``
    One workbook, one sheet per role (``Ledere``, ``Medarbejdere``): columns
    ``Løbenr``, ``Enhed``, then item ids ``L01``..``L20`` (``E01``..``E20``)
    holding answer codes 1-5; blank cells for missing answers.
``example-2025/MUS-test for ledere 2025.xlsx`` and ``... medarbejdere 2025.xlsx``
    Microsoft Forms downloads from the Danish interface (sheet ``Sheet1``):
    ``Id``, ``Starttidspunkt``, ``Sluttidspunkt``, ``Mail``, ``Navn``,
    ``Senest ændret``, the unit question, one column per statement headed by
    its Danish text (E03 and E09 with the source form's spellings), answers as
    Danish labels, and a free-text comment column. The employee file has its
    statement columns slightly reordered, as Forms is known to do.
``example-2026/Ledere - svar.csv``
    Google Forms CSV: UTF-8 without BOM, every field quoted, ``Tidsstempel``
    in Danish locale, ``Mailadresse``, ``Enhed``, then grid columns
    ``<section title> [<statement>]``, answers as Danish labels.
``example-2026/Medarbejdere.csv``
    Danish Excel "CSV (semikolonsepareret)": ``;``, cp1252, CRLF, no BOM;
    ``Navn``, ``E-mail``, ``Afdeling``, then the statement texts as headers,
    answers as codes 1-5, a few written ``4,0`` and a few blank.

What the data hold, so the analyses have something to find:

- Six units; ``Jura`` is small (3-4 employees, 1-2 leaders per round) so the
  anonymity threshold has something to suppress.
- Answers come from a respondent-level tendency plus item means plus a unit
  effect plus noise, rounded onto 1-5. Scores spread over the bands 41-60,
  61-80 and 81-100 with a few in 21-40; leaders rate themselves about 0.3-0.4
  points per statement higher than the employees rate them.
- 2024 and 2025 share the same item means (only sampling differs). In 2026 the
  means of E06, E07, E11, E12, L06 and L11 rise by 0.8 points and E14 falls
  by 0.6 (before rounding onto the scale), the rest are unchanged.
- About 5-8% of respondents leave 1-3 statements blank, and each round has
  2-5 invalid answers (``Ved ikke``, ``x``, ``6``, ...) that the kit must log
  and treat as missing.
- The label-based files are messy: random letter case, stray spaces, a
  non-breaking space in ``Af og til``; a few rows of the 2025 employee file
  carry English labels. Names, e-mails and comments (some naming a person)
  are invented from Danish name lists under ``styrelsen.example.dk``.

The output depends only on the seed; ``tests/test_examples.py`` checks that the
committed files equal what this script writes. Run it from anywhere::

    python scripts/make_examples.py [--seed N] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from mus_analysis import load_instrument

# Picked among seeds 1-299 as the one whose realised item means come closest to
# the planted changes below (and to no change elsewhere) despite sampling noise.
SEED = 267
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "raw"
DOMAIN = "styrelsen.example.dk"

# Unit: (leaders, employees) on the payroll and an effect on every answer.
UNITS: dict[str, tuple[int, int, float]] = {
    "Økonomi": (7, 55, 0.10),
    "HR og Løn": (5, 40, 0.20),
    "IT-drift": (8, 70, -0.15),
    "Jura": (2, 4, 0.05),
    "Kommunikation": (5, 35, 0.00),
    "Borgerservice": (13, 120, -0.20),
}
SMALL_UNIT = "Jura"

# Mean points per statement before rounding (2024 and 2025). Leaders sit about
# 0.4 points above the employees' answer to the paired statement.
ITEM_MEANS: dict[str, float] = {
    "E01": 4.4, "E02": 3.8, "E03": 3.7, "E04": 3.1, "E05": 3.3,
    "E06": 2.8, "E07": 3.1, "E08": 3.4, "E09": 3.6, "E10": 3.3,
    "E11": 3.0, "E12": 2.9, "E13": 3.5, "E14": 3.9, "E15": 2.6,
    "E16": 2.9, "E17": 3.1, "E18": 4.1, "E19": 3.4, "E20": 3.9,
    "L01": 4.6, "L02": 4.1, "L03": 3.6, "L04": 3.5, "L05": 3.8,
    "L06": 3.3, "L07": 3.7, "L08": 3.8, "L09": 4.1, "L10": 3.8,
    "L11": 3.4, "L12": 3.4, "L13": 3.9, "L14": 4.3, "L15": 2.9,
    "L16": 3.5, "L17": 3.3, "L18": 3.7, "L19": 3.9, "L20": 4.5,
}
# The planted change between rounds: shift of the item mean before rounding, by year.
ITEM_SHIFTS: dict[int, dict[str, float]] = {
    2026: {"E06": 0.8, "E07": 0.8, "E11": 0.8, "E12": 0.8, "L06": 0.8, "L11": 0.8,
           "E14": -0.6},
}
TENDENCY_SD = {"leader": 0.45, "employee": 0.55}
NOISE_SD = 0.7
LOW_SHARE = 0.03  # respondents whose MUS went badly: tendency lowered by LOW_SHIFT
LOW_SHIFT = -1.1
INCOMPLETE_SHARE = (0.05, 0.08)


@dataclass(frozen=True)
class RoundSpec:
    """What one example round holds."""

    year: int
    layout: str  # key of LAYOUTS: how the round's files are written
    leaders: int
    employees: int
    small_unit: dict[str, int]  # respondents from SMALL_UNIT, by role
    first_day: date  # the survey opens; answers come in over three weeks
    invalid: dict[str, tuple[object, ...]]  # invalid answers planted, by role

    @property
    def folder(self) -> str:
        return f"example-{self.year}"


ROUNDS = (
    RoundSpec(2024, "single-workbook", leaders=30, employees=200,
              small_unit={"leader": 2, "employee": 4}, first_day=date(2024, 3, 4),
              invalid={"leader": ("Ved ikke",), "employee": (6, "x")}),
    RoundSpec(2025, "forms", leaders=35, employees=250,
              small_unit={"leader": 1, "employee": 3}, first_day=date(2025, 3, 3),
              invalid={"leader": ("x",), "employee": ("Ved ikke", "Ved ikke", "6")}),
    RoundSpec(2026, "csv-pair", leaders=35, employees=260,
              small_unit={"leader": 2, "employee": 4}, first_day=date(2026, 3, 9),
              invalid={"leader": ("Ved ikke",), "employee": ("6", "x", "45")}),
)

FIRST_NAMES = (
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise",
    "Charlotte", "Pia", "Maria", "Tina", "Helle", "Anja", "Signe", "Line",
    "Ida", "Sofie", "Emma", "Karen", "Birgitte", "Lone", "Rikke", "Trine",
    "Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan",
    "Niels", "Morten", "Jesper", "Anders", "Martin", "Rasmus", "Mads", "Christian",
    "Kasper", "Jakob", "Mikkel", "Frederik", "Bo", "Ole", "Torben", "Jørgen",
)
LAST_NAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen",
    "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",
    "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Møller",
    "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen", "Laursen",
    "Henriksen", "Lund", "Holm", "Kjær", "Dahl", "Østergaard", "Vestergaard",
    "Skov", "Friis", "Bach", "Lauridsen", "Høgh",
)
COMMENTS = {
    "employee": (
        "Rigtig god samtale med {name}, som havde forberedt sig grundigt.",
        "Vi nåede ikke at tale om min udvikling, kun om opgaverne.",
        "Det ville være rart at få forberedelsesskemaet en uge før.",
        "Samtalen blev flyttet tre gange. Det sender et signal.",
        "Tak til {name} for at lytte.",
        "Jeg savner opfølgning på det, vi aftalte sidste år.",
        "Fint, men for meget tid gik med at udfylde skemaet.",
        "Generelt godt.\nMen opfølgningen i løbet af året halter.",
        "Jeg har haft MUS med {name} to år i træk, og det fungerer fint.",
        "Kunne godt tænke mig en kort opfølgning efter et halvt år.",
    ),
    "leader": (
        "Svært at finde tid til forberedelse i travle perioder.",
        "Skabelonen er for lang, medarbejderne springer spørgsmål over.",
        "God dialog med {name} om nye opgaver.",
        "Vi mangler en fælles opsamling på tværs af enhederne.",
        "HR's vejledning til MUS hjalp meget i år.",
    ),
}
COMMENT_SHARE = {"leader": 0.2, "employee": 0.12}

FORMS_UNIT_QUESTION = "Hvilken enhed er du ansat i?"
FORMS_COMMENT_QUESTION = "Har du kommentarer til MUS-processen?"
# Header texts in the Forms files that follow the source form, not the display text.
FORMS_SPELLINGS = {
    "E03": "Jeg oplever, at min leder er godt foreberedt til min MUS",
    "E09": "Mine udviklingsbehov drøftes under MUS (fx. kompetencer, motivation, "
           "employability eller fortsatte karriere)",
}
# Forms reorders columns: the order of the statement columns in the 2025 employee file.
FORMS_EMPLOYEE_ORDER = (
    "E02", "E03", "E04", "E05", "E01", "E06", "E07", "E08", "E10", "E09",
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E19", "E20", "E18",
)
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    unit: str
    role: str


@dataclass(frozen=True)
class Answers:
    """One role's answers in one round, before any layout is applied.

    ``cells`` holds per respondent and item the points (int 1-5), ``None`` for
    a blank, or a planted invalid value; columns follow ``items``.
    """

    role: str
    items: list[str]
    respondents: list[Person]
    cells: list[list[object]]
    times: list[datetime]  # completion time, increasing


# ------------------------------------------------------------------ people


def _ascii_mail(text: str) -> str:
    text = text.lower()
    for char, repl in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(char, repl)
    return re.sub(r"[^a-z.]", "", text)


def make_population(rng: np.random.Generator) -> list[Person]:
    """The agency's staff: everyone who could answer, with a unique name."""
    sizes = [(unit, role, n) for unit, (leaders, employees, _) in UNITS.items()
             for role, n in (("leader", leaders), ("employee", employees))]
    total = sum(n for *_, n in sizes)
    picks = rng.choice(len(FIRST_NAMES) * len(LAST_NAMES), size=total, replace=False)
    names = [(FIRST_NAMES[k // len(LAST_NAMES)], LAST_NAMES[k % len(LAST_NAMES)])
             for k in picks]
    people, k = [], 0
    for unit, role, n in sizes:
        for first, last in names[k:k + n]:
            mail = f"{_ascii_mail(first)}.{_ascii_mail(last)}@{DOMAIN}"
            people.append(Person(f"{first} {last}", mail, unit, role))
        k += n
    return people


def sample_respondents(rng: np.random.Generator, population: list[Person], role: str,
                       n: int, n_small: int) -> list[Person]:
    """Who answers, in the order they answer."""
    staff = [p for p in population if p.role == role]
    small = [p for p in staff if p.unit == SMALL_UNIT]
    other = [p for p in staff if p.unit != SMALL_UNIT]
    chosen = [small[i] for i in rng.choice(len(small), size=n_small, replace=False)]
    chosen += [other[i] for i in rng.choice(len(other), size=n - n_small, replace=False)]
    return [chosen[i] for i in rng.permutation(len(chosen))]


def response_times(rng: np.random.Generator, n: int, first_day: date) -> list[datetime]:
    """Increasing completion times on the weekdays of a three-week window."""
    days = [first_day + timedelta(days=d) for d in range(21)]
    days = [d for d in days if d.weekday() < 5]
    # More answers in the first days after the invitation and the reminder.
    weight = np.array([3.0 if i in (0, 1, 5, 6) else 1.0 for i in range(len(days))])
    day_index = rng.choice(len(days), size=n, p=weight / weight.sum())
    seconds = rng.integers(8 * 3600, 16 * 3600, size=n)
    times = [datetime.combine(days[d], datetime.min.time()) + timedelta(seconds=int(s))
             for d, s in zip(day_index, seconds)]
    return sorted(times)


# ----------------------------------------------------------------- answers


def simulate_points(rng: np.random.Generator, respondents: list[Person], items: list[str],
                    year: int) -> np.ndarray:
    """Points 1-5, one row per respondent: tendency + item mean + unit + noise."""
    role = respondents[0].role
    n = len(respondents)
    shifts = ITEM_SHIFTS.get(year, {})
    means = np.array([ITEM_MEANS[item] + shifts.get(item, 0.0) for item in items])
    tendency = rng.normal(0.0, TENDENCY_SD[role], size=n)
    tendency += np.where(rng.random(n) < LOW_SHARE, LOW_SHIFT, 0.0)
    unit = np.array([UNITS[p.unit][2] for p in respondents])
    latent = means[None, :] + (tendency + unit)[:, None]
    latent += rng.normal(0.0, NOISE_SD, size=latent.shape)
    return np.clip(np.rint(latent), 1, 5).astype(int)


def damage(rng: np.random.Generator, points: np.ndarray,
           invalid: tuple[object, ...]) -> list[list[object]]:
    """Blank 1-3 answers of some respondents; plant the invalid values elsewhere."""
    cells: list[list[object]] = [[int(v) for v in row] for row in points]
    n, n_items = points.shape
    share = rng.uniform(*INCOMPLETE_SHARE)
    n_incomplete = max(1, round(n * share))
    rows = rng.permutation(n)
    for r in rows[:n_incomplete]:
        for c in rng.choice(n_items, size=rng.integers(1, 4), replace=False):
            cells[r][c] = None
    for r, value in zip(rows[n_incomplete:], invalid):
        cells[r][rng.integers(n_items)] = value
    return cells


def make_answers(rng: np.random.Generator, population: list[Person], spec: RoundSpec,
                 role: str, items: list[str]) -> Answers:
    n = spec.leaders if role == "leader" else spec.employees
    respondents = sample_respondents(rng, population, role, n, spec.small_unit[role])
    points = simulate_points(rng, respondents, items, spec.year)
    cells = damage(rng, points, spec.invalid[role])
    times = response_times(rng, n, spec.first_day)
    return Answers(role, items, respondents, cells, times)


# ------------------------------------------------------------------ labels


def messy_label(rng: np.random.Generator, points: int, labels: dict[int, str]) -> str:
    """The label for ``points`` as people and tools mangle it now and then."""
    text = labels[points]
    if text == "Af og til" and rng.random() < 0.25:
        text = "Af\u00a0og til"
    case = rng.random()
    if case < 0.02:
        text = text.lower()
    elif case < 0.03:
        text = text.upper()
    space = rng.random()
    if space < 0.02:
        text = " " + text
    elif space < 0.04:
        text = text + " "
    return text


def label_rows(rng: np.random.Generator, answers: Answers, labels: dict[str, dict[int, str]],
               english_rows: int = 0) -> list[list[object]]:
    """Answers as labels: blanks stay ``None``, invalid values stay as written."""
    english = set(rng.choice(len(answers.cells), size=english_rows, replace=False).tolist())
    out = []
    for r, row in enumerate(answers.cells):
        lang = labels["en"] if r in english else labels["da"]
        out.append([messy_label(rng, v, lang) if isinstance(v, int) and 1 <= v <= 5
                    else v if v is None else str(v) for v in row])
    return out


def comments(rng: np.random.Generator, answers: Answers,
             population: list[Person]) -> list[str | None]:
    """Occasional free-text comments; some name a colleague from the same unit."""
    templates = COMMENTS[answers.role]
    out: list[str | None] = []
    for person in answers.respondents:
        if rng.random() >= COMMENT_SHARE[answers.role]:
            out.append(None)
            continue
        # Employees name a leader of their unit, leaders an employee of theirs.
        others = [p.name.split()[0] for p in population
                  if p.unit == person.unit and p.role != person.role]
        text = templates[rng.integers(len(templates))]
        out.append(text.format(name=others[rng.integers(len(others))]))
    return out


# ----------------------------------------------------------------- writers


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save ``wb`` with fixed timestamps, so the same data give the same bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = "2020-01-01T00:00:00Z"
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}",
                              data.decode("utf-8"))
                data = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


def write_codes_workbook(path: Path, sheets: dict[str, Answers]) -> None:
    """2024: one workbook, a sheet per role, item ids as headers, codes as answers."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, answers in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(["Løbenr", "Enhed", *answers.items])
        for k, (person, row) in enumerate(zip(answers.respondents, answers.cells), start=1):
            ws.append([k, person.unit, *row])
    save_workbook(wb, path)


def write_forms_workbook(path: Path, answers: Answers, headers: list[str],
                         rows: list[list[object]], notes: list[str | None],
                         rng: np.random.Generator) -> None:
    """2025: a Microsoft Forms download from the Danish interface."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Id", "Starttidspunkt", "Sluttidspunkt", "Mail", "Navn", "Senest ændret",
               FORMS_UNIT_QUESTION, *headers, FORMS_COMMENT_QUESTION])
    edited = set(rng.choice(len(rows), size=2, replace=False).tolist())
    for k, (person, end, row, note) in enumerate(
            zip(answers.respondents, answers.times, rows, notes)):
        start = end - timedelta(seconds=int(rng.integers(150, 900)))
        changed = end + timedelta(hours=int(rng.integers(1, 48))) if k in edited else None
        ws.append([k + 1, start, end, person.email, person.name, changed, person.unit,
                   *row, note])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=6):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "m/d/yy h:mm:ss"
    save_workbook(wb, path)


def write_google_csv(path: Path, answers: Answers, headers: list[str],
                     rows: list[list[object]]) -> None:
    """2026 leaders: a Google Forms responses CSV, every field quoted."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(["Tidsstempel", "Mailadresse", "Enhed", *headers])
        for person, time, row in zip(answers.respondents, answers.times, rows):
            stamp = time.strftime("%d/%m/%Y %H.%M.%S")
            writer.writerow([stamp, person.email, person.unit,
                             *("" if v is None else v for v in row)])


def write_excel_csv(path: Path, answers: Answers, headers: list[str],
                    rng: np.random.Generator, n_decimal: int = 6) -> None:
    """2026 employees: Danish Excel's "CSV (semikolonsepareret)", codes as answers."""
    rows = [["" if v is None else str(v) for v in row] for row in answers.cells]
    answered = [(r, c) for r, row in enumerate(answers.cells) for c, v in enumerate(row)
                if isinstance(v, int) and 1 <= v <= 5]
    for k in rng.choice(len(answered), size=n_decimal, replace=False):
        r, c = answered[k]
        rows[r][c] = f"{rows[r][c]},0"
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Navn", "E-mail", "Afdeling", *headers])
        for person, row in zip(answers.respondents, rows):
            writer.writerow([person.name, person.email, person.unit, *row])


# ------------------------------------------------------------------ rounds


def write_single_workbook(folder: Path, year: int, lead: Answers, staff: Answers,
                          rng: np.random.Generator, context: dict) -> list[Path]:
    """2024: the workplace's own workbook with item ids and answer codes."""
    path = folder / f"MUS-test {year}.xlsx"
    write_codes_workbook(path, {"Ledere": lead, "Medarbejdere": staff})
    return [path]


def write_forms(folder: Path, year: int, lead: Answers, staff: Answers,
                rng: np.random.Generator, context: dict) -> list[Path]:
    """2025: one Microsoft Forms download per role; the employee one reordered."""
    paths = []
    for answers, noun, order, english_rows in (
            (lead, "ledere", lead.items, 0),
            (staff, "medarbejdere", list(FORMS_EMPLOYEE_ORDER), 4)):
        rows = label_rows(rng, answers, context["labels"], english_rows=english_rows)
        pos = [answers.items.index(item) for item in order]
        rows = [[row[p] for p in pos] for row in rows]
        headers = [FORMS_SPELLINGS.get(item, context["text"][item]) for item in order]
        notes = comments(rng, answers, context["population"])
        path = folder / f"MUS-test for {noun} {year}.xlsx"
        write_forms_workbook(path, answers, headers, rows, notes, rng)
        paths.append(path)
    return paths


def write_csv_pair(folder: Path, year: int, lead: Answers, staff: Answers,
                   rng: np.random.Generator, context: dict) -> list[Path]:
    """2026: leaders through Google Forms, employees typed into Excel and saved as CSV."""
    text, section_of = context["text"], context["section_of"]
    headers = [f"{context['section_title'][section_of[item]]} [{text[item]}]"
               for item in lead.items]
    google = folder / "Ledere - svar.csv"
    write_google_csv(google, lead, headers, label_rows(rng, lead, context["labels"]))
    excel = folder / "Medarbejdere.csv"
    write_excel_csv(excel, staff, [text[item] for item in staff.items], rng)
    return [google, excel]


LAYOUTS = {
    "single-workbook": write_single_workbook,
    "forms": write_forms,
    "csv-pair": write_csv_pair,
}


def make_examples(out: Path, seed: int = SEED) -> list[Path]:
    """Write every example round under ``out``; return the files written."""
    ins = load_instrument()
    items = {role: ins.role_items(role)["item"].tolist() for role in ("leader", "employee")}
    people_rng, *round_rngs = np.random.default_rng(seed).spawn(1 + len(ROUNDS))
    population = make_population(people_rng)
    context = {
        "population": population,
        "text": ins.item_text("da"),
        "section_of": dict(zip(ins.items["item"], ins.items["section"])),
        "section_title": dict(zip(ins.sections["section"], ins.sections["da"])),
        "labels": {lang: dict(zip(ins.scale["points"], ins.scale[lang]))
                   for lang in ("da", "en")},
    }

    written: list[Path] = []
    for spec, rng in zip(ROUNDS, round_rngs):
        lead = make_answers(rng, population, spec, "leader", items["leader"])
        staff = make_answers(rng, population, spec, "employee", items["employee"])
        folder = out / spec.folder
        folder.mkdir(parents=True, exist_ok=True)
        written += LAYOUTS[spec.layout](folder, spec.year, lead, staff, rng, context)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED,
                        help=f"random seed (default {SEED}, the committed examples)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder to write the round folders into (default data/raw)")
    args = parser.parse_args(argv)
    for path in make_examples(args.out, args.seed):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
