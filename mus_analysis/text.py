"""The words of the round report, in Danish and English.

The report notebook shows no static prose: each paragraph is made here from
the round's figures, so one parameter switches the whole report's language.
"""

from __future__ import annotations

import html

import pandas as pd

from .analysis import RoundAnalysis
from .instrument import LANGUAGES

_T = {
    "da": {
        "title": "MUS-testen: {round}",
        "intro": (
            "MUS-testen spørger ledere og medarbejdere, hvor godt arbejdspladsens "
            "MUS-proces fungerer. Hver besvarer 20 udsagn på en skala fra *Aldrig* "
            "(1 point) til *Altid* (5 point), så hver besvarelse giver 20-100 point. "
            "Pointene placerer besvarelsen i en af fem grupper, fra \"skaber næsten "
            "ingen værdi\" til \"skaber stor værdi\". Resultaterne er et udgangspunkt "
            "for dialog, fx i samarbejdsudvalget, ikke en bedømmelse af den enkelte."
        ),
        "quality_head": "Data",
        "quality": (
            "Der kom {received} besvarelser ind. {respondents} indgår i analysen, "
            "og {scored} af dem har svaret på alle udsagn og har fået en samlet "
            "pointsum."
        ),
        "quality_prorated": (
            " Op til {max_missing} ubesvarede udsagn er tilladt: pointsummen er da "
            "gennemsnittet af de besvarede udsagn gange 20 ({prorated} besvarelser)."
        ),
        "quality_not_scored": (
            " {not_scored} besvarelser mangler svar på et eller flere udsagn og "
            "indgår kun i fordelingen af svar på de enkelte udsagn."
        ),
        "quality_invalid": (
            " {invalid} svar kunne ikke læses som et svar på skalaen og er regnet som "
            "ubesvarede."
        ),
        "quality_dropped": " {dropped} rækker er udeladt, fordi de ikke kunne bruges.",
        "quality_log": " Alle ændringer står i loggen over datarensningen.",
        "withheld": (
            "Der er {n} {role_plural_lower} i runden, færre end {min_group}. For at "
            "ingen kan se, hvordan en enkelt har svaret, vises deres resultater ikke."
        ),
        "absent": "Runden har ingen besvarelser fra {role_plural_lower}.",
        "bands_head": "1. Oversigt over tendenser",
        "bands": (
            "Antal ledere og medarbejdere i hver pointgruppe. Kun besvarelser, der "
            "har fået en pointsum, tælles med."
        ),
        "spread_head": "2. Oversigt over spredning",
        "spread": (
            "Hvordan svarene på hvert udsagn fordeler sig fra *Aldrig* til *Altid*. "
            "Alle afgivne svar tælles med, også fra besvarelser uden samlet pointsum."
        ),
        "spread_role": "Spredning i {role_lower}besvarelser",
        "pairs_head": "3. Ledere og medarbejdere side om side",
        "pairs": (
            "Mange udsagn findes i begge spørgeskemaer, set fra hver sin side. Her "
            "er ledernes og medarbejdernes gennemsnitlige point for hvert par, "
            "sorteret efter forskellen. Store forskelle er et godt sted at begynde "
            "dialogen."
        ),
        "pairs_withheld": "Sammenligningen kræver, at både ledere og medarbejdere vises.",
        "sections_head": "Gennemsnit pr. afsnit",
        "band": "Pointgruppe",
        "verdict": "Betydning",
        "pair": "Emne",
        "leader_mean": "Ledere",
        "employee_mean": "Medarbejdere",
        "gap": "Forskel",
        "section": "Afsnit",
        "mean": "Gennemsnit (1-5)",
        "mean_score": "Gennemsnitlig pointsum",
        "respondents": "Besvarelser",
        "scored": "Med pointsum",
        "footer": (
            "Rapporten er lavet med mus-analysis {version} den {date}. Grupper med "
            "færre end {min_group} besvarelser vises ikke."
        ),
    },
    "en": {
        "title": "The MUS test: {round}",
        "intro": (
            "The MUS test asks leaders and employees how well the workplace's MUS "
            "process (the yearly employee development dialogue) works. Each answers "
            "20 statements on a scale from *Never* (1 point) to *Always* (5 points), "
            "so each set of answers scores 20-100 points. The score places it in one "
            "of five bands, from \"creates almost no value\" to \"creates great "
            "value\". The results are a starting point for dialogue, for example in "
            "the cooperation committee, not a judgement of any person."
        ),
        "quality_head": "Data",
        "quality": (
            "{received} responses came in. {respondents} are analysed, and {scored} "
            "of them answered every statement and have a score."
        ),
        "quality_prorated": (
            " Up to {max_missing} unanswered statements are allowed: the score is "
            "then the mean of the answered statements times 20 ({prorated} "
            "responses)."
        ),
        "quality_not_scored": (
            " {not_scored} responses lack an answer to one or more statements and "
            "count only in the spread of answers per statement."
        ),
        "quality_invalid": (
            " {invalid} answers could not be read as a point on the scale and count "
            "as unanswered."
        ),
        "quality_dropped": " {dropped} rows were left out because they could not be used.",
        "quality_log": " Every change is listed in the cleaning log.",
        "withheld": (
            "The round has {n} {role_plural_lower}, fewer than {min_group}. So that "
            "nobody can see how one person answered, their results are not shown."
        ),
        "absent": "The round has no responses from {role_plural_lower}.",
        "bands_head": "1. Overview of trends",
        "bands": (
            "How many leaders and employees fall in each band. Only responses with "
            "a score count."
        ),
        "spread_head": "2. Overview of spread",
        "spread": (
            "How the answers to each statement spread from *Never* to *Always*. "
            "Every answer given counts, also from responses without a score."
        ),
        "spread_role": "Spread of the {role_lower}' answers",
        "pairs_head": "3. Leaders and employees side by side",
        "pairs": (
            "Most statements appear in both questionnaires, seen from each side. "
            "These are the leaders' and the employees' mean points for each pair, "
            "sorted by the difference. Large differences are a good place to start "
            "the dialogue."
        ),
        "pairs_withheld": "The comparison needs both leaders and employees to be shown.",
        "sections_head": "Mean per section",
        "band": "Band",
        "verdict": "Meaning",
        "pair": "Topic",
        "leader_mean": "Leaders",
        "employee_mean": "Employees",
        "gap": "Difference",
        "section": "Section",
        "mean": "Mean (1-5)",
        "mean_score": "Mean score",
        "respondents": "Responses",
        "scored": "Scored",
        "footer": (
            "Report made with mus-analysis {version} on {date}. Groups of fewer than "
            "{min_group} responses are not shown."
        ),
    },
}


def _shown(table: pd.DataFrame):
    """A table as the report shows it: without the row index, in the page's style."""
    return table.style.hide(axis="index").set_table_attributes('class="dataframe"')


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"The value for `lang` must be one of {list(LANGUAGES)}, "
                         f"but {lang!r} was passed.")
    return lang


def words(lang: str) -> dict[str, str]:
    """The report's fixed words in ``lang``."""
    return _T[check_lang(lang)]


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number written the way readers of ``lang`` write it."""
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _role_words(analysis: RoundAnalysis, role: str, lang: str) -> dict[str, str]:
    roles = analysis.instrument.roles.set_index("role")
    plural = roles.at[role, lang]
    return {"role_plural_lower": plural.lower(),
            "role_lower": roles.at[role, f"{lang}_singular"].lower()
            if lang == "da" else plural.lower()}


def title(analysis: RoundAnalysis, lang: str) -> str:
    return "# " + words(lang)["title"].format(round=html.escape(analysis.round))


def quality(analysis: RoundAnalysis, lang: str) -> str:
    """The data-quality paragraph: received, scored, not scored and why."""
    w = words(lang)
    s = analysis.summary["data_quality"]
    prorated = int(analysis.respondents["prorated"].sum())
    text = w["quality"].format(received=s["rows_received"], respondents=s["respondents"],
                               scored=s["scored"])
    if analysis.max_missing:
        text += w["quality_prorated"].format(max_missing=analysis.max_missing,
                                             prorated=prorated)
    if s["not_scored"]:
        text += w["quality_not_scored"].format(not_scored=s["not_scored"])
    if s["answers_set_to_missing"]:
        text += w["quality_invalid"].format(invalid=s["answers_set_to_missing"])
    if s["dropped_rows"]:
        text += w["quality_dropped"].format(dropped=s["dropped_rows"])
    if s["answers_set_to_missing"] or s["dropped_rows"]:
        text += w["quality_log"]
    return text


def role_notes(analysis: RoundAnalysis, lang: str) -> str:
    """Sentences for roles that are withheld or absent; empty when none."""
    w = words(lang)
    notes = []
    counts = analysis.respondents["role"].value_counts()
    for role in analysis.instrument.roles["role"]:
        if role in analysis.shown:
            continue
        key = "withheld" if role in analysis.withheld else "absent"
        notes.append(w[key].format(n=int(counts.get(role, 0)), min_group=analysis.min_group,
                                   **_role_words(analysis, role, lang)))
    return "\n\n".join(notes)


def role_heading(analysis: RoundAnalysis, role: str, lang: str) -> str:
    return "### " + words(lang)["spread_role"].format(**_role_words(analysis, role, lang))


def quality_table(analysis: RoundAnalysis, lang: str) -> pd.DataFrame:
    """Respondents, scored and mean score per role, for display."""
    w = words(lang)
    roles = analysis.instrument.roles.set_index("role")
    rows = {}
    for role, figures in analysis.summary["roles"].items():
        shown = not figures["withheld"]
        mean = figures.get("mean_score")
        rows[roles.at[role, lang]] = {
            w["respondents"]: figures["respondents"],
            w["scored"]: figures["scored"] if shown else "–",
            w["mean_score"]: number(mean, lang) if shown and mean is not None else "–",
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def bands_table(analysis: RoundAnalysis, lang: str) -> pd.DataFrame:
    """Band counts with verdicts, one column per shown role, for display."""
    w = words(lang)
    roles = analysis.instrument.roles.set_index("role")
    bands = analysis.instrument.bands
    table = analysis.bands.pivot(index="band", columns="role", values="count")
    table = table.reindex(index=bands["band"][::-1], columns=analysis.shown)
    table.columns = [roles.at[r, lang] for r in table.columns]
    table.insert(0, w["verdict"], bands.set_index("band")[lang])
    table.index.name = w["band"]
    return table.reset_index().pipe(_shown)


def gaps_table(analysis: RoundAnalysis, lang: str) -> pd.DataFrame:
    """Leader and employee means per pair, largest gap first, for display."""
    w = words(lang)
    topics = analysis.instrument.pairs.set_index("pair")[lang]
    gaps = analysis.gaps
    return pd.DataFrame({
        w["pair"]: gaps["pair"].map(topics).to_numpy(),
        w["leader_mean"]: [number(v, lang, 2) for v in gaps["leader_mean"]],
        w["employee_mean"]: [number(v, lang, 2) for v in gaps["employee_mean"]],
        w["gap"]: [number(v, lang, 2) for v in gaps["gap"]],
    }).pipe(_shown)


def sections_table(analysis: RoundAnalysis, lang: str) -> pd.DataFrame:
    """Mean points per section and shown role, for display."""
    w = words(lang)
    roles = analysis.instrument.roles.set_index("role")
    sections = analysis.instrument.sections.set_index("section")[lang]
    table = analysis.sections.pivot(index="section", columns="role", values="mean")
    table = table.reindex(columns=analysis.shown)
    table = table.map(lambda v: number(v, lang, 2))
    table.index = table.index.map(sections)
    table.index.name = w["section"]
    table.columns = [roles.at[r, lang] for r in table.columns]
    return table.reset_index().pipe(_shown)


def intro(lang: str) -> str:
    return words(lang)["intro"]


def heading(key: str, lang: str, level: int = 2) -> str:
    return "#" * level + " " + words(lang)[f"{key}_head"]


def paragraph(key: str, lang: str) -> str:
    return words(lang)[key]


def footer(analysis: RoundAnalysis, lang: str, *, version: str, date: str) -> str:
    return "*" + words(lang)["footer"].format(version=version, date=date,
                                              min_group=analysis.min_group) + "*"
