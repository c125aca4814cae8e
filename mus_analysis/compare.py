"""Compare rounds: scores, bands, statements, pairs and reliability over time.

Every function takes the analysed rounds, oldest first (a list of
:class:`~mus_analysis.analysis.RoundAnalysis`), and returns a tidy DataFrame.
:func:`compare_rounds` runs them all and returns a :class:`Comparison`;
:func:`write_comparison` writes its ``comparison.json`` and the tidy data of
all rounds (Parquet, CSV, an SPSS file and a codebook).

Rounds are compared pairwise: each round with the next and, with three or
more rounds, the first with the last. Anonymity carries over from the rounds:
a role withheld in a round (fewer respondents than ``min_group``) has no
figures in that round, and a role is compared between two rounds only when
it is shown in both.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import stats, summarise
from .analysis import RoundAnalysis, analyse_round
from .errors import MusError, RoundError
from .files import atomic_path, write_csv, write_json, write_parquet, write_text
from .instrument import ROLES, Instrument

DEFAULT_ALPHA = 0.05
CONFIDENCE = 0.95

# Where a role stands in a round.
SHOWN, WITHHELD, ABSENT = "shown", "withheld", "absent"

_PAIR_KEYS = ["round_from", "round_to", "consecutive", "first_to_last"]
CHANGE_COLUMNS = [*_PAIR_KEYS, "role", "section", "pair", "item", "n_from", "n_to",
                  "mean_from", "mean_to", "delta", "u", "p", "rank_biserial", "p_adjusted",
                  "significant"]


class CompareError(MusError):
    """Rounds that cannot be compared with each other."""


# ------------------------------------------------------------------- rounds


def check_rounds(analyses) -> list[RoundAnalysis]:
    """The rounds as a list, checked to be comparable.

    Raises
    ------
    CompareError
        With fewer than two rounds, a round given twice, rounds of different
        questionnaires, or rounds analysed with different settings.
    """
    analyses = list(analyses)
    if len(analyses) < 2:
        raise CompareError(f"a comparison needs at least two rounds, but {len(analyses)} "
                           "was given. Fix: give two or more round folders, oldest first.")
    names = [a.round for a in analyses]
    for name in names:
        if names.count(name) > 1:
            raise CompareError(f"the round {name!r} is given twice. Fix: give each round "
                               "once; a round is named by its folder.")
    first = analyses[0]
    columns = ["item", "role", "section"]
    for other in analyses[1:]:
        if not other.instrument.items[columns].equals(first.instrument.items[columns]):
            raise CompareError(
                f"the rounds {first.round!r} and {other.round!r} use different questionnaires "
                f"({first.instrument.source}; {other.instrument.source}). Fix: compare "
                "rounds of one questionnaire.")
        for setting in ("min_group", "max_missing"):
            if getattr(other, setting) != getattr(first, setting):
                raise CompareError(
                    f"the rounds {first.round!r} and {other.round!r} were analysed with "
                    f"different {setting} ({getattr(first, setting)} and "
                    f"{getattr(other, setting)}). Fix: analyse every round with the same "
                    "settings, e.g. with compare_rounds().")
    return analyses


def round_pairs(rounds: list[str]) -> pd.DataFrame:
    """The pairs of rounds compared, in the order they are reported.

    Each round is compared with the next one (``consecutive``) and the first
    with the last (``first_to_last``). With two rounds the one pair is both.

    Returns
    -------
    DataFrame
        ``round_from``, ``round_to``, ``consecutive``, ``first_to_last``.
    """
    rows = [(a, b, True, len(rounds) == 2) for a, b in zip(rounds, rounds[1:])]
    if len(rounds) > 2:
        rows.append((rounds[0], rounds[-1], False, True))
    return pd.DataFrame(rows, columns=_PAIR_KEYS)


def role_status(analysis: RoundAnalysis, role: str) -> str:
    """``"shown"``, ``"withheld"`` (too few respondents) or ``"absent"`` (none)."""
    if role in analysis.shown:
        return SHOWN
    return WITHHELD if role in analysis.withheld else ABSENT


def compared_roles(analyses) -> pd.DataFrame:
    """Which role is compared between which rounds, and why not where not.

    Returns
    -------
    DataFrame
        One row per pair of rounds and role: the keys of :func:`round_pairs`,
        ``role``, ``status_from`` and ``status_to`` (see :func:`role_status`)
        and ``compared`` (shown in both rounds).
    """
    analyses = check_rounds(analyses)
    by_name = {a.round: a for a in analyses}
    rows = []
    for pair in round_pairs(list(by_name)).itertuples(index=False):
        for role in ROLES:
            status = (role_status(by_name[pair.round_from], role),
                      role_status(by_name[pair.round_to], role))
            rows.append({**pair._asdict(), "role": role, "status_from": status[0],
                         "status_to": status[1], "compared": status == (SHOWN, SHOWN)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------- scores and bands


def score_summary(analyses, *, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Respondents, scored respondents and mean score per round and role.

    Parameters
    ----------
    analyses : list of RoundAnalysis
        The rounds, oldest first.
    confidence : float, default 0.95
        Coverage of the mean score's t-based interval (:func:`stats.mean_ci`).

    Returns
    -------
    DataFrame
        One row per round and role: ``round``, ``role``, ``status``,
        ``respondents``, ``scored``, ``mean_score``, ``sd``, ``ci_low``,
        ``ci_high`` (clipped to the possible scores, e.g. 20-100). A withheld
        role keeps only its number of respondents.
    """
    rows = []
    for analysis in check_rounds(analyses):
        for role in ROLES:
            part = analysis.respondents[analysis.respondents["role"] == role]
            row = {"round": analysis.round, "role": role,
                   "status": role_status(analysis, role), "respondents": len(part),
                   "scored": pd.NA, "mean_score": np.nan, "sd": np.nan,
                   "ci_low": np.nan, "ci_high": np.nan}
            if row["status"] == SHOWN:
                scores = part.loc[part["scored"].astype(bool), "score"]
                mean, low, high = stats.mean_ci(scores, confidence=confidence)
                # A score cannot leave the scale's range, nor can its mean.
                instrument = analysis.instrument
                low, high = (max(low, instrument.min_score) if np.isfinite(low) else low,
                             min(high, instrument.max_score) if np.isfinite(high) else high)
                sd = scores.astype("float64").std(ddof=1) if len(scores) > 1 else np.nan
                row.update(scored=len(scores), mean_score=mean, sd=sd, ci_low=low,
                           ci_high=high)
            rows.append(row)
    return pd.DataFrame(rows).astype({"scored": "Int64", "respondents": "int64"})


def band_shares(analyses) -> pd.DataFrame:
    """The scored respondents of each shown role per band, per round.

    The bands follow the anonymity rule of the round reports
    (:func:`summarise.shown_bands`); a round whose report had to merge a
    role's bands into runs has no rows for that role
    (:func:`summarise.comparable_bands`), as its runs cannot be set beside
    another round's bands.

    Returns
    -------
    DataFrame
        ``round``, ``role``, ``band``, ``count``, ``share`` (of the role's
        scored respondents in the round); withheld roles have no rows.
    """
    frames = [summarise.comparable_bands(a.bands).assign(round=a.round)
              for a in check_rounds(analyses)]
    table = pd.concat(frames, ignore_index=True)
    return table[["round", "role", "band", "count", "share"]]


# ------------------------------------------------------------- statements


def item_changes(analyses, *, alpha: float = DEFAULT_ALPHA) -> pd.DataFrame:
    """The change in mean points of every statement between pairs of rounds.

    For each pair of rounds (:func:`round_pairs`) and each role shown in
    both, the answers to every statement are compared with a two-sided
    Mann-Whitney U test (:func:`stats.mann_whitney`). The p-values are
    adjusted with Holm's method (:func:`stats.holm`) over all statements
    tested between the two rounds, both roles together.

    Parameters
    ----------
    analyses : list of RoundAnalysis
        The rounds, oldest first.
    alpha : float, default 0.05
        The significance level for the adjusted p-values.

    Returns
    -------
    DataFrame
        One row per pair of rounds and statement: the keys of
        :func:`round_pairs`, ``role``, ``section``, ``pair``, ``item``,
        ``n_from`` and ``n_to`` (answers), ``mean_from``, ``mean_to``,
        ``delta`` (``mean_to - mean_from``), ``u`` (U of the later round's
        answers), ``p``, ``rank_biserial`` (positive when the later round's
        answers tend higher), ``p_adjusted`` and ``significant``
        (``p_adjusted`` at most `alpha`).

    Notes
    -----
    Every answer given counts, also those of respondents who were not scored,
    as in the round report's spread of answers. The answers of two rounds are
    treated as independent samples: the export has no key that links one
    person's answers across rounds.
    """
    _check_alpha(alpha)
    analyses = check_rounds(analyses)
    by_name = {a.round: a for a in analyses}
    instrument = analyses[0].instrument
    items = _item_table(instrument)
    compared = compared_roles(analyses)

    frames = []
    for pair in round_pairs(list(by_name)).itertuples(index=False):
        roles = compared.loc[(compared["round_from"] == pair.round_from)
                             & (compared["round_to"] == pair.round_to)
                             & compared["compared"], "role"].tolist()
        before = _points_by_item(by_name[pair.round_from])
        after = _points_by_item(by_name[pair.round_to])
        rows = []
        for item in items[items["role"].isin(roles)].itertuples(index=False):
            x, y = after.get(item.item, []), before.get(item.item, [])
            test = stats.mann_whitney(x, y)
            rows.append({**pair._asdict(), **item._asdict(),
                         "n_from": test.n_y, "n_to": test.n_x,
                         "mean_from": np.mean(y) if len(y) else np.nan,
                         "mean_to": np.mean(x) if len(x) else np.nan,
                         "u": test.u, "p": test.p, "rank_biserial": test.rank_biserial})
        if rows:
            frame = pd.DataFrame(rows)
            # One family per pair of rounds: every statement tested between them.
            frame["p_adjusted"] = stats.holm(frame["p"])
            frames.append(frame)

    if not frames:
        return _empty(CHANGE_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    table["delta"] = table["mean_to"] - table["mean_from"]
    table["significant"] = (table["p_adjusted"] <= alpha).fillna(False).astype(bool)
    return table[CHANGE_COLUMNS]


def pair_changes(changes: pd.DataFrame, *, instrument: Instrument) -> pd.DataFrame:
    """The changes of :func:`item_changes` side by side for each pair of statements.

    Returns
    -------
    DataFrame
        One row per pair of rounds and leader/employee pair: the keys of
        :func:`round_pairs`, ``pair``, and for each role ``<role>_item``,
        ``<role>_delta``, ``<role>_p_adjusted`` and ``<role>_significant``;
        missing where the role was not compared.
    """
    pairs = instrument.pairs[["pair", "leader", "employee"]].rename(
        columns={"leader": "leader_item", "employee": "employee_item"})
    rounds = changes[_PAIR_KEYS].drop_duplicates()
    table = rounds.merge(pairs, how="cross")
    for role in ROLES:
        part = changes[changes["role"] == role]
        part = part[[*_PAIR_KEYS, "item", "delta", "p_adjusted", "significant"]].rename(
            columns={"item": f"{role}_item", "delta": f"{role}_delta",
                     "p_adjusted": f"{role}_p_adjusted",
                     "significant": f"{role}_significant"})
        table = table.merge(part, on=[*_PAIR_KEYS, f"{role}_item"], how="left")
        table[f"{role}_significant"] = table[f"{role}_significant"].astype("boolean")
    return table.reset_index(drop=True)


# ------------------------------------------------------------------ pairs


def pair_gaps(analyses) -> pd.DataFrame:
    """The leader/employee gap of every pair in every round where both roles are shown.

    Returns
    -------
    DataFrame
        ``round``, ``pair``, ``leader``, ``employee`` (item ids),
        ``leader_mean``, ``employee_mean``, ``gap`` (leaders minus
        employees), in questionnaire order.
    """
    analyses = check_rounds(analyses)
    order = {p: n for n, p in enumerate(analyses[0].instrument.pairs["pair"])}
    frames = [a.gaps.assign(round=a.round, order=a.gaps["pair"].map(order))
              .sort_values("order") for a in analyses if not a.gaps.empty]
    columns = ["round", "pair", "leader", "employee", "leader_mean", "employee_mean", "gap"]
    if not frames:
        return _empty(columns)
    return pd.concat(frames, ignore_index=True)[columns]


def gap_changes(analyses) -> pd.DataFrame:
    """How the leader/employee gap of every pair changed between pairs of rounds.

    Only rounds where both roles are shown have gaps; the change is the later
    gap minus the earlier one, so a negative change on a positive gap means
    leaders and employees came closer.

    Returns
    -------
    DataFrame
        The keys of :func:`round_pairs`, ``pair``, ``gap_from``, ``gap_to``,
        ``change``.
    """
    analyses = check_rounds(analyses)
    gaps = pair_gaps(analyses).set_index(["round", "pair"])["gap"]
    pairs = analyses[0].instrument.pairs["pair"]
    rows = []
    for rounds in round_pairs([a.round for a in analyses]).itertuples(index=False):
        for pair in pairs:
            before = gaps.get((rounds.round_from, pair))
            after = gaps.get((rounds.round_to, pair))
            if before is not None and after is not None:
                rows.append({**rounds._asdict(), "pair": pair, "gap_from": before,
                             "gap_to": after, "change": after - before})
    return pd.DataFrame(rows, columns=[*_PAIR_KEYS, "pair", "gap_from", "gap_to", "change"])


# ------------------------------------------------------------ reliability


def reliability(analyses, *, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Cronbach's alpha per round, shown role and section, and of all statements.

    Computed over complete answer sets: respondents who answered every
    statement of their role (see :func:`stats.cronbach_alpha`).

    Returns
    -------
    DataFrame
        ``round``, ``role``, ``section`` (a section id or ``"all"``),
        ``items``, ``respondents`` (complete answer sets), ``alpha``,
        ``ci_low``, ``ci_high`` (Feldt's interval).
    """
    rows = []
    for analysis in check_rounds(analyses):
        items = _item_table(analysis.instrument)
        for role in analysis.shown:
            wide = _wide_points(analysis, role).dropna()
            role_items = items[items["role"] == role]
            groups = [*role_items.groupby("section", sort=False)["item"],
                      ("all", role_items["item"])]
            for section, section_items in groups:
                value, low, high = stats.cronbach_alpha(wide[list(section_items)],
                                                        confidence=confidence)
                rows.append({"round": analysis.round, "role": role, "section": section,
                             "items": len(section_items), "respondents": len(wide),
                             "alpha": value, "ci_low": low, "ci_high": high})
    columns = ["round", "role", "section", "items", "respondents", "alpha", "ci_low",
               "ci_high"]
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------- comparison


@dataclass
class Comparison:
    """Rounds compared with each other: the tables of this module.

    Attributes
    ----------
    analyses : list of RoundAnalysis
        The rounds, oldest first.
    alpha : float
        The significance level.
    pairs_of_rounds : DataFrame
        :func:`round_pairs`.
    compared : DataFrame
        :func:`compared_roles`.
    scores, bands, changes, pair_changes, gaps, gap_changes, reliability : DataFrame
        :func:`score_summary`, :func:`band_shares`, :func:`item_changes`,
        :func:`pair_changes`, :func:`pair_gaps`, :func:`gap_changes` and
        :func:`reliability`.
    """

    analyses: list[RoundAnalysis]
    alpha: float
    pairs_of_rounds: pd.DataFrame
    compared: pd.DataFrame
    scores: pd.DataFrame
    bands: pd.DataFrame
    changes: pd.DataFrame
    pair_changes: pd.DataFrame
    gaps: pd.DataFrame
    gap_changes: pd.DataFrame
    reliability: pd.DataFrame

    @property
    def rounds(self) -> list[str]:
        return [a.round for a in self.analyses]

    @property
    def instrument(self) -> Instrument:
        return self.analyses[0].instrument

    @property
    def min_group(self) -> int:
        return self.analyses[0].min_group

    @property
    def max_missing(self) -> int:
        return self.analyses[0].max_missing

    @property
    def name(self) -> str:
        """The rounds' names joined, e.g. ``2025_vs_2026``."""
        return comparison_name(self.rounds)


def comparison_name(rounds) -> str:
    """The default name of a comparison: the round names joined by ``_vs_``."""
    return "_vs_".join(str(r) for r in rounds)


def compare_analyses(analyses, *, alpha: float = DEFAULT_ALPHA) -> Comparison:
    """Compare rounds already analysed with :func:`~mus_analysis.analyse_round`."""
    _check_alpha(alpha)
    analyses = check_rounds(analyses)
    changes = item_changes(analyses, alpha=alpha)
    return Comparison(
        analyses=analyses,
        alpha=alpha,
        pairs_of_rounds=round_pairs([a.round for a in analyses]),
        compared=compared_roles(analyses),
        scores=score_summary(analyses),
        bands=band_shares(analyses),
        changes=changes,
        pair_changes=pair_changes(changes, instrument=analyses[0].instrument),
        gaps=pair_gaps(analyses),
        gap_changes=gap_changes(analyses),
        reliability=reliability(analyses),
    )


def compare_rounds(round_dirs, *, max_missing: int = 0, min_group: int = 5,
                   alpha: float = DEFAULT_ALPHA) -> Comparison:
    """Read, score and compare round folders.

    Parameters
    ----------
    round_dirs : list of str or Path
        The round folders, oldest first.
    max_missing : int, default 0
        Unanswered statements a respondent may have and still be scored.
    min_group : int, default 5
        The anonymity threshold: a role with fewer respondents in a round is
        withheld there and not compared with other rounds.
    alpha : float, default 0.05
        The significance level for the Holm-adjusted p-values.

    Returns
    -------
    Comparison

    Raises
    ------
    RoundError, CompareError
        When a round cannot be read or the rounds cannot be compared.
    """
    if isinstance(round_dirs, str | Path):
        raise CompareError(f"give a list of round folders, not the one folder "
                           f"{str(round_dirs)!r}. Fix: e.g. round_dirs = "
                           "['data/raw/2025', 'data/raw/2026'].")
    _check_alpha(alpha)
    check_round_dirs(round_dirs)
    analyses = []
    for round_dir in round_dirs:
        try:
            analyses.append(analyse_round(round_dir, max_missing=max_missing,
                                          min_group=min_group))
        except RoundError as exc:
            # Name the round: a file name alone does not say which round it is in.
            name = Path(round_dir).name
            where = exc.where if exc.where.startswith(name) else f"{name}/{exc.where}"
            raise RoundError(where, exc.problem, exc.fix) from None
    return compare_analyses(analyses, alpha=alpha)


def check_round_dirs(round_dirs) -> list[Path]:
    """The round folders as paths, checked to exist and to be two or more, each once."""
    paths = [Path(d) for d in round_dirs]
    for path in paths:
        if not path.is_dir():
            raise CompareError(f"{path}: is not a folder. Fix: give the path of a round "
                               "folder, e.g. data/raw/2025.")
    names = [p.resolve().name for p in paths]
    if len(paths) < 2:
        raise CompareError(f"a comparison needs at least two rounds, but {len(paths)} was "
                           "given. Fix: give two or more round folders, oldest first.")
    for name in names:
        if names.count(name) > 1:
            raise CompareError(f"two round folders are named {name!r}. Fix: give each round "
                               "once; a round is named by its folder.")
    return paths


def _check_alpha(alpha: float) -> None:
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValueError(f"The value for `alpha` must be a number between 0 and 1, "
                         f"but {alpha!r} was passed.")


def _item_table(instrument: Instrument) -> pd.DataFrame:
    """Statements with their role, section and pair, in questionnaire order."""
    pair_of = {**dict(zip(instrument.pairs["leader"], instrument.pairs["pair"])),
               **dict(zip(instrument.pairs["employee"], instrument.pairs["pair"]))}
    items = instrument.items[["role", "section", "item"]].copy()
    items.insert(2, "pair", items["item"].map(pair_of))
    return items.reset_index(drop=True)


def _points_by_item(analysis: RoundAnalysis) -> dict[str, np.ndarray]:
    """The points given to each statement of the shown roles."""
    answers = analysis.data.answers
    given = answers[answers["role"].isin(analysis.shown) & answers["points"].notna()]
    return {item: group.to_numpy(dtype="float64")
            for item, group in given.groupby("item")["points"]}


def _wide_points(analysis: RoundAnalysis, role: str) -> pd.DataFrame:
    """Respondents by statements of one role: the points, missing where unanswered."""
    answers = analysis.data.answers
    part = answers[answers["role"] == role]
    wide = part.pivot(index="respondent", columns="item", values="points")
    items = analysis.instrument.role_items(role)["item"]
    return wide.reindex(columns=items).astype("float64")


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


# ------------------------------------------------------------- the summary


def comparison_summary(comparison: Comparison) -> dict:
    """The comparison's figures for machines, as written to ``comparison.json``.

    Per round and role: ``respondents``, ``scored``, ``mean_score``,
    ``ci95`` [low, high] and ``band_shares``; a withheld role keeps only its
    number of respondents and ``"withheld": true``. Per pair of rounds: the
    roles compared and, per statement, ``delta``, ``p``, ``p_adjusted``,
    ``significant`` and the means, and per leader/employee pair the change of
    the gap. Missing figures are ``null``.
    """
    rounds = {}
    for row in comparison.scores.itertuples(index=False):
        if row.status == ABSENT:
            continue
        entry = {"respondents": int(row.respondents), "withheld": row.status == WITHHELD}
        if row.status == SHOWN:
            shares = comparison.bands[(comparison.bands["round"] == row.round)
                                      & (comparison.bands["role"] == row.role)]
            entry.update({
                "scored": int(row.scored),
                "mean_score": _number(row.mean_score),
                "ci95": [_number(row.ci_low), _number(row.ci_high)],
                "band_shares": {b: _number(s) for b, s in zip(shares["band"],
                                                              shares["share"])} or None,
            })
        rounds.setdefault(row.round, {})[row.role] = entry

    pairs = []
    for keys in comparison.pairs_of_rounds.itertuples(index=False):
        step = (keys.round_from, keys.round_to)
        compared = _of_step(comparison.compared, step)
        changes = _of_step(comparison.changes, step)
        gaps = _of_step(comparison.gap_changes, step)
        pairs.append({
            "from": keys.round_from,
            "to": keys.round_to,
            "consecutive": bool(keys.consecutive),
            "first_to_last": bool(keys.first_to_last),
            "roles_compared": compared.loc[compared["compared"], "role"].tolist(),
            "statements": {
                row.item: {
                    "role": row.role,
                    "mean_from": _number(row.mean_from),
                    "mean_to": _number(row.mean_to),
                    "delta": _number(row.delta),
                    "rank_biserial": _number(row.rank_biserial),
                    "p": _number(row.p, None),
                    "p_adjusted": _number(row.p_adjusted, None),
                    "significant": bool(row.significant),
                } for row in changes.itertuples(index=False)},
            "gaps": {
                row.pair: {"gap_from": _number(row.gap_from), "gap_to": _number(row.gap_to),
                           "change": _number(row.change)}
                for row in gaps.itertuples(index=False)},
        })

    return {
        "rounds": comparison.rounds,
        "instrument": comparison.instrument.name,
        "min_group": comparison.min_group,
        "max_missing": comparison.max_missing,
        "alpha": comparison.alpha,
        "test": "Mann-Whitney U, two-sided; p adjusted by Holm over the statements "
                "of each pair of rounds",
        "scores": rounds,
        "comparisons": pairs,
    }


def _of_step(frame: pd.DataFrame, step: tuple[str, str]) -> pd.DataFrame:
    """The rows of ``frame`` about the pair of rounds ``step``."""
    return frame[(frame["round_from"] == step[0]) & (frame["round_to"] == step[1])]


def _number(value, digits: int | None = 4) -> float | None:
    """A float for JSON: rounded to ``digits`` (None keeps all), None when missing."""
    if value is None or pd.isna(value):
        return None
    return float(value) if digits is None else round(float(value), digits)


# -------------------------------------------------------------- tidy data


def answers_table(analyses) -> pd.DataFrame:
    """The answers of all rounds in long form, shown roles only.

    Returns
    -------
    DataFrame
        ``round``, ``role``, ``respondent``, ``unit``, ``item``, ``points``
        as in each round's processed data; the rows of a role withheld in a
        round are left out.
    """
    frames = [a.data.answers[a.data.answers["role"].isin(a.shown)]
              for a in check_rounds(analyses)]
    return pd.concat(frames, ignore_index=True)


def respondents_table(analyses) -> pd.DataFrame:
    """The scored respondents of all rounds, shown roles only.

    Returns
    -------
    DataFrame
        The columns of :func:`~mus_analysis.score_respondents` with ``file``
        and ``row``; the rows of a role withheld in a round are left out.
    """
    frames = [a.respondents[a.respondents["role"].isin(a.shown)]
              for a in check_rounds(analyses)]
    return pd.concat(frames, ignore_index=True)


def codebook(analyses, *, lang: str = "da") -> pd.DataFrame:
    """Every column of the exported files and every code it uses.

    Returns
    -------
    DataFrame
        ``file``, ``column``, ``type``, ``description``, ``code``, ``label``:
        one row per column (``code`` and ``label`` empty) followed by one row
        per code of a coded column.
    """
    from . import compare_text

    analyses = check_rounds(analyses)
    instrument = analyses[0].instrument
    words = compare_text.codebook_words(lang)
    codes = _codes(analyses, lang)
    rows = []
    for file, columns in _export_columns(analyses).items():
        for column, kind in columns.items():
            key = "section" if column.startswith("section_") else column
            if column in set(instrument.items["item"]):
                description = instrument.item_text(lang)[column]
            else:
                description = words.get(key, "").format(
                    section=column.removeprefix("section_"),
                    text=_section_text(instrument, column, lang))
            rows.append({"file": file, "column": column, "type": kind,
                         "description": description, "code": "", "label": ""})
            coded = "item" if column in set(instrument.items["item"]) else column
            for code, label in codes[file].get(coded, {}).items():
                rows.append({"file": file, "column": column, "type": "", "description": "",
                             "code": str(code), "label": label})
    return pd.DataFrame(rows)


def _section_text(instrument: Instrument, column: str, lang: str) -> str:
    sections = dict(zip(instrument.sections["section"], instrument.sections[lang]))
    return sections.get(column.removeprefix("section_"), "")


# Columns that the SPSS file holds as numeric codes with value labels.
_SPSS_CODED = ("round", "role", "band", "scored", "prorated")


def _kind(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_float_dtype(values):
        return "number"
    return "string"


def _export_columns(analyses) -> dict[str, dict[str, str]]:
    """The columns of each exported file, in file order, and their types."""
    answers, respondents = answers_table(analyses), respondents_table(analyses)
    spss = {c: "integer (coded)" if c in _SPSS_CODED else _kind(respondents[c])
            for c in respondents.columns}
    spss.update(dict.fromkeys(analyses[0].instrument.items["item"], "integer (coded)"))
    return {
        "answers": {c: _kind(answers[c]) for c in answers.columns},
        "respondents": {c: _kind(respondents[c]) for c in respondents.columns},
        "respondents.sav": spss,
    }


def _codes(analyses, lang: str) -> dict[str, dict[str, dict]]:
    """The codes of each coded column, per exported file."""
    from . import compare_text

    instrument = analyses[0].instrument
    words = compare_text.codebook_words(lang)
    rounds = [a.round for a in analyses]
    roles = dict(zip(instrument.roles["role"], instrument.roles[lang]))
    scale = dict(zip(instrument.scale["points"], instrument.scale[lang]))
    bands = instrument.bands
    yes_no = {"true": words["yes"], "false": words["no"]}
    text = {
        "round": {r: f"{words['round_number']} {n}" for n, r in enumerate(rounds, 1)},
        "role": roles,
        "item": instrument.item_text(lang),
        "points": scale,
        "band": dict(zip(bands["band"], bands[lang])),
        "scored": yes_no,
        "prorated": yes_no,
    }
    spss = {
        "round": dict(enumerate(rounds, 1)),
        "role": {n: roles[r] for n, r in enumerate(ROLES, 1)},
        "item": scale,
        "band": {n: f"{b}: {v}" for n, (b, v) in enumerate(zip(bands["band"], bands[lang]),
                                                           1)},
        "scored": {1: words["yes"], 0: words["no"]},
        "prorated": {1: words["yes"], 0: words["no"]},
    }
    return {"answers": {k: text[k] for k in ("round", "role", "item", "points")},
            "respondents": {k: text[k] for k in ("round", "role", "band", "scored",
                                                 "prorated")},
            "respondents.sav": spss}


def spss_table(analyses, *, lang: str = "da") -> tuple[pd.DataFrame, dict, dict]:
    """One row per respondent with codes and answers, ready for SPSS.

    Returns
    -------
    frame : DataFrame
        The columns of ``respondents.sav`` in the codebook: numeric codes for
        round, role, band and yes/no columns, one column per statement with
        the points (missing for the other role's statements).
    column_labels : dict
        Variable labels.
    value_labels : dict
        Value labels per coded variable.
    """
    analyses = check_rounds(analyses)
    instrument = analyses[0].instrument
    book = codebook(analyses, lang=lang)
    book = book[book["file"] == "respondents.sav"]

    # Respondents with their answers spread out, one column per statement.
    respondents = respondents_table(analyses)
    answers = answers_table(analyses)
    wide = answers.pivot_table(index=["round", "role", "respondent"], columns="item",
                               values="points", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=instrument.items["item"]).reset_index()
    frame = respondents.merge(wide, on=["round", "role", "respondent"], how="left")

    # Codes for text and true/false columns; floats where values may be missing.
    rounds = {r: n for n, r in enumerate((a.round for a in analyses), 1)}
    bands = {b: n for n, b in enumerate(instrument.bands["band"], 1)}
    frame["round"] = frame["round"].map(rounds)
    frame["role"] = frame["role"].map({r: n for n, r in enumerate(ROLES, 1)})
    frame["band"] = frame["band"].map(bands).astype("float64")
    for column in ("scored", "prorated"):
        frame[column] = frame[column].astype(bool).astype("int64")
    variables = book[book["code"] == ""]
    frame = frame[variables["column"].tolist()]
    for column, kind in zip(variables["column"], variables["type"]):
        if kind == "string":
            frame[column] = frame[column].astype("object").where(frame[column].notna(), "")
        else:
            frame[column] = frame[column].astype("float64")

    column_labels = dict(zip(book.loc[book["code"] == "", "column"],
                             book.loc[book["code"] == "", "description"]))
    value_labels = {}
    for row in book[book["code"] != ""].itertuples(index=False):
        value_labels.setdefault(row.column, {})[float(row.code)] = row.label
    return frame, column_labels, value_labels


def write_sav(path: str | Path, analyses, *, lang: str = "da") -> Path:
    """Write :func:`spss_table` as an SPSS ``.sav`` file with variable and value labels."""
    import pyreadstat

    frame, column_labels, value_labels = spss_table(analyses, lang=lang)
    measures = {c: "nominal" for c in ("round", "role", "respondent", "unit", "scored",
                                       "prorated")}
    measures.update({c: "ordinal" for c in value_labels if c not in measures})
    measures.update({c: "scale" for c in frame.columns if c not in measures})
    with atomic_path(path) as tmp:
        pyreadstat.write_sav(frame, str(tmp), column_labels=column_labels,
                             variable_value_labels=value_labels, variable_measure=measures)
    return Path(path)


def codebook_markdown(book: pd.DataFrame, *, lang: str = "da") -> str:
    """The codebook as a Markdown document: a table of columns per file, then the codes."""
    from . import compare_text

    words = compare_text.codebook_words(lang)
    lines = [f"# {words['title']}", "", words["intro"], ""]
    for file, part in book.groupby("file", sort=False):
        lines += [f"## {file}", "", f"| {words['column']} | {words['type']} | "
                  f"{words['description']} |", "|---|---|---|"]
        columns = part[part["code"] == ""]
        lines += [f"| `{r.column}` | {r.type} | {_cell(r.description)} |"
                  for r in columns.itertuples(index=False)]
        lines.append("")
        for column, codes in part[part["code"] != ""].groupby("column", sort=False):
            lines += [f"### {file}: `{column}`", "", f"| {words['code']} | {words['label']} |",
                      "|---|---|"]
            lines += [f"| {_cell(r.code)} | {_cell(r.label)} |"
                      for r in codes.itertuples(index=False)]
            lines.append("")
    return "\n".join(lines)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_comparison(comparison: Comparison, folder: str | Path, *,
                     lang: str = "da") -> Path:
    """Write ``comparison.json`` and the tidy data of all rounds into ``folder``.

    ``folder/comparison.json`` holds :func:`comparison_summary`;
    ``folder/data/`` holds ``answers`` and ``respondents`` as Parquet and as
    CSV (UTF-8 with BOM), ``respondents.sav`` for SPSS, and ``codebook.csv``
    and ``codebook.md`` describing every column and code. Rows of roles
    withheld in a round are not exported. The data folder appears complete or
    not at all.
    """
    from .files import replace_folder, staging_folder

    folder = Path(folder)
    final = folder / "data"
    staging = staging_folder(final)
    try:
        analyses = comparison.analyses
        for name, frame in (("answers", answers_table(analyses)),
                            ("respondents", respondents_table(analyses))):
            write_parquet(staging / f"{name}.parquet", frame)
            write_csv(staging / f"{name}.csv", frame)
        book = codebook(analyses, lang=lang)
        write_csv(staging / "codebook.csv", book)
        write_text(staging / "codebook.md", codebook_markdown(book, lang=lang))
        write_sav(staging / "respondents.sav", analyses, lang=lang)
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_json(folder / "comparison.json", comparison_summary(comparison))
    return folder
