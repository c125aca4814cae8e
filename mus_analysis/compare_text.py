"""What a comparison of rounds shows its reader: words, tables and charts.

The comparison notebook shows no static prose: every paragraph, table and
chart is made here from a :class:`~mus_analysis.compare.Comparison`, in
Danish (``lang="da"``) or English (``lang="en"``). The codebook's words are
here too. The charts follow the round report's colours (one per role, and
the diverging scale palette for the bands).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from . import stats
from .instrument import LANGUAGES, ROLES, Instrument, load_instrument
from .plot import ROLE_PALETTE, SCALE_PALETTE
from .text import number

if TYPE_CHECKING:
    from .compare import Comparison

FIG_WIDTH = 9.5  # inches, as the round report's charts
NOT_SIGNIFICANT = "#bdbdbd"
MIN_LABELLED_SHARE = 0.08  # smaller segments of a band bar carry no label

_T = {
    "da": {
        "title": "Sammenligning af MUS-runder: {rounds}",
        "intro": (
            "Her sammenlignes {n} runder af MUS-testen: {rounds}. Hver runde "
            "sammenlignes med den næste{first_last}. For hver rolle vises antal "
            "besvarelser, den gennemsnitlige pointsum og fordelingen på pointgrupper, "
            "og for hvert udsagn, om svarene har flyttet sig."
        ),
        "first_last": ", og den første med den sidste",
        "scores_head": "1. Besvarelser og pointsum",
        "scores": (
            "Den gennemsnitlige pointsum (20-100) for hver rolle og runde med et "
            "95 %-konfidensinterval (t-fordelingen). Kun besvarelser med pointsum "
            "tælles med."
        ),
        "bands_head": "2. Tendenser over tid",
        "bands": (
            "Andelen af besvarelser i hver pointgruppe, runde for runde. Kun "
            "besvarelser med pointsum tælles med."
        ),
        "changes_head": "3. Udsagn, der har flyttet sig",
        "changes": (
            "For hvert udsagn sammenlignes svarene i de to runder med en tosidet "
            "Mann-Whitney U-test. Fordi mange udsagn testes på én gang, er "
            "p-værdierne justeret med Holms metode over alle udsagn, der testes mellem "
            "de to runder. Et udsagn har flyttet sig, når den justerede p-værdi højst "
            "er {alpha}. Effektstørrelsen *r* (rank-biserial korrelation) går fra -1 "
            "til 1: positiv, når svarene i den seneste runde ligger højere. Svarene i "
            "to runder behandles som uafhængige, da besvarelserne ikke kan kobles "
            "mellem runderne."
        ),
        "step_head": "Fra {round_from} til {round_to}",
        "moved": "{role_gen} svar har flyttet sig på {n} af {tested} udsagn:",
        "moved_one": "{role_gen} svar har flyttet sig på 1 af {tested} udsagn:",
        "moved_item": (
            "- **{item}** {text}: {direction} fra {mean_from} til {mean_to} point "
            "(*r* = {r}, justeret *p* {p})"
        ),
        "up": "op",
        "down": "ned",
        "none_moved": "{role_gen} svar har ikke flyttet sig på nogen af de {tested} udsagn.",
        "not_compared": "{role_gen} svar sammenlignes ikke, fordi {reasons}.",
        "withheld_in": (
            "der i {round} er færre end {min_group} {role_lower}, så deres resultater "
            "ikke vises"
        ),
        "absent_in": "der ikke er nogen {role_lower} i {round}",
        "and": " og ",
        "gaps_head": "4. Ledere og medarbejdere: forskellen over tid",
        "gaps": (
            "Forskellen mellem ledernes og medarbejdernes gennemsnitlige svar på hvert "
            "par af udsagn (ledere minus medarbejdere) i hver runde. En ændring mod 0 "
            "betyder, at ledere og medarbejdere er kommet tættere på hinanden."
        ),
        "gaps_none": (
            "Sammenligningen kræver, at både ledere og medarbejdere vises i mindst én "
            "runde."
        ),
        "reliability_head": "5. Pålidelighed (Cronbachs alfa)",
        "reliability": (
            "Cronbachs alfa viser, hvor godt udsagnene i et afsnit hænger sammen, fra "
            "0 til 1; 0,7 eller mere regnes ofte for tilfredsstillende. Alfa er "
            "beregnet over besvarelser, der har svaret på alle udsagn, med et "
            "95 %-konfidensinterval efter Feldts metode."
        ),
        "notes_withheld": (
            "I {round} er der {n} {role_lower}, færre end {min_group}. For at ingen kan "
            "se, hvordan en enkelt har svaret, vises deres resultater ikke."
        ),
        "round": "Runde",
        "role": "Rolle",
        "respondents": "Besvarelser",
        "scored": "Med pointsum",
        "mean_score": "Gennemsnitlig pointsum",
        "ci": "95 %-konfidensinterval",
        "not_shown": "vises ikke",
        "statement": "Udsagn",
        "text": "Tekst",
        "before": "Før ({round})",
        "after": "Efter ({round})",
        "change": "Ændring",
        "p_adjusted": "p (Holm)",
        "moved_col": "Flyttet",
        "mark_up": "▲ op",
        "mark_down": "▼ ned",
        "topic": "Emne",
        "gap_in": "Forskel {round}",
        "gap_change": "Ændring {round_from} → {round_to}",
        "section": "Afsnit",
        "all_items": "Alle udsagn",
        "complete": "Komplette besvarelser",
        "footer": (
            "Lavet med mus-analysis {version} den {date}. Grupper med færre end "
            "{min_group} besvarelser vises ikke og sammenlignes ikke."
        ),
        # Charts
        "bands_title": "Andel i hver pointgruppe pr. runde",
        "bands_y": "Andel af besvarelser med pointsum",
        "means_title": "Gennemsnitlig pointsum med 95 %-konfidensinterval",
        "means_y": "Pointsum",
        "changes_title": "Ændring i gennemsnitligt svar fra {round_from} til {round_to}",
        "changes_x": "Ændring i gennemsnitlige point",
        "significant": "Har flyttet sig (Holm-justeret p ≤ {alpha})",
        "not_significant": "Ikke signifikant",
        "percent": "{:.0f} %",
        "alt_moved": "flyttet sig: {items}",
        "alt_rest": "de øvrige {n} udsagn har ikke flyttet sig",
        "alt_none": "ingen af de {n} udsagn har flyttet sig",
    },
    "en": {
        "title": "Comparing MUS rounds: {rounds}",
        "intro": (
            "This compares {n} rounds of the MUS test: {rounds}. Each round is "
            "compared with the next{first_last}. For each role it shows the number of "
            "responses, the mean score and the spread over the score bands, and for "
            "each statement whether the answers moved."
        ),
        "first_last": ", and the first with the last",
        "scores_head": "1. Responses and scores",
        "scores": (
            "The mean score (20-100) of each role and round with a 95% confidence "
            "interval (t distribution). Only responses with a score count."
        ),
        "bands_head": "2. Trends over time",
        "bands": (
            "The share of responses in each score band, round by round. Only "
            "responses with a score count."
        ),
        "changes_head": "3. Statements that moved",
        "changes": (
            "For each statement the answers of the two rounds are compared with a "
            "two-sided Mann-Whitney U test. As many statements are tested at once, "
            "the p-values are adjusted with Holm's method over all statements tested "
            "between the two rounds. A statement moved when its adjusted p-value is "
            "at most {alpha}. The effect size *r* (rank-biserial correlation) runs "
            "from -1 to 1: positive when the answers of the later round are higher. "
            "The answers of two rounds are treated as independent, as responses "
            "cannot be linked across rounds."
        ),
        "step_head": "From {round_from} to {round_to}",
        "moved": "{role_gen} answers moved on {n} of {tested} statements:",
        "moved_one": "{role_gen} answers moved on 1 of {tested} statements:",
        "moved_item": (
            "- **{item}** {text}: {direction} from {mean_from} to {mean_to} points "
            "(*r* = {r}, adjusted *p* {p})"
        ),
        "up": "up",
        "down": "down",
        "none_moved": "{role_gen} answers did not move on any of the {tested} statements.",
        "not_compared": "{role_gen} answers are not compared, because {reasons}.",
        "withheld_in": (
            "{round} has fewer than {min_group} {role_lower}, so their results are "
            "not shown"
        ),
        "absent_in": "{round} has no {role_lower}",
        "and": " and ",
        "gaps_head": "4. Leaders and employees: the gap over time",
        "gaps": (
            "The difference between the leaders' and the employees' mean answers to "
            "each pair of statements (leaders minus employees) in each round. A "
            "change towards 0 means leaders and employees came closer."
        ),
        "gaps_none": "The comparison needs leaders and employees shown in at least one round.",
        "reliability_head": "5. Reliability (Cronbach's alpha)",
        "reliability": (
            "Cronbach's alpha shows how well the statements of a section hang "
            "together, from 0 to 1; 0.7 or more is often seen as satisfactory. Alpha "
            "is computed over responses that answered every statement, with a 95% "
            "confidence interval by Feldt's method."
        ),
        "notes_withheld": (
            "{round} has {n} {role_lower}, fewer than {min_group}. So that nobody can "
            "see how one person answered, their results are not shown."
        ),
        "round": "Round",
        "role": "Role",
        "respondents": "Responses",
        "scored": "Scored",
        "mean_score": "Mean score",
        "ci": "95% confidence interval",
        "not_shown": "not shown",
        "statement": "Statement",
        "text": "Text",
        "before": "Before ({round})",
        "after": "After ({round})",
        "change": "Change",
        "p_adjusted": "p (Holm)",
        "moved_col": "Moved",
        "mark_up": "▲ up",
        "mark_down": "▼ down",
        "topic": "Topic",
        "gap_in": "Gap {round}",
        "gap_change": "Change {round_from} → {round_to}",
        "section": "Section",
        "all_items": "All statements",
        "complete": "Complete responses",
        "footer": (
            "Made with mus-analysis {version} on {date}. Groups of fewer than "
            "{min_group} responses are neither shown nor compared."
        ),
        "bands_title": "Share in each score band per round",
        "bands_y": "Share of scored responses",
        "means_title": "Mean score with 95% confidence interval",
        "means_y": "Score",
        "changes_title": "Change in mean answer from {round_from} to {round_to}",
        "changes_x": "Change in mean points",
        "significant": "Moved (Holm-adjusted p ≤ {alpha})",
        "not_significant": "Not significant",
        "percent": "{:.0f}%",
        "alt_moved": "moved: {items}",
        "alt_rest": "the other {n} statements did not move",
        "alt_none": "none of the {n} statements moved",
    },
}

_ROLE_GENITIVE = {
    "da": {"leader": "Ledernes", "employee": "Medarbejdernes"},
    "en": {"leader": "The leaders'", "employee": "The employees'"},
}

_CODEBOOK = {
    "da": {
        "title": "Kodebog",
        "intro": (
            "Filerne i denne mappe rummer svarene fra alle sammenlignede runder. "
            "Roller, der er skjult i en runde (færre besvarelser end "
            "anonymitetsgrænsen), er udeladt. `answers` har én række pr. besvarelse "
            "og udsagn, `respondents` én række pr. besvarelse; begge findes som "
            "Parquet og CSV (UTF-8 med BOM). `respondents.sav` er til SPSS: én "
            "række pr. besvarelse med svarene på alle udsagn som kolonner."
        ),
        "column": "Kolonne",
        "type": "Type",
        "description": "Beskrivelse",
        "code": "Kode",
        "label": "Betydning",
        "yes": "Ja",
        "no": "Nej",
        "round_number": "runde",
        "round": "Runden (navnet på rundens mappe)",
        "role": "Rolle: leder eller medarbejder",
        "respondent": "Besvarelsens nummer i runden: rollens bogstav og et løbenummer",
        "unit": "Enhed eller afdeling, som eksporten angav den; tom hvis ukendt",
        "item": "Udsagnets id (L01-L20 for ledere, E01-E20 for medarbejdere)",
        "points": "Svarets point, 1 (Aldrig) til 5 (Altid); tom hvis ubesvaret",
        "answered": "Antal besvarede udsagn",
        "missing": "Antal ubesvarede udsagn",
        "scored": "Har besvarelsen fået en pointsum",
        "score": "Pointsum, 20-100; tom hvis besvarelsen ikke har fået pointsum",
        "band": "Pointgruppe for pointsummen; tom hvis ingen pointsum",
        "reason": "Hvorfor besvarelsen ikke har fået pointsum; tom hvis den har",
        "prorated": "Er pointsummen beregnet ud fra færre end alle udsagn (gennemsnit gange 20)",
        "section": "Gennemsnitlige point i afsnit {section} ({text})",
        "file": "Eksportfilen, besvarelsen kom fra",
        "row": "Rækkenummeret i eksportfilen",
    },
    "en": {
        "title": "Codebook",
        "intro": (
            "The files in this folder hold the answers of all compared rounds. Roles "
            "withheld in a round (fewer responses than the anonymity threshold) are "
            "left out. `answers` has one row per response and statement, "
            "`respondents` one row per response; both come as Parquet and CSV "
            "(UTF-8 with BOM). `respondents.sav` is for SPSS: one row per response "
            "with the answers to every statement as columns."
        ),
        "column": "Column",
        "type": "Type",
        "description": "Description",
        "code": "Code",
        "label": "Meaning",
        "yes": "Yes",
        "no": "No",
        "round_number": "round",
        "round": "The round (the name of the round's folder)",
        "role": "Role: leader or employee",
        "respondent": "The response's number in the round: the role's letter and a number",
        "unit": "Unit or department as the export gave it; empty when unknown",
        "item": "The statement's id (L01-L20 for leaders, E01-E20 for employees)",
        "points": "The answer's points, 1 (Never) to 5 (Always); empty when unanswered",
        "answered": "Number of statements answered",
        "missing": "Number of statements not answered",
        "scored": "Whether the response has a score",
        "score": "Score, 20-100; empty when the response has no score",
        "band": "Score band of the score; empty when there is no score",
        "reason": "Why the response has no score; empty when it has one",
        "prorated": "Whether the score was computed from fewer than all statements "
                    "(mean times 20)",
        "section": "Mean points in section {section} ({text})",
        "file": "The export file the response came from",
        "row": "The row number in the export file",
    },
}


# ------------------------------------------------------------------- words


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"The value for `lang` must be one of {list(LANGUAGES)}, "
                         f"but {lang!r} was passed.")
    return lang


def words(lang: str) -> dict[str, str]:
    """The comparison's fixed words in ``lang``."""
    return _T[check_lang(lang)]


def codebook_words(lang: str) -> dict[str, str]:
    """The codebook's words in ``lang``: headings and a description per column."""
    return _CODEBOOK[check_lang(lang)]


def _rounds_text(rounds: list[str], lang: str) -> str:
    names = [html.escape(r) for r in rounds]
    return ", ".join(names[:-1]) + words(lang)["and"] + names[-1]


def _role_lower(instrument: Instrument, role: str, lang: str) -> str:
    return instrument.roles.set_index("role").at[role, lang].lower()


def _role_name(instrument: Instrument, role: str, lang: str) -> str:
    return instrument.roles.set_index("role").at[role, lang]


def _signed(value: float, lang: str, decimals: int = 2) -> str:
    if pd.isna(value):
        return "–"
    value = round(float(value), decimals) or 0.0  # no "-0.00"
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return sign + number(abs(value), lang, decimals)


def _p_text(p: float, lang: str) -> str:
    """``= 0.012`` or ``< 0.001``, for a sentence."""
    if p < 0.001:
        return "< " + number(0.001, lang, 3)
    return "= " + number(p, lang, 3)


def _p_cell(p: float, lang: str) -> str:
    if pd.isna(p):
        return "–"
    return "< " + number(0.001, lang, 3) if p < 0.001 else number(p, lang, 3)


def steps(comparison: Comparison) -> list[tuple[str, str]]:
    """The pairs of rounds compared, as ``(round_from, round_to)``, in report order."""
    frame = comparison.pairs_of_rounds
    return list(zip(frame["round_from"], frame["round_to"]))


def _step(frame: pd.DataFrame, step: tuple[str, str]) -> pd.DataFrame:
    return frame[(frame["round_from"] == step[0]) & (frame["round_to"] == step[1])]


def title(comparison: Comparison, lang: str) -> str:
    return "# " + words(lang)["title"].format(rounds=_rounds_text(comparison.rounds, lang))


def intro(comparison: Comparison, lang: str) -> str:
    w = words(lang)
    return w["intro"].format(n=len(comparison.rounds),
                             rounds=_rounds_text(comparison.rounds, lang),
                             first_last=w["first_last"] if len(comparison.rounds) > 2 else "")


def heading(key: str, lang: str, level: int = 2) -> str:
    return "#" * level + " " + words(lang)[f"{key}_head"]


def paragraph(key: str, lang: str, comparison: Comparison | None = None) -> str:
    """A fixed paragraph; ``changes`` names the comparison's significance level."""
    alpha = number(comparison.alpha, lang, 3).rstrip("0") if comparison else ""
    return words(lang)[key].format(alpha=alpha)


def step_heading(step: tuple[str, str], lang: str, level: int = 3) -> str:
    return "#" * level + " " + words(lang)["step_head"].format(
        round_from=html.escape(step[0]), round_to=html.escape(step[1]))


def role_notes(comparison: Comparison, lang: str) -> str:
    """Sentences for each round where a role is withheld; empty when none."""
    w = words(lang)
    notes = []
    for row in comparison.scores.itertuples(index=False):
        if row.status == "withheld":
            notes.append(w["notes_withheld"].format(
                round=html.escape(row.round), n=row.respondents,
                min_group=comparison.min_group,
                role_lower=_role_lower(comparison.instrument, row.role, lang)))
    return "\n\n".join(notes)


def moved(comparison: Comparison, step: tuple[str, str], lang: str) -> str:
    """Which statements moved between two rounds, role by role, in plain words.

    Names every statement whose Holm-adjusted p-value is at most the
    comparison's alpha, with its direction and means; says so when none did,
    and why a role was not compared.
    """
    w = words(lang)
    instrument = comparison.instrument
    texts = instrument.item_text(lang)
    changes = _step(comparison.changes, step)
    compared = _step(comparison.compared, step).set_index("role")
    parts = []
    for role in ROLES:
        role_gen = _ROLE_GENITIVE[lang][role]
        status = compared.loc[role]
        if status["status_from"] == "absent" and status["status_to"] == "absent":
            continue
        if not status["compared"]:
            reasons = [
                w[f"{s}_in"].format(round=html.escape(r), min_group=comparison.min_group,
                                    role_lower=_role_lower(instrument, role, lang))
                for s, r in ((status["status_from"], step[0]), (status["status_to"], step[1]))
                if s != "shown"
            ]
            parts.append(w["not_compared"].format(role_gen=role_gen,
                                                  reasons=w["and"].join(reasons)))
            continue
        tested = changes[(changes["role"] == role) & changes["p"].notna()]
        hits = tested[tested["significant"]]
        if hits.empty:
            parts.append(w["none_moved"].format(role_gen=role_gen, tested=len(tested)))
            continue
        key = "moved_one" if len(hits) == 1 else "moved"
        lines = [w[key].format(role_gen=role_gen, n=len(hits), tested=len(tested))]
        for row in hits.itertuples(index=False):
            lines.append(w["moved_item"].format(
                item=row.item, text=texts[row.item],
                direction=w["up"] if row.delta > 0 else w["down"],
                mean_from=number(row.mean_from, lang, 2),
                mean_to=number(row.mean_to, lang, 2),
                r=_signed(row.rank_biserial, lang), p=_p_text(row.p_adjusted, lang)))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


# ------------------------------------------------------------------ tables


def scores_table(comparison: Comparison, lang: str) -> pd.DataFrame:
    """Responses, scored responses and mean score per round and role, for display."""
    w = words(lang)
    rows = []
    for row in comparison.scores.itertuples(index=False):
        if row.status == "absent":
            continue
        shown = row.status == "shown"
        rows.append({
            w["round"]: row.round,
            w["role"]: _role_name(comparison.instrument, row.role, lang),
            w["respondents"]: row.respondents,
            w["scored"]: int(row.scored) if shown else "–",
            w["mean_score"]: _maybe(row.mean_score, lang, 1) if shown else w["not_shown"],
            w["ci"]: _interval(row.ci_low, row.ci_high, lang, 1) if shown else "–",
        })
    return pd.DataFrame(rows).set_index([w["round"], w["role"]])


def changes_table(comparison: Comparison, step: tuple[str, str], lang: str) -> pd.DataFrame:
    """Every statement tested between two rounds, the moved ones marked, for display."""
    w = words(lang)
    texts = comparison.instrument.item_text(lang)
    changes = _step(comparison.changes, step)
    marks = np.where(changes["delta"] > 0, w["mark_up"], w["mark_down"])
    table = pd.DataFrame({
        w["statement"]: changes["item"],
        w["text"]: changes["item"].map(texts),
        w["before"].format(round=step[0]): [_maybe(v, lang, 2) for v in changes["mean_from"]],
        w["after"].format(round=step[1]): [_maybe(v, lang, 2) for v in changes["mean_to"]],
        w["change"]: [_signed(v, lang) for v in changes["delta"]],
        "r": [_signed(v, lang) for v in changes["rank_biserial"]],
        w["p_adjusted"]: [_p_cell(v, lang) for v in changes["p_adjusted"]],
        w["moved_col"]: np.where(changes["significant"], marks, ""),
    })
    return table.set_index(w["statement"])


def gaps_table(comparison: Comparison, lang: str) -> pd.DataFrame:
    """The leader/employee gap per pair in each round and its change, for display.

    Empty when no round shows both roles.
    """
    w = words(lang)
    gaps = comparison.gaps
    if gaps.empty:
        return pd.DataFrame()
    topics = comparison.instrument.pairs.set_index("pair")[lang]
    rounds = [r for r in comparison.rounds if r in set(gaps["round"])]
    wide = gaps.pivot(index="pair", columns="round", values="gap").reindex(
        index=comparison.instrument.pairs["pair"], columns=rounds)
    table = pd.DataFrame(index=wide.index.map(topics))
    table.index.name = w["topic"]
    for r in rounds:
        table[w["gap_in"].format(round=r)] = [_signed(v, lang) for v in wide[r]]
    changes = comparison.gap_changes
    for step in steps(comparison):
        part = _step(changes, step).set_index("pair")["change"]
        if not part.empty:
            column = w["gap_change"].format(round_from=step[0], round_to=step[1])
            table[column] = [_signed(part[p], lang) if p in part.index else "–"
                             for p in wide.index]
    return table


def reliability_table(comparison: Comparison, lang: str) -> pd.DataFrame:
    """Cronbach's alpha with its interval per round, role and section, for display."""
    w = words(lang)
    instrument = comparison.instrument
    sections = dict(zip(instrument.sections["section"], instrument.sections[lang]))
    sections["all"] = w["all_items"]
    rows = {}
    for (round_name, role), part in comparison.reliability.groupby(["round", "role"],
                                                                   sort=False):
        cells = {sections[r.section]: _alpha_cell(r, lang)
                 for r in part.itertuples(index=False)}
        rows[(round_name, _role_name(instrument, role, lang))] = {
            **cells, w["complete"]: int(part["respondents"].iloc[0])}
    if not rows:
        return pd.DataFrame()
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = [w["round"], w["role"]]
    return table


def _alpha_cell(row, lang: str) -> str:
    if pd.isna(row.alpha):
        return "–"
    return f"{number(row.alpha, lang, 2)} ({_interval(row.ci_low, row.ci_high, lang, 2)})"


def _maybe(value: float, lang: str, decimals: int) -> str:
    return "–" if pd.isna(value) else number(value, lang, decimals)


def _interval(low: float, high: float, lang: str, decimals: int) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    low, high = (number(v, lang, decimals).replace("-", "\u2212") for v in (low, high))
    return f"{low}–{high}"


def footer(comparison: Comparison, lang: str, *, version: str, date: str) -> str:
    return "*" + words(lang)["footer"].format(version=version, date=date,
                                              min_group=comparison.min_group) + "*"


# ------------------------------------------------------------------ charts


def means_alt(comparison: Comparison, lang: str) -> str:
    """The mean-score chart in words, for its alt text: each role's mean score
    and interval per round."""
    w = words(lang)
    parts = []
    for role in ROLES:
        rows = comparison.scores[(comparison.scores["role"] == role)
                                 & (comparison.scores["status"] != "absent")]
        if rows.empty:
            continue
        rounds = [f"{row.round} {_maybe(row.mean_score, lang, 1)} "
                  f"({_interval(row.ci_low, row.ci_high, lang, 1)})"
                  if row.status == "shown" else f"{row.round} {w['not_shown']}"
                  for row in rows.itertuples(index=False)]
        parts.append(f"{_role_name(comparison.instrument, role, lang)}: {', '.join(rounds)}")
    return f"{w['means_title']}. " + "; ".join(parts) + "."


def bands_alt(comparison: Comparison, lang: str) -> str:
    """The band-share chart in words, for its alt text: per role and round, the
    share in each band that has any, or that the round is not shown."""
    w = words(lang)
    bands = comparison.bands
    parts = []
    for role in [r for r in ROLES if r in set(bands["role"])]:
        for round_name in comparison.rounds:
            rows = bands[(bands["role"] == role) & (bands["round"] == round_name)]
            shares = ", ".join(f"{row.band} {w['percent'].format(row.share * 100)}"
                               for row in rows.itertuples(index=False) if row.share > 0)
            parts.append(f"{_role_name(comparison.instrument, role, lang)} {round_name}: "
                         + (shares or w["not_shown"]))
    return f"{w['bands_title']}. " + "; ".join(parts) + "."


def changes_alt(comparison: Comparison, step: tuple[str, str], lang: str) -> str:
    """The chart of changes between two rounds in words, for its alt text: per
    role the statements that moved (id and topic, as the chart labels them),
    with their change, and how many did not."""
    w = words(lang)
    data = _step(comparison.changes, step)
    parts = []
    for role in [r for r in ROLES if r in set(data["role"])]:
        rows = data[data["role"] == role]
        moved = rows[rows["significant"].astype(bool)]
        topics = comparison.instrument.pairs.set_index("pair")[lang]
        items = ", ".join(f"{row.item} {topics[row.pair]} {_signed(row.delta, lang)}"
                          for row in moved.itertuples(index=False))
        rest = len(rows) - len(moved)
        said = (w["alt_none"].format(n=rest) if moved.empty else
                w["alt_moved"].format(items=items)
                + (f"; {w['alt_rest'].format(n=rest)}" if rest else ""))
        parts.append(f"{_role_name(comparison.instrument, role, lang)}: {said}")
    title = w["changes_title"].format(round_from=step[0], round_to=step[1])
    return f"{title}. " + "; ".join(parts) + "."


def plot_band_shares(bands: pd.DataFrame, *, rounds: list[str],
                     instrument: Instrument | None = None, lang: str = "da") -> Figure:
    """Draw the share of scored respondents in each band, per round and role.

    One panel per role, one 100 % stacked bar per round (the first at the top)
    from the lowest band (left, red) to the highest (right, blue). A round where the role is not
    shown has no bar and is marked as not shown.

    Parameters
    ----------
    bands : DataFrame
        ``round``, ``role``, ``band``, ``share`` (0-1), as
        :func:`~mus_analysis.compare.band_shares` returns.
    rounds : list of str
        Every round in order, also those without rows.
    instrument : Instrument, optional
        The questionnaire; the built-in MUS test by default.
    lang : {"da", "en"}
        Language of every word on the chart.

    Returns
    -------
    Figure
    """
    w = words(lang)
    instrument = instrument or load_instrument()
    roles = [r for r in ROLES if r in set(bands["role"])]
    order = instrument.bands["band"].tolist()
    data = bands.assign(
        round=pd.Categorical(bands["round"].astype(str), categories=rounds),
        band=pd.Categorical(bands["band"].astype(str), categories=order),
        percent=bands["share"].astype("float64") * 100)

    height = 0.45 * len(rounds) + 0.9
    fig, axes = plt.subplots(max(len(roles), 1), 1, sharex=True, layout="constrained",
                             figsize=(FIG_WIDTH, height * max(len(roles), 1) + 1.4),
                             squeeze=False)
    for ax, role in zip(axes.flat, roles):
        part = data[data["role"] == role]
        # seaborn stacks the last hue level first: reversed, the lowest band is at the left.
        sns.histplot(data=part, y="round", hue="band", weights="percent",
                     hue_order=order[::-1], palette=list(SCALE_PALETTE)[::-1],
                     multiple="stack", discrete=True, shrink=0.7,
                     edgecolor="white", linewidth=0.6, alpha=1, legend=False, ax=ax)
        for bar in ax.patches:
            if bar.get_width() >= MIN_LABELLED_SHARE * 100:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                        w["percent"].format(bar.get_width()), ha="center", va="center",
                        fontsize="small", color=_ink(bar.get_facecolor()))
        for y, name in enumerate(rounds):
            if name not in set(part["round"].astype(str)):
                ax.text(1, y, w["not_shown"], ha="left", va="center", color="0.4")
        ax.set_yticks(range(len(rounds)), rounds)
        ax.set_ylim(len(rounds) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(PercentFormatter(decimals=0, symbol=" %" if lang == "da"
                                                      else "%"))
        ax.set_title(_role_name(instrument, role, lang), loc="left")
        ax.set_ylabel("")
        ax.tick_params(axis="y", length=0)
        sns.despine(ax=ax, left=True)
    axes.flat[-1].set_xlabel(w["bands_y"])
    handles = [Patch(color=c, label=f"{b}: {v}") for c, b, v in
               zip(SCALE_PALETTE, order, instrument.bands[lang])]
    fig.legend(handles=handles, loc="outside lower left", frameon=False, fontsize="small")
    fig.suptitle(w["bands_title"], x=0.01, ha="left")
    return fig


def _ink(colour) -> str:
    """Black or white, whichever reads better on ``colour``."""
    red, green, blue = to_rgb(colour)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "black"


def plot_mean_scores(respondents: pd.DataFrame, *, rounds: list[str],
                     instrument: Instrument | None = None, lang: str = "da",
                     confidence: float = 0.95, ax: Axes | None = None) -> Axes:
    """Draw the mean score per round and role with its t-based confidence interval.

    The interval is computed from the scores by :func:`stats.mean_ci`, the
    same function as the comparison's tables.

    Parameters
    ----------
    respondents : DataFrame
        ``round``, ``role``, ``scored``, ``score``: the respondents of the
        shown roles, as :func:`~mus_analysis.compare.respondents_table`
        returns.
    rounds : list of str
        Every round in order.
    instrument : Instrument, optional
        The questionnaire; the built-in MUS test by default.
    lang : {"da", "en"}
        Language of every word on the chart.
    confidence : float, default 0.95
        The interval's coverage.
    ax : Axes, optional
        Axes to draw on. Without it, a new figure is made.

    Returns
    -------
    Axes
    """
    w = words(lang)
    instrument = instrument or load_instrument()
    names = instrument.roles.set_index("role")[lang]
    scored = respondents[respondents["scored"].astype(bool)]
    data = pd.DataFrame({"round": scored["round"].astype(str),
                         "role": scored["role"].map(names).astype(str),
                         "score": scored["score"].astype("float64")})
    hue_order = [names[r] for r in ROLES if names[r] in set(data["role"])]

    if ax is None:
        _, ax = plt.subplots(figsize=(FIG_WIDTH, 4.2), layout="constrained")
    sns.pointplot(data=data, x="round", y="score", hue="role", order=rounds,
                  hue_order=hue_order, palette={names[r]: c for r, c in ROLE_PALETTE.items()},
                  errorbar=lambda v: stats.mean_ci(v, confidence=confidence)[1:],
                  dodge=0.2, capsize=0.08, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel(w["means_y"])
    ax.grid(axis="y", color="0.9")
    ax.set_axisbelow(True)
    ax.legend(title="", frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncol=2)
    ax.set_title(w["means_title"], loc="left", pad=26)
    sns.despine(ax=ax)
    return ax


def plot_item_changes(changes: pd.DataFrame, *, step: tuple[str, str], alpha: float,
                      instrument: Instrument | None = None, lang: str = "da") -> Figure:
    """Draw the change in mean points of every statement between two rounds.

    One panel per compared role, one bar per statement labelled with its id
    and the pair's topic. Statements that moved (``significant``) are drawn
    in the role's colour with the change written at the bar's end; the others
    are grey.

    Parameters
    ----------
    changes : DataFrame
        As :func:`~mus_analysis.compare.item_changes` returns.
    step : (str, str)
        The two rounds, earlier first.
    alpha : float
        The significance level, for the legend.
    instrument : Instrument, optional
        The questionnaire; the built-in MUS test by default.
    lang : {"da", "en"}
        Language of every word on the chart.

    Returns
    -------
    Figure
    """
    w = words(lang)
    instrument = instrument or load_instrument()
    data = _step(changes, step)
    roles = [r for r in ROLES if r in set(data["role"])]
    if not roles:
        raise ValueError(f"`changes` has no statement compared from {step[0]!r} to "
                         f"{step[1]!r}; there is nothing to draw.")
    topics = instrument.pairs.set_index("pair")[lang]
    heights = [len(data[data["role"] == r]) for r in roles]

    fig, axes = plt.subplots(len(roles), 1, figsize=(FIG_WIDTH, 0.27 * sum(heights) + 1.8),
                             sharex=True, layout="constrained", squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    largest = data["delta"].abs().max(skipna=True)
    limit = max(1.25 * (0.0 if pd.isna(largest) else float(largest)), 0.5)
    for ax, role in zip(axes.flat, roles):
        part = data[data["role"] == role].assign(
            label=lambda d: d["item"] + "  " + d["pair"].map(topics),
            moved=lambda d: d["significant"].astype(bool))
        colour = ROLE_PALETTE[role]
        sns.barplot(data=part, x="delta", y="label", hue="moved",
                    palette={True: colour, False: NOT_SIGNIFICANT}, hue_order=[True, False],
                    dodge=False, legend=False, ax=ax, width=0.7, saturation=1)
        for y, row in enumerate(part.itertuples(index=False)):
            if row.moved:
                ax.text(row.delta, y, " " + _signed(row.delta, lang) + " ",
                        ha="left" if row.delta > 0 else "right", va="center",
                        fontweight="bold", color=colour)
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_xlim(-limit, limit)
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda x, _: _signed(x, lang) if round(x, 2) else "0"))
        ax.set_ylabel("")
        ax.set_title(_role_name(instrument, role, lang), loc="left")
        ax.grid(axis="x", color="0.9")
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        sns.despine(ax=ax, left=True)
    axes.flat[-1].set_xlabel(w["changes_x"])
    alpha_text = number(alpha, lang, 3).rstrip("0")
    moved_handle = tuple(Patch(color=ROLE_PALETTE[r]) for r in roles)
    axes.flat[0].legend([moved_handle, Patch(color=NOT_SIGNIFICANT)],
                        [w["significant"].format(alpha=alpha_text), w["not_significant"]],
                        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
                        loc="lower left", bbox_to_anchor=(0, 1.06), ncol=2, frameon=False,
                        fontsize="small")
    fig.suptitle(w["changes_title"].format(round_from=step[0], round_to=step[1]),
                 x=0.01, ha="left")
    return fig
