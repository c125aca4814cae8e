"""The round's summary tables and its machine-readable headline figures.

Every function takes tidy frames (answers, scored respondents) and returns a
new DataFrame or dict. Anonymity is applied here, by the rules of
:mod:`mus_analysis.anonymity`: a role with fewer respondents than
``min_group`` is withheld, and its figures appear in no table, chart or file
built from these summaries; a shown role's band counts are merged into runs
of neighbouring bands where a count would describe fewer than ``min_group``
people; statements with fewer answers are left out; units too small to be
shown apart are merged into "other units". :func:`round_figures` applies
them all at once and is what reports are built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import anonymity
from .instrument import ROLES, Instrument, load_instrument

DEFAULT_MIN_GROUP = 5


def shown_roles(respondents: pd.DataFrame, *, min_group: int = DEFAULT_MIN_GROUP) -> list[str]:
    """The roles with at least ``min_group`` respondents, in questionnaire order."""
    _check_min_group(min_group)
    counts = respondents["role"].value_counts()
    return [role for role in ROLES if counts.get(role, 0) >= min_group]


def _check_min_group(min_group: int) -> None:
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        raise ValueError(f"The value for `min_group` must be a whole number of at least 1, "
                         f"but {min_group!r} was passed.")


def figure_bases(respondents: pd.DataFrame, *,
                 min_group: int = DEFAULT_MIN_GROUP) -> pd.DataFrame:
    """Which respondents each kind of figure counts (rule 4 of :mod:`.anonymity`).

    Returns
    -------
    DataFrame
        Aligned with ``respondents``: ``in_answers`` (their answers count in
        the spread and the statement means) and ``in_scores`` (their score
        counts in the mean score and the bands). A role with between 1 and
        ``min_group - 1`` incomplete answer sets leaves them out of both;
        otherwise every answer and every score counts.
    """
    _check_min_group(min_group)
    answered = respondents["answered"] > 0
    incomplete = answered & (respondents["missing"] > 0)
    per_role = incomplete.groupby(respondents["role"].astype(str)).transform("sum")
    left_out = incomplete & per_role.map(
        lambda n: anonymity.incomplete_left_out(int(n), min_group)).astype(bool)
    return pd.DataFrame({"in_answers": answered & ~left_out,
                         "in_scores": respondents["scored"].astype(bool) & ~left_out},
                        index=respondents.index)


def band_counts(respondents: pd.DataFrame, *, roles: list[str] | None = None,
                instrument: Instrument | None = None) -> pd.DataFrame:
    """How many scored respondents of each role fall in each band (Tendens).

    These are the counts before the anonymity rule: :func:`shown_bands`
    gives the counts a report may show.

    Returns
    -------
    DataFrame
        ``role``, ``band``, ``count``, ``share`` (of the role's scored
        respondents), with every band of every role listed, zeros included.
    """
    instrument = instrument or load_instrument()
    roles = [r for r in ROLES if r in set(respondents["role"])] if roles is None else roles
    scored = respondents[respondents["scored"] & respondents["role"].isin(roles)]
    counts = scored.groupby(["role", "band"]).size()
    index = pd.MultiIndex.from_product([roles, instrument.bands["band"]],
                                       names=["role", "band"])
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    totals = table.groupby("role")["count"].transform("sum")
    table["share"] = (table["count"] / totals.where(totals > 0)).fillna(0.0)
    return table.astype({"count": "int64"})


BAND_COLUMNS = ["role", "band", "first", "last", "count", "share", "merged"]


def shown_bands(respondents: pd.DataFrame, *, roles: list[str] | None = None,
                min_group: int = DEFAULT_MIN_GROUP, instrument: Instrument | None = None,
                bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """The band counts a report may show: the rule "a band count is a figure
    about a group".

    A band count between 1 and ``min_group - 1`` would tell that a few people
    scored that way. Each role's bands are therefore shown as the finest runs
    of neighbouring bands in which every count is 0 or at least
    ``min_group`` (:func:`.anonymity.band_runs`): ``41-60``, ``61-80`` and
    ``81-100`` with 3, 25 and 4 scored become one run ``41-100`` with 32.
    A role with between 1 and ``min_group - 1`` scored respondents has no
    rows: its score figures are not shown at all.

    Parameters
    ----------
    respondents : DataFrame
        Scored respondents (:func:`~mus_analysis.score_respondents`).
    roles : list of str, optional
        The roles to consider; every role present by default.
    min_group : int, default 5
        The anonymity threshold.
    bases : DataFrame, optional
        :func:`figure_bases` of ``respondents``; computed when not given.

    Returns
    -------
    DataFrame
        One row per run: ``role``, ``band`` (the band's label, or the run's
        lowest and highest points, e.g. ``"41-100"``), ``first`` and
        ``last`` (the labels of its lowest and highest band), ``count``,
        ``share`` (of the role's counted respondents) and ``merged`` (more
        than one band), lowest run first.
    """
    instrument = instrument or load_instrument()
    bases = figure_bases(respondents, min_group=min_group) if bases is None else bases
    roles = [r for r in ROLES if r in set(respondents["role"])] if roles is None else roles
    counts = band_counts(respondents[bases["in_scores"]], roles=roles, instrument=instrument)
    rows = []
    for role in roles:
        vector = counts.loc[counts["role"] == role, "count"].tolist()
        runs = anonymity.band_runs(vector, min_group)
        if runs is not None:
            rows += _run_rows(role, runs, vector, instrument)
    return _band_frame(rows)


def _run_rows(role: str, runs: list[anonymity.Run], vector: list[int],
              instrument: Instrument, **extra) -> list[dict]:
    bands = instrument.bands
    total = sum(vector)
    rows = []
    for first, last in runs:
        count = sum(vector[first:last + 1])
        label = (bands["band"].iloc[first] if first == last
                 else f"{bands['low'].iloc[first]}-{bands['high'].iloc[last]}")
        rows.append({"role": role, **extra, "band": label, "first": bands["band"].iloc[first],
                     "last": bands["band"].iloc[last], "count": count,
                     "share": count / total if total else 0.0, "merged": first != last})
    return rows


def _band_frame(rows: list[dict], columns: list[str] = BAND_COLUMNS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"count": "int64", "share": "float64", "merged": "bool"})


def band_runs_of(bands: pd.DataFrame, role: str,
                 instrument: Instrument | None = None) -> list[anonymity.Run]:
    """A role's runs in :func:`shown_bands` as (first, last) band indexes."""
    instrument = instrument or load_instrument()
    index = {band: i for i, band in enumerate(instrument.bands["band"])}
    part = bands[bands["role"] == role]
    return [(index[a], index[b]) for a, b in zip(part["first"], part["last"])]


def comparable_bands(bands: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`shown_bands` that can be set beside other rounds' bands.

    A role whose bands had to be merged is left out: its runs need not be
    those of another round, so its shares cannot be compared band by band.
    The comparison of rounds uses this.

    Returns
    -------
    DataFrame
        ``role``, ``band``, ``count``, ``share`` of the roles whose every band
        is shown on its own.
    """
    merged = set(bands.loc[bands["merged"], "role"])
    return bands.loc[~bands["role"].isin(merged), ["role", "band", "count", "share"]]


def spread(answers: pd.DataFrame, *, roles: list[str] | None = None,
           instrument: Instrument | None = None, min_group: int | None = None) -> pd.DataFrame:
    """How the answers to each statement spread over the scale (Spredning).

    Every given answer counts, also those of respondents who were not scored.

    Parameters
    ----------
    min_group : int, optional
        Leave out the statements with fewer answers than this.

    Returns
    -------
    DataFrame
        ``role``, ``section``, ``item``, ``points``, ``count``, ``share`` (of
        the statement's answers) and ``answers`` (the statement's number of
        answers), every statement and scale point listed.
    """
    instrument = instrument or load_instrument()
    roles = [r for r in ROLES if r in set(answers["role"])] if roles is None else roles
    given = answers[answers["points"].notna() & answers["role"].isin(roles)]
    counts = given.groupby(["item", "points"], observed=True).size()
    items = instrument.items[instrument.items["role"].isin(roles)]
    index = pd.MultiIndex.from_product([items["item"], instrument.scale["points"]],
                                       names=["item", "points"])
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table = table.merge(items[["item", "role", "section"]], on="item")
    table["answers"] = table.groupby("item")["count"].transform("sum")
    table["share"] = (table["count"] / table["answers"].where(table["answers"] > 0)).fillna(0.0)
    if min_group is not None:
        table = table[table["answers"] >= max(min_group, 1)].reset_index(drop=True)
    return table[["role", "section", "item", "points", "count", "share", "answers"]].astype(
        {"count": "int64", "points": "int64", "answers": "int64"})


def item_means(answers: pd.DataFrame, *, instrument: Instrument | None = None,
               min_group: int | None = None) -> pd.DataFrame:
    """Mean points and number of answers per statement.

    Parameters
    ----------
    min_group : int, optional
        Leave out the statements with fewer answers than this.

    Returns
    -------
    DataFrame
        ``role``, ``section``, ``item``, ``answers``, ``mean``, in
        questionnaire order.
    """
    instrument = instrument or load_instrument()
    given = answers[answers["points"].notna()]
    stats = given.groupby("item", observed=True)["points"].agg(answers="count", mean="mean")
    if min_group is not None:
        stats = stats[stats["answers"] >= max(min_group, 1)]
    table = instrument.items[["role", "section", "item"]].merge(
        stats, left_on="item", right_index=True)
    return table.astype({"mean": "float64", "answers": "int64"}).reset_index(drop=True)


def pair_gaps(answers: pd.DataFrame, *, instrument: Instrument | None = None,
              min_group: int | None = None) -> pd.DataFrame:
    """Leaders' and employees' mean points on each pair of mirrored statements.

    Parameters
    ----------
    min_group : int, optional
        Leave out the pairs where a statement has fewer answers than this.

    Returns
    -------
    DataFrame
        ``pair``, ``leader``, ``employee`` (item ids), ``leader_mean``,
        ``employee_mean``, ``gap`` (leaders minus employees), sorted by the
        size of the gap, largest first. Empty when a role has no answers.
    """
    instrument = instrument or load_instrument()
    means = item_means(answers, instrument=instrument,
                       min_group=min_group).set_index("item")["mean"]
    pairs = instrument.pairs[["pair", "leader", "employee"]].copy()
    pairs["leader_mean"] = pairs["leader"].map(means)
    pairs["employee_mean"] = pairs["employee"].map(means)
    pairs = pairs.dropna(subset=["leader_mean", "employee_mean"])
    pairs["gap"] = pairs["leader_mean"] - pairs["employee_mean"]
    order = pairs["gap"].abs().sort_values(ascending=False, kind="stable").index
    return pairs.loc[order].reset_index(drop=True)


def section_means(respondents: pd.DataFrame, *, roles: list[str] | None = None,
                  instrument: Instrument | None = None,
                  min_group: int | None = None) -> pd.DataFrame:
    """Mean points per role and section, over the respondents' section means.

    Parameters
    ----------
    min_group : int, optional
        Leave out the sections answered by fewer respondents than this.

    Returns
    -------
    DataFrame
        ``role``, ``section``, ``respondents``, ``mean``.
    """
    instrument = instrument or load_instrument()
    roles = [r for r in ROLES if r in set(respondents["role"])] if roles is None else roles
    cols = [f"section_{s}" for s in instrument.sections["section"]]
    chosen = respondents[respondents["role"].isin(roles)]
    long = chosen.melt(id_vars="role", value_vars=[c for c in cols if c in chosen],
                       var_name="section", value_name="mean")
    long["section"] = long["section"].str.removeprefix("section_")
    table = long.groupby(["role", "section"], sort=False)["mean"].agg(
        respondents="count", mean="mean").reset_index()
    if min_group is not None:
        table = table[table["respondents"] >= max(min_group, 1)].reset_index(drop=True)
    return table.astype({"mean": "float64"})


# Units ------------------------------------------------------------------------

UNIT_COLUMNS = ["role", "group", "unit", "units", "other", "respondents", "scored",
                "mean_score"]
UNIT_BAND_COLUMNS = ["role", "group", "band", "first", "last", "count", "share", "merged"]


def has_units(respondents: pd.DataFrame) -> bool:
    """Whether the round has a unit column with at least one unit in it."""
    return "unit" in respondents and bool(respondents["unit"].notna().any())


def unit_figures(respondents: pd.DataFrame, *, roles: list[str], bands: pd.DataFrame,
                 min_group: int = DEFAULT_MIN_GROUP, instrument: Instrument | None = None,
                 bases: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents, mean score and bands per unit and role (rule 3 of :mod:`.anonymity`).

    Per role, units with fewer than ``min_group`` respondents in the score
    figures, and respondents without a unit, make up "other units"; if that
    group is itself too small, the smallest shown unit joins it
    (:func:`.anonymity.unit_groups`). The groups cover the role, so
    subtracting shown groups from the role's figures yields only shown
    groups. Their bands share one run of bands per role, the role's own
    runs or coarser, in which every group's count is safe.

    Parameters
    ----------
    roles : list of str
        The roles whose score figures are shown.
    bands : DataFrame
        The role's shown bands (:func:`shown_bands`).

    Returns
    -------
    units : DataFrame
        One row per group: ``role``, ``group`` (0, 1, ... within the role),
        ``unit`` (the unit's name; missing for "other units"), ``units`` (a
        tuple of the unit names in the group), ``other``, ``respondents``,
        ``scored`` (respondents counted in the score figures) and
        ``mean_score`` (missing when ``scored`` is 0). Shown units come in
        name order, "other units" last. A role whose units cannot be shown
        apart has no rows.
    unit_bands : DataFrame
        ``role``, ``group``, then the columns of :func:`shown_bands`.
    """
    instrument = instrument or load_instrument()
    bases = figure_bases(respondents, min_group=min_group) if bases is None else bases
    unit_rows, band_rows = [], []
    for role in roles:
        part = respondents[respondents["role"] == role]
        counted = bases.loc[part.index, "in_scores"]
        units = part["unit"].astype("string")
        names = sorted(units.dropna().unique(), key=lambda u: (u.casefold(), u))
        sizes = {u: int(counted[units == u].sum()) for u in names}
        shown, other = anonymity.unit_groups(
            sizes, min_group, unassigned=int(counted[units.isna()].sum()))
        if not shown:
            continue
        members = [[u] for u in shown]
        if other or units.isna().any():
            members.append(other)
        masks = [units.isin(m).fillna(False) for m in members[:len(shown)]]
        if len(members) > len(shown):
            masks.append(units.isna() | units.isin(other).fillna(False))
        vectors = []
        for group, mask in enumerate(masks):
            scored = part[mask & counted]
            vectors.append(band_counts(scored, roles=[role], instrument=instrument)["count"]
                           .tolist())
            unit_rows.append({
                "role": role, "group": group,
                "unit": members[group][0] if group < len(shown) else pd.NA,
                "units": tuple(members[group]), "other": group >= len(shown),
                "respondents": int(mask.sum()), "scored": len(scored),
                "mean_score": float(scored["score"].mean()) if len(scored) else float("nan")})
        role_vector = [sum(v) for v in zip(*vectors)]
        runs = anonymity.band_runs(role_vector, min_group,
                                   within=band_runs_of(bands, role, instrument), also=vectors)
        for group, vector in enumerate(vectors):
            band_rows += _run_rows(role, runs, vector, instrument, group=group)
    units = pd.DataFrame(unit_rows, columns=UNIT_COLUMNS).astype(
        {"respondents": "int64", "scored": "int64", "mean_score": "float64", "other": "bool"})
    return units, _band_frame(band_rows, UNIT_BAND_COLUMNS)


# Statuses of a role in the spread of one chosen unit.
UNIT_SHOWN = "shown"
UNIT_ABSENT = "absent"              # the unit has no respondents of the role
UNIT_ROLE_WITHHELD = "role withheld"  # the role itself is withheld
UNIT_MERGED = "merged"              # the unit is part of "other units"
UNIT_INCOMPLETE = "incomplete"      # its few incomplete answer sets would show
UNIT_FEW_ANSWERS = "few answers"    # no statement has enough answers


@dataclass
class UnitView:
    """The spread of one chosen unit's answers, per role.

    Attributes
    ----------
    name : str
        The unit, as the data names it.
    status : dict
        Per role of the instrument: ``"shown"``, ``"absent"``, ``"role
        withheld"``, ``"merged"`` (in "other units"), ``"incomplete"`` or
        ``"few answers"``.
    spread : DataFrame
        The columns of :func:`spread` for the shown roles and statements.
    complete_only : list of str
        Roles whose spread counts the unit's complete answer sets only.
    """

    name: str
    status: dict[str, str]
    spread: pd.DataFrame
    complete_only: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[str]:
        return [role for role, status in self.status.items() if status == UNIT_SHOWN]


def unit_view(name: str, respondents: pd.DataFrame, answers: pd.DataFrame, *,
              roles: list[str], units: pd.DataFrame, min_group: int = DEFAULT_MIN_GROUP,
              instrument: Instrument | None = None,
              bases: pd.DataFrame | None = None) -> UnitView:
    """The spread of the answers of unit ``name``, next to its role's spread.

    A role's spread of the unit is shown when the unit is a group of its own
    in :func:`unit_figures`. It counts the answers the rule
    :func:`.anonymity.unit_answer_rule` allows, and each statement only
    when the unit has at least ``min_group`` answers to it and the rest of
    the role 0 or at least ``min_group``, so that the role's spread minus
    the unit's describes a safe group too.

    Parameters
    ----------
    roles : list of str
        The shown roles.
    units : DataFrame
        The unit groups (:func:`unit_figures`).
    """
    instrument = instrument or load_instrument()
    bases = figure_bases(respondents, min_group=min_group) if bases is None else bases
    status, frames, complete_only = {}, [], []
    unit_of = respondents["unit"].astype("string")
    incomplete = (respondents["answered"] > 0) & (respondents["missing"] > 0)
    for role in instrument.roles["role"]:
        in_role = respondents["role"] == role
        in_unit = in_role & (unit_of == name).fillna(False)
        groups = units[(units["role"] == role) & ~units["other"] & (units["unit"] == name)]
        if not in_unit.any():
            status[role] = UNIT_ABSENT
            continue
        if role not in roles:
            status[role] = UNIT_ROLE_WITHHELD
            continue
        if groups.empty:
            status[role] = UNIT_MERGED
            continue
        role_incomplete = int((incomplete & in_role).sum())
        rule = anonymity.unit_answer_rule(
            role_incomplete=role_incomplete,
            unit_incomplete=int((incomplete & in_unit).sum()),
            unit_prorated=int((in_unit & respondents["prorated"].astype(bool)
                               & bases["in_scores"]).sum()),
            role_left_out=anonymity.incomplete_left_out(role_incomplete, min_group),
            min_group=min_group)
        if rule == "withheld":
            status[role] = UNIT_INCOMPLETE
            continue
        counted = in_unit & (respondents["answered"] > 0)
        if rule == "complete":
            counted &= ~incomplete
            if (incomplete & in_unit).any():
                complete_only.append(role)
        unit_spread = spread(_answers_of(answers, respondents[counted]), roles=[role],
                             instrument=instrument)
        role_spread = spread(_answers_of(answers, respondents[in_role & bases["in_answers"]]),
                             roles=[role], instrument=instrument)
        # Each statement: enough answers in the unit, and a safe rest of the role.
        keys = ["item", "points"]
        rest = (role_spread.set_index(keys)["answers"]
                .reindex(pd.MultiIndex.from_frame(unit_spread[keys]))
                - unit_spread["answers"].to_numpy())
        keep = (unit_spread["answers"] >= min_group).to_numpy() & rest.map(
            lambda n: anonymity.safe(int(n), min_group)).to_numpy()
        unit_spread = unit_spread[keep].reset_index(drop=True)
        if unit_spread.empty:
            status[role] = UNIT_FEW_ANSWERS
            continue
        status[role] = UNIT_SHOWN
        frames.append(unit_spread)
    table = (pd.concat(frames, ignore_index=True) if frames
             else spread(answers.iloc[:0], roles=[], instrument=instrument))
    return UnitView(name=name, status=status, spread=table, complete_only=complete_only)


def _answers_of(answers: pd.DataFrame, respondents: pd.DataFrame) -> pd.DataFrame:
    """The answers of the given respondents.

    Respondent ids carry their role's prefix, so the id alone finds them; on a
    categorical column (as the reader gives it) the test runs on the categories.
    """
    ids = respondents["respondent"].astype(str).unique()
    roles = respondents["role"].astype(str).unique()
    return answers[answers["respondent"].isin(ids) & answers["role"].isin(roles)]


# All figures of a round ------------------------------------------------------------


@dataclass
class Figures:
    """Every figure of a round that a report may show, with the rules applied.

    Attributes
    ----------
    min_group : int
        The threshold.
    shown, withheld : list of str
        Roles with at least ``min_group`` respondents, and present roles with
        fewer.
    scores_shown : list of str
        Shown roles whose score figures (mean score, bands) are shown: at
        least ``min_group`` respondents counted in them.
    left_out : dict
        Per role, the incomplete answer sets left out of its figures.
    bases : DataFrame
        :func:`figure_bases`.
    bands, spread, items, sections, gaps : DataFrame
        :func:`shown_bands`, :func:`spread`, :func:`item_means`,
        :func:`section_means` and :func:`pair_gaps` of the shown roles,
        without the statements and sections with too few answers.
    units, unit_bands : DataFrame
        :func:`unit_figures`; empty when the round has no unit column.
    unit : UnitView or None
        The spread of the chosen unit, when one is chosen.
    """

    min_group: int
    shown: list[str]
    withheld: list[str]
    scores_shown: list[str]
    left_out: dict[str, int]
    bases: pd.DataFrame
    bands: pd.DataFrame
    spread: pd.DataFrame
    items: pd.DataFrame
    sections: pd.DataFrame
    gaps: pd.DataFrame
    units: pd.DataFrame
    unit_bands: pd.DataFrame
    unit: UnitView | None = None


def round_figures(respondents: pd.DataFrame, answers: pd.DataFrame | None = None, *,
                  min_group: int = DEFAULT_MIN_GROUP, instrument: Instrument | None = None,
                  unit: str | None = None) -> Figures:
    """Apply every anonymity rule of :mod:`.anonymity` and build the round's figures.

    Parameters
    ----------
    respondents : DataFrame
        Scored respondents.
    answers : DataFrame, optional
        Their answers (long). Without them the answer figures are empty.
    min_group : int, default 5
        The threshold.
    unit : str, optional
        A unit (as the data names it) whose spread to add.
    """
    instrument = instrument or load_instrument()
    shown = shown_roles(respondents, min_group=min_group)
    present = [r for r in ROLES if r in set(respondents["role"])]
    bases = figure_bases(respondents, min_group=min_group)
    incomplete = (respondents["answered"] > 0) & (respondents["missing"] > 0)
    left_out = {role: n for role in shown
                if (n := int((incomplete & (respondents["role"] == role)).sum()))
                and anonymity.incomplete_left_out(n, min_group)}
    bands = shown_bands(respondents, roles=shown, min_group=min_group, instrument=instrument,
                        bases=bases)
    scores_shown = [role for role in shown if role in set(bands["role"])]

    empty = answers is None
    answers = pd.DataFrame(columns=["role", "respondent", "item", "points"]) if empty \
        else answers
    counted = respondents[bases["in_answers"] & respondents["role"].isin(shown)]
    given = answers.iloc[:0] if empty else _answers_of(answers, counted)
    gaps = (pair_gaps(given, instrument=instrument, min_group=min_group) if len(shown) == 2
            else pd.DataFrame())

    units, unit_bands = (unit_figures(respondents, roles=scores_shown, bands=bands,
                                      min_group=min_group, instrument=instrument, bases=bases)
                         if has_units(respondents)
                         else (pd.DataFrame(columns=UNIT_COLUMNS),
                               _band_frame([], UNIT_BAND_COLUMNS)))
    view = None
    if unit is not None and not empty:
        view = unit_view(unit, respondents, answers, roles=shown, units=units,
                         min_group=min_group, instrument=instrument, bases=bases)
    return Figures(
        min_group=min_group, shown=shown, withheld=[r for r in present if r not in shown],
        scores_shown=scores_shown, left_out=left_out, bases=bases, bands=bands,
        spread=spread(given, roles=shown, instrument=instrument, min_group=min_group),
        items=item_means(given, instrument=instrument, min_group=min_group),
        sections=section_means(respondents[bases["in_answers"]], roles=shown,
                               instrument=instrument, min_group=min_group),
        gaps=gaps, units=units, unit_bands=unit_bands, unit=view)


def data_quality(received: int, respondents: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """What happened to the rows received, per role.

    Returns
    -------
    DataFrame
        One row per role with ``respondents``, ``scored``, ``not_scored``,
        ``prorated``, and one row ``all`` that also carries ``received`` rows,
        ``dropped_rows`` and ``answers_set_to_missing`` from the cleaning log.
    """
    roles = [r for r in ROLES if r in set(respondents["role"])]
    rows = []
    for role in [*roles, "all"]:
        part = respondents if role == "all" else respondents[respondents["role"] == role]
        rows.append({
            "role": role,
            "respondents": len(part),
            "scored": int(part["scored"].sum()),
            "not_scored": int((~part["scored"]).sum()),
            "prorated": int(part["prorated"].sum()),
        })
    table = pd.DataFrame(rows)
    table["received"] = pd.NA
    table.loc[table["role"] == "all", "received"] = received
    table["dropped_rows"] = pd.NA
    table.loc[table["role"] == "all", "dropped_rows"] = int((log["action"] == "dropped row").sum())
    table["answers_set_to_missing"] = pd.NA
    table.loc[table["role"] == "all", "answers_set_to_missing"] = int(
        (log["action"] == "set to missing").sum())
    return table


def round_summary(round_name: str, respondents: pd.DataFrame, *, received: int,
                  log: pd.DataFrame, min_group: int = DEFAULT_MIN_GROUP,
                  max_missing: int = 0, answers: pd.DataFrame | None = None,
                  instrument: Instrument | None = None, unit: str | None = None,
                  figures: Figures | None = None) -> dict:
    """The round's headline figures, as written to ``summary.json``.

    Per role: ``respondents``, ``scored``, ``mean_score``, ``bands`` (every
    band as a key; ``null`` where the band had to be merged with its
    neighbours, see :func:`shown_bands`), ``band_runs`` (the merged runs
    such as ``{"41-100": 32}``, only when bands were merged) and
    ``withheld``. A role with fewer than ``min_group``
    respondents keeps only its number of respondents and ``"withheld":
    true``; a shown role with too few respondents in its score figures has
    ``"scores_withheld": true`` and no mean score or bands; a role whose
    few incomplete answer sets were left out of its figures says how many
    in ``"incomplete_left_out"``. With a unit column, ``"units"`` holds per
    role the groups of :func:`unit_figures`. With ``answers``, the summary
    also has ``"headlines"`` (see :func:`headlines`), built from the shown
    figures only.

    Parameters
    ----------
    figures : Figures, optional
        :func:`round_figures` of the round, when already computed.
    """
    instrument = instrument or load_instrument()
    if figures is None:
        figures = round_figures(respondents, answers, min_group=min_group,
                                instrument=instrument, unit=unit)
    roles = {}
    for role in ROLES:
        part = respondents[respondents["role"] == role]
        if part.empty:
            continue
        if role not in figures.shown:
            roles[role] = {"respondents": len(part), "withheld": True}
            continue
        entry = {"respondents": len(part), "scored": int(part["scored"].sum())}
        if role in figures.scores_shown:
            counted = part[figures.bases.loc[part.index, "in_scores"]]
            bands = figures.bands[figures.bands["role"] == role]
            entry["mean_score"] = (None if counted.empty
                                   else round(float(counted["score"].mean()), 2))
            entry.update(_band_entries(bands, instrument))
        else:
            entry.update(mean_score=None, bands=None, scores_withheld=True)
        if role in figures.left_out:
            entry["incomplete_left_out"] = figures.left_out[role]
        roles[role] = {**entry, "withheld": False}
    summary = {
        "round": round_name,
        "instrument": instrument.name,
        "min_group": figures.min_group,
        "max_missing": max_missing,
        "roles": roles,
        "data_quality": {
            "rows_received": int(received),
            "respondents": len(respondents),
            "scored": int(respondents["scored"].sum()),
            "not_scored": int((~respondents["scored"]).sum()),
            "dropped_rows": int((log["action"] == "dropped row").sum()),
            "answers_set_to_missing": int((log["action"] == "set to missing").sum()),
            "dropped_columns": int((log["action"] == "dropped column").sum()),
        },
    }
    if has_units(respondents):
        summary["units"] = _units_summary(figures, instrument)
    if figures.unit is not None:
        summary["unit"] = {"name": figures.unit.name, "roles": dict(figures.unit.status)}
    if answers is not None:
        summary["headlines"] = headlines_of(figures)
    return summary


def _band_entries(runs: pd.DataFrame, instrument: Instrument) -> dict:
    """``bands`` with every band of the instrument as a key, for machines.

    A band shown on its own has its count; a band merged into a run with its
    neighbours (see :func:`shown_bands`) is ``null``, and the runs are
    listed under ``band_runs``, e.g. ``{"41-100": 32}``, only when a merge
    happened.
    """
    labels = instrument.bands["band"].tolist()
    counts = dict(zip(runs["band"], runs["count"].astype(int)))
    entry = {"bands": {b: counts.get(b) for b in labels}}
    merged = {run: count for run, count in counts.items() if run not in labels}
    if merged:
        entry["band_runs"] = merged
    return entry


def band_runs(entry: dict) -> dict[str, int]:
    """The band counts of a ``summary.json`` role or unit entry as shown:
    single bands and merged runs, lowest first."""
    runs = {band: count for band, count in entry["bands"].items() if count is not None}
    runs.update(entry.get("band_runs", {}))
    return dict(sorted(runs.items(), key=lambda item: int(item[0].split("-")[0])))


def _units_summary(figures: Figures, instrument: Instrument) -> dict[str, list[dict]]:
    out = {}
    for role in figures.scores_shown:
        groups = []
        for row in figures.units[figures.units["role"] == role].itertuples(index=False):
            bands = figures.unit_bands[(figures.unit_bands["role"] == role)
                                       & (figures.unit_bands["group"] == row.group)]
            groups.append({
                "unit": None if row.other else row.unit,
                "units": list(row.units),
                "other": bool(row.other),
                "respondents": int(row.respondents),
                "scored": int(row.scored),
                "mean_score": None if pd.isna(row.mean_score) else round(row.mean_score, 2),
                **_band_entries(bands, instrument),
            })
        out[role] = groups
    return out


def headlines(respondents: pd.DataFrame, answers: pd.DataFrame, *, roles: list[str],
              n: int = 3, instrument: Instrument | None = None,
              min_group: int = 1) -> dict:
    """What a reader should see first: top band, weakest statements, largest gaps.

    Parameters
    ----------
    respondents, answers : DataFrame
        The scored respondents and their answers (long).
    roles : list of str
        The roles that may be shown; the others are left out entirely.
    n : int, default 3
        How many statements and pairs to list.
    min_group : int, default 1
        The anonymity threshold; 1 applies no rule. Reports use
        :func:`round_summary`, which applies the round's threshold.

    Returns
    -------
    dict
        See :func:`headlines_of`.
    """
    roles = [r for r in ROLES if r in roles]
    chosen = respondents["role"].isin(roles)
    figures = round_figures(respondents[chosen], answers[answers["role"].isin(roles)],
                            min_group=min_group, instrument=instrument)
    return headlines_of(figures, n=n)


def headlines_of(figures: Figures, *, n: int = 3) -> dict:
    """The headlines of a round's shown figures.

    Returns
    -------
    dict
        ``top_band``: per shown role, the run of bands with the most scored
        respondents (on a tie the lower one, which asks for attention), or
        None when nobody of the role is counted or its score figures are
        withheld. ``weakest_items``: per shown role, the ``n`` shown
        statements with the lowest mean points, lowest first (ties in
        questionnaire order), each ``{"item", "mean", "answers"}``.
        ``largest_gaps``: the ``n`` pairs with the largest difference between
        the leaders' and the employees' mean points, in absolute terms, each
        ``{"pair", "leader", "employee", "leader_mean", "employee_mean",
        "gap"}``; empty unless both roles are shown. Means and gaps have two
        decimals.
    """
    top_band, weakest = {}, {}
    for role in figures.shown:
        part = figures.bands[figures.bands["role"] == role]
        top = part[part["count"] == part["count"].max()]
        top_band[role] = None if part["count"].sum() == 0 else str(top["band"].iloc[0])
        means = figures.items
        lowest = means[means["role"] == role].sort_values("mean", kind="stable").head(n)
        weakest[role] = [{"item": item, "mean": round(float(mean), 2), "answers": int(k)}
                         for item, mean, k in lowest[["item", "mean", "answers"]].itertuples(
                             index=False)]

    gaps = [{"pair": row.pair, "leader": row.leader, "employee": row.employee,
             "leader_mean": round(float(row.leader_mean), 2),
             "employee_mean": round(float(row.employee_mean), 2),
             "gap": round(float(row.gap), 2)}
            for row in figures.gaps.head(n).itertuples(index=False)]
    return {"top_band": top_band, "weakest_items": weakest, "largest_gaps": gaps}
