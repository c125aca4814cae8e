"""The words of the round report, in Danish and English.

The report notebook shows no static prose: each paragraph, heading and alt
text is made here from the round's figures, so one parameter switches the
whole report's language, numbers included (``3,50`` in Danish, ``3.50`` in
English). Headings are HTML with a fixed ``id`` per section (``bands``,
``spread``, ...), the same in both languages, so links into a report and its
table of contents do not depend on the language.

Text from the data (the round's name, unit names) is escaped wherever it
goes: HTML-escaped in headings and Markdown, so that a unit named
``<img src=x onerror=alert(1)>`` appears as those characters, never as markup.
"""

from __future__ import annotations

import html

from .analysis import RoundAnalysis
from .instrument import LANGUAGES
from .summarise import band_runs

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
        "quality_log": (" Alle ændringer står i loggen over datarensningen, "
                        "cleaning_log.csv, hos den der har lavet rapporten."),
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
            "Hvert udsagn findes i begge spørgeskemaer, set fra hver sin side. Her "
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
        # Anonymity: bands, scores, incomplete answer sets, statements.
        "count": "Antal",
        "band_run": "Pointgrupperne {first} til {last} samlet",
        "bands_merged": (
            "**{role_plural}:** nogle pointgrupper er slået sammen ({runs}), så intet tal "
            "dækker færre end {min_group} personer."
        ),
        "summary_top_run": (
            "**{role_plural}:** flest ligger i de sammenlagte pointgrupper **{band}** "
            "({count} af {scored}, {share}). Pointgrupperne er slået sammen, så intet tal "
            "dækker færre end {min_group} personer."
        ),
        "summary_scores_withheld": (
            "**{role_plural}:** pointgrupper vises ikke, da færre end {min_group} har fået "
            "en samlet pointsum."
        ),
        "scores_withheld": (
            "Der er {n} {role_plural_lower} med en samlet pointsum, færre end {min_group}. "
            "Derfor vises deres gennemsnitlige pointsum og pointgrupper ikke."
        ),
        "left_out": (
            "{n} besvarelser fra {role_plural_lower} mangler svar på et eller flere udsagn. "
            "Da de er færre end {min_group}, tælles de slet ikke med i tallene for "
            "{role_plural_lower}, heller ikke i fordelingen af svar på de enkelte udsagn; "
            "ellers kunne man regne sig frem til, hvad de har svaret."
        ),
        "items_withheld": (
            "**{role_plural}:** udsagn med færre end {min_group} svar vises uden søjle og "
            "uden tal."
        ),
        # Units.
        "unit": "Enhed",
        "units_head": "4. Resultater pr. enhed",
        "units": (
            "Antal besvarelser, gennemsnitlig pointsum og pointgrupper for hver enhed. "
            "Enheder med færre end {min_group} besvarelser med pointsum vises samlet som "
            "»Øvrige enheder« sammen med eventuelle besvarelser uden enhed. Er de "
            "tilsammen stadig for få, lægges den mindste af de andre enheder også dertil, "
            "så ingen enheds tal kan regnes ud ved at trække de viste fra det samlede tal. "
            "Pointgrupper er slået sammen, hvor en af dem ellers ville dække færre end "
            "{min_group} personer i en enhed."
        ),
        "units_role": "{role_plural} pr. enhed",
        "units_none": (
            "**{role_plural}:** ingen enhed kan vises for sig med mindst {min_group} "
            "besvarelser med pointsum, så der vises ingen tal pr. enhed."
        ),
        "units_other": "Øvrige enheder",
        "units_other_of": "Øvrige enheder ({units})",
        "sheet_units": "Enheder, {role_plural_lower}",
        "unit_title": "MUS-testen: {round}, {unit}",
        "unit_spread_head": "Spredning i {unit}",
        "unit_spread": (
            "Hvordan svarene fra {unit} fordeler sig fra *Aldrig* til *Altid*. Et udsagn "
            "vises kun, når enheden har mindst {min_group} svar på det, og resten af "
            "gruppen enten ingen eller også mindst {min_group}."
        ),
        "unit_spread_role": "Spredning i {unit}: {role_plural_lower}",
        "unit_merged": (
            "**{role_plural}:** {unit} har for få besvarelser med pointsum til at blive "
            "vist for sig og indgår i »Øvrige enheder«."
        ),
        "unit_absent": "**{role_plural}:** {unit} har ingen besvarelser.",
        "unit_role_withheld": (
            "**{role_plural}:** vises ikke, da der er færre end {min_group} besvarelser."
        ),
        "unit_incomplete": (
            "**{role_plural}:** spredningen i {unit} vises ikke, da enkelte ufuldstændige "
            "besvarelser ellers kunne regnes ud."
        ),
        "unit_few_answers": (
            "**{role_plural}:** intet udsagn har svar fra mindst {min_group} i {unit}, så "
            "spredningen vises ikke."
        ),
        "unit_complete_only": (
            "**{role_plural}:** kun besvarelser med svar på alle udsagn tælles med i "
            "spredningen i {unit}."
        ),
        "unit_spread_alt": (
            "Stablet søjlediagram over svarene fra {role_plural_lower} i {unit} på {n} "
            "udsagn, fra {lowest} til {highest}. Flest svarer {top} på {most} "
            "({most_share}), færrest på {least} ({least_share})."
        ),
        "sheet_unit_spread": "Spredning enhed, {role_plural_lower}",
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
        "quality_log": (" Every change is listed in the cleaning log, cleaning_log.csv, "
                        "kept by whoever made this report."),
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
            "Every statement appears in both questionnaires, seen from each side. "
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
        "count": "Number",
        "band_run": "Bands {first} to {last} combined",
        "bands_merged": (
            "**{role_plural}:** some bands are combined ({runs}), so that no figure covers "
            "fewer than {min_group} people."
        ),
        "summary_top_run": (
            "**{role_plural}:** most are in the combined bands **{band}** ({count} of "
            "{scored}, {share}). The bands are combined so that no figure covers fewer "
            "than {min_group} people."
        ),
        "summary_scores_withheld": (
            "**{role_plural}:** bands not shown, as fewer than {min_group} have a score."
        ),
        "scores_withheld": (
            "The round has {n} {role_plural_lower} with a score, fewer than {min_group}. "
            "So their mean score and bands are not shown."
        ),
        "left_out": (
            "{n} responses from {role_plural_lower} lack an answer to one or more "
            "statements. As they are fewer than {min_group}, they do not count in any "
            "figure of the {role_plural_lower}, not even in the spread of answers per "
            "statement; otherwise their answers could be worked out."
        ),
        "items_withheld": (
            "**{role_plural}:** statements with fewer than {min_group} answers are shown "
            "without a bar and without figures."
        ),
        "unit": "Unit",
        "units_head": "4. Results per unit",
        "units": (
            "The number of responses, the mean score and the bands of each unit. Units "
            "with fewer than {min_group} scored responses are shown together as \u201cOther "
            "units\u201d, with any responses without a unit. If these are still too few, "
            "the smallest of the other units joins them, so that no unit's figures can be "
            "worked out by subtracting the ones shown from the total. Bands are combined "
            "where one of them would otherwise cover fewer than {min_group} people in a unit."
        ),
        "units_role": "{role_plural} per unit",
        "units_none": (
            "**{role_plural}:** no unit can be shown apart with at least {min_group} "
            "scored responses, so no figures per unit are shown."
        ),
        "units_other": "Other units",
        "units_other_of": "Other units ({units})",
        "sheet_units": "Units, {role_plural_lower}",
        "unit_title": "The MUS test: {round}, {unit}",
        "unit_spread_head": "Spread in {unit}",
        "unit_spread": (
            "How the answers from {unit} spread from *Never* to *Always*. A statement is "
            "shown only when the unit has at least {min_group} answers to it, and the rest "
            "of the group none or at least {min_group}."
        ),
        "unit_spread_role": "Spread in {unit}: {role_plural_lower}",
        "unit_merged": (
            "**{role_plural}:** {unit} has too few scored responses to be shown apart and "
            "is part of \u201cOther units\u201d."
        ),
        "unit_absent": "**{role_plural}:** {unit} has no responses.",
        "unit_role_withheld": (
            "**{role_plural}:** not shown, as there are fewer than {min_group} responses."
        ),
        "unit_incomplete": (
            "**{role_plural}:** the spread in {unit} is not shown, as a few incomplete "
            "responses could otherwise be worked out."
        ),
        "unit_few_answers": (
            "**{role_plural}:** no statement has answers from at least {min_group} in "
            "{unit}, so the spread is not shown."
        ),
        "unit_complete_only": (
            "**{role_plural}:** only responses that answer every statement count in the "
            "spread in {unit}."
        ),
        "unit_spread_alt": (
            "Stacked bar chart of the answers of the {role_plural_lower} in {unit} to {n} "
            "statements, from {lowest} to {highest}. Most answer {top} to {most} "
            "({most_share}), fewest to {least} ({least_share})."
        ),
        "sheet_unit_spread": "Spread unit, {role_plural_lower}",
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


def _singular(analysis: RoundAnalysis, role: str, lang: str) -> str:
    return analysis.instrument.roles.set_index("role").at[role, f"{lang}_singular"].lower()


def _quote(text: str, lang: str) -> str:
    return words(lang)["quote"].format(text)


def _markdown_safe(text: str) -> str:
    """Text from the data (round name, statements) as literal text in Markdown."""
    escaped = html.escape(str(text), quote=False)
    return "".join("\\" + c if c in "\\`*_[]#|~" else c for c in escaped)


# Headings and paragraphs ------------------------------------------------------


def title(analysis: RoundAnalysis, lang: str) -> str:
    """The report's title as an ``<h1 id="top">``; a report for one unit names it."""
    if analysis.unit is not None:
        text = words(lang)["unit_title"].format(round=analysis.round, unit=analysis.unit.name)
    else:
        text = words(lang)["title"].format(round=_round_title(analysis))
    return f'<h1 id="top">{html.escape(text)}</h1>'


def _round_title(analysis: RoundAnalysis) -> str:
    """The round's title from its round.toml, else the folder's name."""
    settings = getattr(analysis.data, "settings", None)
    return getattr(settings, "title", None) or analysis.round


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
        elif role not in analysis.scores_shown:
            line = w["summary_scores_withheld"].format(min_group=analysis.min_group, **names)
        elif top_bands.get(role) is None:
            line = w["summary_not_scored"].format(**names)
        else:
            figures = analysis.summary["roles"][role]
            band = top_bands[role]
            runs = band_runs(figures)
            count, scored = runs[band], sum(runs.values())
            fields = {"band": band, "count": integer(count, lang),
                      "scored": integer(scored, lang), "share": percent(count / scored, lang),
                      **names}
            if band in verdicts.index:
                line = w["summary_top_band"].format(verdict=_markdown_safe(verdicts[band]),
                                                    **fields)
            else:
                line = w["summary_top_run"].format(min_group=analysis.min_group, **fields)
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
    """Sentences for roles that are withheld or absent, whose score figures are
    withheld, or whose few incomplete answer sets are left out; empty when none."""
    w = words(lang)
    notes = []
    counts = analysis.respondents["role"].value_counts()
    counted = analysis.respondents[analysis.figures.bases["in_scores"]]["role"].value_counts()
    k = integer(analysis.min_group, lang)
    for role in analysis.instrument.roles["role"]:
        names = _role_words(analysis, role, lang)
        if role not in analysis.shown:
            key = "withheld" if role in analysis.withheld else "absent"
            n = int(counts.get(role, 0))
            if n == 1:  # "1 leder", not "1 ledere"
                names = {**names, "role_plural_lower": _singular(analysis, role, lang)}
            notes.append(w[key].format(n=integer(n, lang), min_group=k, **names))
            continue
        if role in analysis.figures.left_out:
            notes.append(w["left_out"].format(
                n=integer(analysis.figures.left_out[role], lang), min_group=k, **names))
        if role not in analysis.scores_shown:
            notes.append(w["scores_withheld"].format(n=integer(counted.get(role, 0), lang),
                                                     min_group=k, **names))
    return "\n\n".join(notes)


def bands_notes(analysis: RoundAnalysis, lang: str) -> str:
    """A sentence per role whose bands are shown as merged runs; empty when none."""
    w = words(lang)
    notes = []
    for role in analysis.scores_shown:
        runs = analysis.bands[(analysis.bands["role"] == role) & analysis.bands["merged"]]
        if not runs.empty:
            notes.append(w["bands_merged"].format(
                runs=", ".join(runs["band"]), min_group=integer(analysis.min_group, lang),
                **_role_words(analysis, role, lang)))
    return "\n\n".join(notes)


def spread_notes(analysis: RoundAnalysis, lang: str) -> str:
    """A sentence per shown role with statements left out for too few answers."""
    w = words(lang)
    notes = []
    for role in analysis.shown:
        items = set(analysis.spread.loc[analysis.spread["role"] == role, "item"])
        if len(items) < len(analysis.instrument.role_items(role)):
            notes.append(w["items_withheld"].format(
                min_group=integer(analysis.min_group, lang), **_role_words(analysis, role, lang)))
    return "\n\n".join(notes)


def run_verdict(analysis: RoundAnalysis, run, lang: str) -> str:
    """The verdict of a band, or for a merged run the bands it joins."""
    if not run.merged:
        return analysis.instrument.bands.set_index("band").at[run.band, lang]
    return words(lang)["band_run"].format(first=run.first, last=run.last)


# Units --------------------------------------------------------------------------


def unit_label(group, lang: str) -> str:
    """A unit group's name: the unit's, or "Other units (A, B)" (plain text)."""
    w = words(lang)
    if not group.other:
        return str(group.unit)
    if not len(group.units):
        return w["units_other"]
    return w["units_other_of"].format(units=", ".join(map(str, group.units)))


def units_intro(analysis: RoundAnalysis, lang: str) -> str:
    """The paragraph that opens the units section (Markdown)."""
    return words(lang)["units"].format(min_group=integer(analysis.min_group, lang))


def units_heading(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The heading over one role's unit table, ``<h3 id="units-<role>">``."""
    text = words(lang)["units_role"].format(**_role_words(analysis, role, lang))
    return f'<h3 id="units-{role}">{html.escape(text)}</h3>'


def units_notes(analysis: RoundAnalysis, lang: str) -> str:
    """A sentence per role with score figures whose units cannot be shown apart."""
    w = words(lang)
    return "\n\n".join(
        w["units_none"].format(min_group=integer(analysis.min_group, lang),
                               **_role_words(analysis, role, lang))
        for role in analysis.scores_shown if (analysis.units["role"] != role).all())


def unit_spread_heading(analysis: RoundAnalysis, lang: str) -> str:
    """The heading of the chosen unit's spread, ``<h3 id="unit-spread">``."""
    text = words(lang)["unit_spread_head"].format(unit=analysis.unit.name)
    return f'<h3 id="unit-spread">{html.escape(text)}</h3>'


def unit_spread_intro(analysis: RoundAnalysis, lang: str) -> str:
    return words(lang)["unit_spread"].format(unit=_markdown_safe(analysis.unit.name),
                                              min_group=integer(analysis.min_group, lang))


def unit_role_heading(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The heading over one role's spread in the chosen unit (``<h4>``, no id)."""
    text = words(lang)["unit_spread_role"].format(unit=analysis.unit.name,
                                                   **_role_words(analysis, role, lang))
    return f"<h4>{html.escape(text)}</h4>"


def unit_chart_title(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The title of one role's spread chart in the chosen unit (plain text)."""
    return words(lang)["unit_spread_role"].format(unit=analysis.unit.name,
                                                  **_role_words(analysis, role, lang))


_UNIT_STATUS = {"absent": "unit_absent", "role withheld": "unit_role_withheld",
                "merged": "unit_merged", "incomplete": "unit_incomplete",
                "few answers": "unit_few_answers"}


def unit_notes(analysis: RoundAnalysis, lang: str) -> str:
    """Why the chosen unit's spread is not shown for a role, or counts complete
    answer sets only; empty when it is shown in full for every role."""
    w = words(lang)
    view = analysis.unit
    unit = _markdown_safe(view.name)
    notes = []
    for role, status in view.status.items():
        names = _role_words(analysis, role, lang)
        if status in _UNIT_STATUS:
            notes.append(w[_UNIT_STATUS[status]].format(
                unit=unit, min_group=integer(analysis.min_group, lang), **names))
        elif role in view.complete_only:
            notes.append(w["unit_complete_only"].format(unit=unit, **names))
    return "\n\n".join(notes)


def footer(analysis: RoundAnalysis, lang: str, *, version: str, date: str) -> str:
    return "*" + words(lang)["footer"].format(
        version=version, date=date, min_group=integer(analysis.min_group, lang)) + "*"


# Alt texts --------------------------------------------------------------------


def bands_alt(analysis: RoundAnalysis, lang: str) -> str:
    """The alt text of the bands chart: every count (of a band or run) it shows."""
    roles = analysis.instrument.roles.set_index("role")[lang]
    parts = []
    for role in analysis.scores_shown:
        runs = analysis.bands[analysis.bands["role"] == role].iloc[::-1]
        listed = ", ".join(f"{band}: {integer(count, lang)}"
                           for band, count in zip(runs["band"], runs["count"]))
        parts.append(f"{roles[role]}: {listed}.")
    return words(lang)["bands_alt"].format(counts=" ".join(parts)).strip()


def spread_alt(analysis: RoundAnalysis, role: str, lang: str, *, unit: bool = False) -> str:
    """The alt text of one role's spread chart: what it shows, and the statements
    with the largest and the smallest share of the two highest answers. With
    ``unit``, of the chosen unit's spread."""
    w = words(lang)
    scale = analysis.instrument.scale
    top_points = scale["points"].nlargest(2).sort_values().tolist()
    frame = analysis.unit.spread if unit else analysis.spread
    spread = frame[frame["role"] == role]
    totals = spread.groupby("item", sort=False)["count"].sum()
    high = spread[spread["points"].isin(top_points)].groupby("item", sort=False)["count"].sum()
    share = (high / totals.where(totals > 0)).dropna()
    texts = analysis.instrument.item_text(lang)
    labels = scale.set_index("points")[lang]
    most, least = share.idxmax(), share.idxmin()
    template = w["unit_spread_alt"] if unit else w["spread_alt"]
    return template.format(
        unit=analysis.unit.name if unit else "",
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


def units_sheet(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The sheet name of one role's unit table."""
    return words(lang)["sheet_units"].format(**_role_words(analysis, role, lang))


def unit_spread_sheet(analysis: RoundAnalysis, role: str, lang: str) -> str:
    """The sheet name of one role's spread in the chosen unit."""
    return words(lang)["sheet_unit_spread"].format(**_role_words(analysis, role, lang))
