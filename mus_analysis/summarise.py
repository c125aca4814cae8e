"""The round's summary tables and its machine-readable headline figures.

Every function takes tidy frames (answers, scored respondents) and returns a
new DataFrame or dict. Anonymity is applied here: a role with fewer
respondents than ``min_group`` is withheld, and its figures appear in no
table, chart or file built from these summaries.
"""

from __future__ import annotations

import pandas as pd

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


def band_counts(respondents: pd.DataFrame, *, roles: list[str] | None = None,
                instrument: Instrument | None = None) -> pd.DataFrame:
    """How many scored respondents of each role fall in each band (Tendens).

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


def spread(answers: pd.DataFrame, *, roles: list[str] | None = None,
           instrument: Instrument | None = None) -> pd.DataFrame:
    """How the answers to each statement spread over the scale (Spredning).

    Every given answer counts, also those of respondents who were not scored.

    Returns
    -------
    DataFrame
        ``role``, ``section``, ``item``, ``points``, ``count``, ``share`` (of
        the statement's answers), every statement and scale point listed.
    """
    instrument = instrument or load_instrument()
    roles = [r for r in ROLES if r in set(answers["role"])] if roles is None else roles
    given = answers[answers["points"].notna() & answers["role"].isin(roles)]
    counts = given.groupby(["item", "points"]).size()
    items = instrument.items[instrument.items["role"].isin(roles)]
    index = pd.MultiIndex.from_product([items["item"], instrument.scale["points"]],
                                       names=["item", "points"])
    table = counts.reindex(index, fill_value=0).rename("count").reset_index()
    table = table.merge(items[["item", "role", "section"]], on="item")
    totals = table.groupby("item")["count"].transform("sum")
    table["share"] = (table["count"] / totals.where(totals > 0)).fillna(0.0)
    return table[["role", "section", "item", "points", "count", "share"]].astype(
        {"count": "int64", "points": "int64"})


def item_means(answers: pd.DataFrame, *, instrument: Instrument | None = None) -> pd.DataFrame:
    """Mean points and number of answers per statement.

    Returns
    -------
    DataFrame
        ``role``, ``section``, ``item``, ``answers``, ``mean``, in
        questionnaire order.
    """
    instrument = instrument or load_instrument()
    given = answers[answers["points"].notna()]
    stats = given.groupby("item")["points"].agg(answers="count", mean="mean")
    table = instrument.items[["role", "section", "item"]].merge(
        stats, left_on="item", right_index=True)
    return table.astype({"mean": "float64", "answers": "int64"}).reset_index(drop=True)


def pair_gaps(answers: pd.DataFrame, *, instrument: Instrument | None = None) -> pd.DataFrame:
    """Leaders' and employees' mean points on each pair of mirrored statements.

    Returns
    -------
    DataFrame
        ``pair``, ``leader``, ``employee`` (item ids), ``leader_mean``,
        ``employee_mean``, ``gap`` (leaders minus employees), sorted by the
        size of the gap, largest first. Empty when a role has no answers.
    """
    instrument = instrument or load_instrument()
    means = item_means(answers, instrument=instrument).set_index("item")["mean"]
    pairs = instrument.pairs[["pair", "leader", "employee"]].copy()
    pairs["leader_mean"] = pairs["leader"].map(means)
    pairs["employee_mean"] = pairs["employee"].map(means)
    pairs = pairs.dropna(subset=["leader_mean", "employee_mean"])
    pairs["gap"] = pairs["leader_mean"] - pairs["employee_mean"]
    order = pairs["gap"].abs().sort_values(ascending=False, kind="stable").index
    return pairs.loc[order].reset_index(drop=True)


def section_means(respondents: pd.DataFrame, *, roles: list[str] | None = None,
                  instrument: Instrument | None = None) -> pd.DataFrame:
    """Mean points per role and section, over the respondents' section means.

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
    return table.astype({"mean": "float64"})


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
                  instrument: Instrument | None = None) -> dict:
    """The round's headline figures, as written to ``summary.json``.

    A role with fewer than ``min_group`` respondents keeps only its number of
    respondents and ``"withheld": true``. With ``answers``, the summary also
    has ``"headlines"`` (see :func:`headlines`), built from the shown roles only.
    """
    instrument = instrument or load_instrument()
    shown = shown_roles(respondents, min_group=min_group)
    counts = band_counts(respondents, roles=shown, instrument=instrument)
    roles = {}
    for role in ROLES:
        part = respondents[respondents["role"] == role]
        if part.empty:
            continue
        if role not in shown:
            roles[role] = {"respondents": len(part), "withheld": True}
            continue
        scored = part[part["scored"]]
        bands = counts[counts["role"] == role]
        roles[role] = {
            "respondents": len(part),
            "scored": len(scored),
            "mean_score": None if scored.empty else round(float(scored["score"].mean()), 2),
            "bands": {b: int(c) for b, c in zip(bands["band"], bands["count"])},
            "withheld": False,
        }
    summary = {
        "round": round_name,
        "instrument": instrument.name,
        "min_group": min_group,
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
    if answers is not None:
        summary["headlines"] = headlines(respondents, answers, roles=shown,
                                         instrument=instrument)
    return summary


def headlines(respondents: pd.DataFrame, answers: pd.DataFrame, *, roles: list[str],
              n: int = 3, instrument: Instrument | None = None) -> dict:
    """What a reader should see first: top band, weakest statements, largest gaps.

    Parameters
    ----------
    respondents, answers : DataFrame
        The scored respondents and their answers (long).
    roles : list of str
        The roles that may be shown; the others are left out entirely.
    n : int, default 3
        How many statements and pairs to list.

    Returns
    -------
    dict
        ``top_band``: per role, the band with the most scored respondents (on
        a tie the lower band, the one that asks for attention), or None when
        nobody of the role has a score. ``weakest_items``: per role, the ``n``
        statements with the lowest mean points, lowest first (ties in
        questionnaire order), each ``{"item", "mean", "answers"}``.
        ``largest_gaps``: the ``n`` pairs with the largest difference between
        the leaders' and the employees' mean points, in absolute terms, each
        ``{"pair", "leader", "employee", "leader_mean", "employee_mean",
        "gap"}``; empty unless both roles are shown. Means and gaps have two
        decimals.
    """
    instrument = instrument or load_instrument()
    roles = [r for r in ROLES if r in roles]
    counts = band_counts(respondents, roles=roles, instrument=instrument)
    shown_answers = answers[answers["role"].isin(roles)]
    means = item_means(shown_answers, instrument=instrument)

    top_band, weakest = {}, {}
    for role in roles:
        part = counts[counts["role"] == role]
        top = part[part["count"] == part["count"].max()]
        top_band[role] = None if part["count"].sum() == 0 else str(top["band"].iloc[0])
        lowest = means[means["role"] == role].sort_values("mean", kind="stable").head(n)
        weakest[role] = [{"item": item, "mean": round(float(mean), 2), "answers": int(k)}
                         for item, mean, k in lowest[["item", "mean", "answers"]].itertuples(
                             index=False)]

    gaps = []
    if len(roles) == len(ROLES):
        table = pair_gaps(shown_answers, instrument=instrument).head(n)
        gaps = [{"pair": row.pair, "leader": row.leader, "employee": row.employee,
                 "leader_mean": round(float(row.leader_mean), 2),
                 "employee_mean": round(float(row.employee_mean), 2),
                 "gap": round(float(row.gap), 2)}
                for row in table.itertuples(index=False)]
    return {"top_band": top_band, "weakest_items": weakest, "largest_gaps": gaps}
