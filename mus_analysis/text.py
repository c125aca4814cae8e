"""The words of the round report, in Danish and English.

The report notebook shows no static prose: each paragraph, heading and alt
text is made here from the round's figures, so one parameter switches the
whole report's language, numbers included (``3,50`` in Danish, ``3.50`` in
English). Headings are HTML with a fixed ``id`` per section (``bands``,
``spread``, ...), the same in both languages, so links into a report and its
table of contents do not depend on the language.
"""

from __future__ import annotations

import html

from .analysis import RoundAnalysis
from .instrument import LANGUAGES

_T = {
    "da": {
        "title": "MUS-testen: {round}",
        "contents": "Indhold",
        "summary_head": "Kort fortalt",
        "summary_responses": (
            "{respondents} besvarelser indgår i analysen: {by_role}. {scored} har svaret "
            "på alle udsagn og har fået en samlet pointsum."
        ),
        "summary_role_count": "{n} fra {role_plural_lower}",
        "summary_and": " og ",
        "summary_top_band": (
            "**{role_plural}:** flest ligger i pointgruppen **{band}** ({count} af "
            "{scored}, {share}): *{verdict}*"
        ),
        "summary_not_scored": (
            "**{role_plural}:** ingen har svaret på alle udsagn, så ingen har fået en "
            "samlet pointsum."
        ),
        "summary_withheld": (
            "**{role_plural}:** vises ikke, da der er færre end {min_group} besvarelser."
        ),
        "summary_absent": "**{role_plural}:** ingen besvarelser.",
        "largest_gaps_head": "Største forskelle mellem ledere og medarbejdere",
        "largest_gaps": (
            "De tre par af udsagn, hvor ledernes og medarbejdernes gennemsnitlige svar "
            "ligger længst fra hinanden, på en skala fra 1 (*Aldrig*) til 5 (*Altid*). "
            "Forskellen er ledernes gennemsnit minus medarbejdernes."
        ),
        "weakest_head": "Svageste udsagn",
        "weakest": (
            "For hver gruppe de tre udsagn med det laveste gennemsnitlige svar, på en "
            "skala fra 1 (*Aldrig*) til 5 (*Altid*)."
        ),
        "about_head": "Om MUS-testen",
        "about": (
            "MUS-testen spørger ledere og medarbejdere, hvor godt arbejdspladsens "
            "MUS-proces fungerer. Hver besvarer 20 udsagn på en skala fra *Aldrig* "
            "(1 point) til *Altid* (5 point), så hver besvarelse giver 20-100 point. "
            "Pointene placerer besvarelsen i en af fem grupper, fra »skaber næsten "
            "ingen værdi« til »skaber stor værdi«. Resultaterne er et udgangspunkt "
            "for dialog, fx i samarbejdsudvalget, ikke en bedømmelse af den enkelte."
        ),
        "quality_head": "Datagrundlag",
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
            "sorteret efter forskellen. Forskellen er ledernes gennemsnit minus "
            "medarbejdernes. Store forskelle er et godt sted at begynde dialogen."
        ),
        "pairs_withheld": "Sammenligningen kræver, at både ledere og medarbejdere vises.",
        "sections_head": "Gennemsnit pr. afsnit",
        "footer": (
            "Rapporten er lavet med mus-analysis {version} den {date}. Grupper med "
            "færre end {min_group} besvarelser vises ikke."
        ),
        # Alt texts of the charts.
        "bands_alt": (
            "Søjlediagram over antal besvarelser med en samlet pointsum i hver "
            "pointgruppe. {counts}"
        ),
        "spread_alt": (
            "Stablet søjlediagram over svarene fra {role_plural_lower} på {n} udsagn, "
            "fra {lowest} til {highest}. Flest svarer {top} på {most} ({most_share}), "
            "færrest på {least} ({least_share})."
        ),
        "pairs_alt": (
            "Prikdiagram over ledernes og medarbejdernes gennemsnitlige svar (1-5) på "
            "{n} par af udsagn, sorteret efter forskellen. Størst er forskellen ved "
            "{topic}: {leaders} {leader_mean}, {employees} {employee_mean}."
        ),
        "or": " eller ",
        "quote": "»{}«",
        # Table headers and sheet names.
        "role": "Rolle",
        "band": "Pointgruppe",
        "verdict": "Betydning",
        "pair": "Emne",
        "gap": "Forskel",
        "item": "Nr.",
        "statement": "Udsagn",
        "section": "Afsnit",
        "mean": "Gennemsnit (1-5)",
        "mean_score": "Gennemsnitlig pointsum",
        "respondents": "Besvarelser",
        "scored": "Med pointsum",
        "answers": "Svar i alt",
        "sheet_largest_gaps": "Største forskelle",
        "sheet_weakest": "Svageste udsagn",
        "sheet_responses": "Besvarelser",
        "sheet_bands": "Pointgrupper",
        "sheet_spread": "Spredning, {role_plural_lower}",
        "sheet_pairs": "Ledere og medarbejdere",
        "sheet_sections": "Afsnit",
    },
    "en": {
        "title": "The MUS test: {round}",
        "contents": "Contents",
        "summary_head": "Summary",
        "summary_responses": (
            "{respondents} responses are analysed: {by_role}. {scored} answered every "
            "statement and have a score."
        ),
        "summary_role_count": "{n} from {role_plural_lower}",
        "summary_and": " and ",
        "summary_top_band": (
            "**{role_plural}:** most are in the band **{band}** ({count} of {scored}, "
            "{share}): *{verdict}*"
        ),
        "summary_not_scored": (
            "**{role_plural}:** nobody answered every statement, so nobody has a score."
        ),
        "summary_withheld": (
            "**{role_plural}:** not shown, as there are fewer than {min_group} responses."
        ),
        "summary_absent": "**{role_plural}:** no responses.",
        "largest_gaps_head": "Largest gaps between leaders and employees",
        "largest_gaps": (
            "The three pairs of statements where the leaders' and the employees' mean "
            "answers lie furthest apart, on a scale from 1 (*Never*) to 5 (*Always*). "
            "The difference is the leaders' mean minus the employees'."
        ),
        "weakest_head": "Weakest statements",
        "weakest": (
            "For each group the three statements with the lowest mean answer, on a "
            "scale from 1 (*Never*) to 5 (*Always*)."
        ),
        "about_head": "About the MUS test",
        "about": (
            "The MUS test asks leaders and employees how well the workplace's MUS "
            "process (the yearly employee development dialogue) works. Each answers "
            "20 statements on a scale from *Never* (1 point) to *Always* (5 points), "
            "so each set of answers scores 20-100 points. The score places it in one "
            "of five bands, from \u201ccreates almost no value\u201d to \u201ccreates "
            "great value\u201d. The results are a starting point for dialogue, for example in "
            "the cooperation committee, not a judgement of any person."
        ),
        "quality_head": "The data",
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
            "sorted by the difference. The difference is the leaders' mean minus "
            "the employees'. Large differences are a good place to start the dialogue."
        ),
        "pairs_withheld": "The comparison needs both leaders and employees to be shown.",
        "sections_head": "Mean per section",
        "footer": (
            "Report made with mus-analysis {version} on {date}. Groups of fewer than "
            "{min_group} responses are not shown."
        ),
        "bands_alt": (
            "Bar chart of the number of responses with a score in each band. {counts}"
        ),
        "spread_alt": (
            "Stacked bar chart of the {role_plural_lower}' answers to {n} statements, "
            "from {lowest} to {highest}. Most answer {top} to {most} ({most_share}), "
            "fewest to {least} ({least_share})."
        ),
        "pairs_alt": (
            "Dot chart of the leaders' and the employees' mean answers (1-5) on {n} "
            "pairs of statements, sorted by the difference. The difference is largest "
            "on {topic}: {leaders} {leader_mean}, {employees} {employee_mean}."
        ),
        "or": " or ",
        "quote": "\u201c{}\u201d",
        "role": "Role",
        "band": "Band",
        "verdict": "Meaning",
        "pair": "Topic",
        "gap": "Difference",
        "item": "No.",
        "statement": "Statement",
        "section": "Section",
        "mean": "Mean (1-5)",
        "mean_score": "Mean score",
        "respondents": "Responses",
        "scored": "Scored",
        "answers": "Answers in total",
        "sheet_largest_gaps": "Largest gaps",
        "sheet_weakest": "Weakest statements",
        "sheet_responses": "Responses",
        "sheet_bands": "Bands",
        "sheet_spread": "Spread, {role_plural_lower}",
        "sheet_pairs": "Leaders and employees",
        "sheet_sections": "Sections",
    },
}

# The separators of each language: (thousands, decimal), and how a percentage
# is written (Danish puts a non-breaking space before the sign).
_SEPARATORS = {"da": (".", ","), "en": (",", ".")}
_PERCENT = {"da": "{}\u00a0%", "en": "{}%"}
MINUS = "\u2212"


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"The value for `lang` must be one of {list(LANGUAGES)}, "
                         f"but {lang!r} was passed.")
    return lang


def words(lang: str) -> dict[str, str]:
    """The report's fixed words in ``lang``."""
    return _T[check_lang(lang)]


# Numbers ------------------------------------------------------------------


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number written the way readers of ``lang`` write it: ``1.234,5`` or ``1,234.5``."""
    thousands, decimal = _SEPARATORS[check_lang(lang)]
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def integer(value: int, lang: str) -> str:
    """A whole number with the thousands separator of ``lang``."""
    return number(int(value), lang, 0)


def signed(value: float, lang: str, decimals: int = 2) -> str:
    """A difference with its sign: ``+0,58``, ``−0,38`` (a true minus sign), ``0,00``."""
    value = round(float(value), decimals) or 0.0  # no "-0.00"
    text = number(abs(value), lang, decimals)
    return text if value == 0 else ("+" if value > 0 else MINUS) + text


def percent(share: float, lang: str) -> str:
    """A share (0-1) as a whole percentage: ``78 %`` in Danish, ``78%`` in English."""
    return _PERCENT[check_lang(lang)].format(integer(round(share * 100), lang))


# Helpers --------------------------------------------------------------------


def _role_words(analysis: RoundAnalysis, role: str, lang: str) -> dict[str, str]:
    roles = analysis.instrument.roles.set_index("role")
    plural = roles.at[role, lang]
    return {"role_plural": plural,
            "role_plural_lower": plural.lower(),
            "role_lower": roles.at[role, f"{lang}_singular"].lower()
            if lang == "da" else plural.lower()}


def _quote(text: str, lang: str) -> str:
    return words(lang)["quote"].format(text)


def _markdown_safe(text: str) -> str:
    """Text from the data (round name, statements) as literal text in Markdown."""
    escaped = html.escape(str(text), quote=False)
    return "".join("\\" + c if c in "\\`*_[]#|~" else c for c in escaped)


# Headings and paragraphs ------------------------------------------------------


def title(analysis: RoundAnalysis, lang: str) -> str:
    """The report's title as an ``<h1 id="top">``."""
    text = words(lang)["title"].format(round=analysis.round)
    return f'<h1 id="top">{html.escape(text)}</h1>'


def heading(key: str, lang: str, level: int = 2) -> str:
    """A section heading, ``<h2 id="key">`` with the words of ``key + "_head"``."""
    return f'<h{level} id="{key}">{html.escape(words(lang)[f"{key}_head"])}</h{level}>'


def paragraph(key: str, lang: str) -> str:
    return words(lang)[key]


def intro(lang: str) -> str:
    """What the MUS test is, for a reader who has not met it."""
    return words(lang)["about"]


def role_heading(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The heading over one role's spread chart, ``<h3 id="spread-<role>">``."""
    text = words(lang)["spread_role"].format(**_role_words(analysis, role, lang))
    return f'<h3 id="spread-{role}">{html.escape(text)}</h3>'


def summary(analysis: RoundAnalysis, lang: str) -> str:
    """The first lines of the report (Markdown): who answered, and the band most
    of each role falls in, with its verdict."""
    w = words(lang)
    counts = analysis.respondents["role"].value_counts()
    present = [r for r in analysis.instrument.roles["role"] if counts.get(r, 0)]
    by_role = w["summary_and"].join(
        w["summary_role_count"].format(n=integer(counts[r], lang),
                                       **_role_words(analysis, r, lang))
        for r in present)
    quality = analysis.summary["data_quality"]
    lines = [w["summary_responses"].format(respondents=integer(quality["respondents"], lang),
                                           by_role=by_role,
                                           scored=integer(quality["scored"], lang)), ""]

    verdicts = analysis.instrument.bands.set_index("band")[lang]
    top_bands = analysis.summary["headlines"]["top_band"]
    for role in analysis.instrument.roles["role"]:
        names = _role_words(analysis, role, lang)
        if role not in present:
            line = w["summary_absent"].format(**names)
        elif role in analysis.withheld:
            line = w["summary_withheld"].format(min_group=analysis.min_group, **names)
        elif top_bands.get(role) is None:
            line = w["summary_not_scored"].format(**names)
        else:
            figures = analysis.summary["roles"][role]
            band = top_bands[role]
            count, scored = figures["bands"][band], figures["scored"]
            line = w["summary_top_band"].format(
                band=band, count=integer(count, lang), scored=integer(scored, lang),
                share=percent(count / scored, lang),
                verdict=_markdown_safe(verdicts[band]), **names)
        lines.append(f"- {line}")
    return "\n".join(lines)


def quality(analysis: RoundAnalysis, lang: str) -> str:
    """The data-quality paragraph: received, scored, not scored and why."""
    w = words(lang)
    s = analysis.summary["data_quality"]
    prorated = int(analysis.respondents["prorated"].sum())
    text = w["quality"].format(received=integer(s["rows_received"], lang),
                               respondents=integer(s["respondents"], lang),
                               scored=integer(s["scored"], lang))
    if analysis.max_missing:
        text += w["quality_prorated"].format(max_missing=integer(analysis.max_missing, lang),
                                             prorated=integer(prorated, lang))
    if s["not_scored"]:
        text += w["quality_not_scored"].format(not_scored=integer(s["not_scored"], lang))
    if s["answers_set_to_missing"]:
        text += w["quality_invalid"].format(
            invalid=integer(s["answers_set_to_missing"], lang))
    if s["dropped_rows"]:
        text += w["quality_dropped"].format(dropped=integer(s["dropped_rows"], lang))
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
        notes.append(w[key].format(n=integer(counts.get(role, 0), lang),
                                   min_group=integer(analysis.min_group, lang),
                                   **_role_words(analysis, role, lang)))
    return "\n\n".join(notes)


def footer(analysis: RoundAnalysis, lang: str, *, version: str, date: str) -> str:
    return "*" + words(lang)["footer"].format(
        version=version, date=date, min_group=integer(analysis.min_group, lang)) + "*"


# Alt texts --------------------------------------------------------------------


def bands_alt(analysis: RoundAnalysis, lang: str) -> str:
    """The alt text of the bands chart: every count it shows, in words."""
    roles = analysis.instrument.roles.set_index("role")[lang]
    order = analysis.instrument.bands["band"].tolist()[::-1]
    counts = analysis.bands.set_index(["role", "band"])["count"]
    parts = []
    for role in analysis.shown:
        listed = ", ".join(f"{band}: {integer(counts[role, band], lang)}" for band in order)
        parts.append(f"{roles[role]}: {listed}.")
    return words(lang)["bands_alt"].format(counts=" ".join(parts)).strip()


def spread_alt(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The alt text of one role's spread chart: what it shows, and the statements
    with the largest and the smallest share of the two highest answers."""
    w = words(lang)
    scale = analysis.instrument.scale
    top_points = scale["points"].nlargest(2).sort_values().tolist()
    spread = analysis.spread[analysis.spread["role"] == role]
    totals = spread.groupby("item", sort=False)["count"].sum()
    high = spread[spread["points"].isin(top_points)].groupby("item", sort=False)["count"].sum()
    share = (high / totals.where(totals > 0)).dropna()
    texts = analysis.instrument.item_text(lang)
    labels = scale.set_index("points")[lang]
    most, least = share.idxmax(), share.idxmin()
    return w["spread_alt"].format(
        n=integer(len(totals), lang), lowest=labels[scale["points"].min()],
        highest=labels[scale["points"].max()],
        top=w["or"].join(labels[p] for p in top_points),
        most=_quote(texts[most], lang), most_share=percent(share[most], lang),
        least=_quote(texts[least], lang), least_share=percent(share[least], lang),
        **_role_words(analysis, role, lang))


def pairs_alt(analysis: RoundAnalysis, lang: str) -> str:
    """The alt text of the pairs chart: what it shows and the largest difference."""
    roles = analysis.instrument.roles.set_index("role")[lang]
    topics = analysis.instrument.pairs.set_index("pair")[lang]
    first = analysis.gaps.iloc[0]
    return words(lang)["pairs_alt"].format(
        n=integer(len(analysis.gaps), lang), topic=_quote(topics[first["pair"]], lang),
        leaders=roles["leader"].lower(), employees=roles["employee"].lower(),
        leader_mean=number(first["leader_mean"], lang, 2),
        employee_mean=number(first["employee_mean"], lang, 2))


def role_name(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """A role's name as a column header: ``Ledere``, ``Employees``."""
    return analysis.instrument.roles.set_index("role").at[role, lang]


def spread_sheet(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The sheet name of one role's spread table."""
    return words(lang)["sheet_spread"].format(**_role_words(analysis, role, lang))
