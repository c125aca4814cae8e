"""The anonymity rules: which groups and which counts a report may show.

The threshold ``k`` is the round's ``min_group``. A figure *describes* the
respondents it is computed from, its base. A count of respondents is *safe*
when it is 0 or at least ``k``: zero people is nobody, and ``k`` or more are
a group. The rules below make every figure a report shows describe a safe
group, and make every group a reader can work out from the shown figures by
adding and subtracting them safe as well.

1. **Roles.** A role with fewer than ``k`` respondents is withheld: only its
   number of respondents is shown. A shown role's score figures (mean score,
   band counts) need at least ``k`` respondents with a score; a statement's
   figures need at least ``k`` answers to it.
2. **Bands.** A band count is a figure about the group of people in that
   band. The bands of a group are shown as the finest split into runs of
   neighbouring bands (e.g. ``41-100``) in which every count is safe
   (:func:`band_runs`). Where no band is below ``k`` the five bands are shown
   as they are; where all runs would be unsafe, the group has fewer than
   ``k`` scored and its bands are not shown at all.
3. **Units.** Units with fewer than ``k`` scored respondents, and respondents
   without a unit, are merged into one group, "other units", which has to
   pass the same check. If it does not, the smallest shown unit joins it
   too, until it does (:func:`unit_groups`). The unit groups then cover the
   whole role, so subtracting shown units from the role's total gives only
   a shown group. The units of a role share one split of the bands, and it
   is the role's own split or coarser (:func:`band_runs` with ``within``), so
   no band count of a unit can be had by subtracting the other units' counts
   from the role's.
4. **Incomplete answer sets.** Figures about answers (the spread of answers,
   statement means) count every answer given, score figures count the scored
   respondents. Their difference is a figure about the respondents with
   missing answers. When a role has between 1 and ``k - 1`` of them, its
   figures are computed from its complete answer sets only
   (:func:`incomplete_left_out`). The spread of one chosen unit follows the
   same idea, see :func:`unit_answer_rule`.

Counts of how many responded, were scored or were not scored are about the
data, not about how anyone answered; the report shows them per role and per
shown unit group.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

Run = tuple[int, int]  # first and last band index of a run of bands, both included


def safe(n: int, min_group: int) -> bool:
    """Whether a count of ``n`` respondents may be shown: 0 or at least ``min_group``."""
    return n == 0 or n >= min_group


def band_runs(counts: Sequence[int], min_group: int, *, within: Sequence[Run] | None = None,
              also: Sequence[Sequence[int]] = ()) -> list[Run] | None:
    """The finest split of the bands into runs of neighbours with only safe counts.

    Parameters
    ----------
    counts : sequence of int
        Respondents per band, lowest band first.
    min_group : int
        The threshold ``k``.
    within : sequence of (int, int), optional
        Runs that may be joined but not split: the result is ``within`` or
        coarser. Without it every band may stand alone.
    also : sequence of sequences of int
        Further counts per band (e.g. one per unit) whose runs must be safe
        too.

    Returns
    -------
    list of (int, int) or None
        The runs as (first, last) band indexes, lowest first; None when even
        one run of all bands is unsafe (between 1 and ``k - 1`` in total).

    Notes
    -----
    Of the splits with the most runs, the one whose largest run holds the
    fewest respondents is taken (big runs stay apart), then the one that
    keeps the higher bands apart. With five bands there are 16 splits.
    """
    vectors = [list(counts), *(list(v) for v in also)]
    n = len(vectors[0])
    if any(len(v) != n for v in vectors):
        raise ValueError("Every count vector must have one count per band.")
    edges = range(1, n) if within is None else [first for first, _ in within[1:]]
    best, best_key = None, None
    for k in range(len(edges), -1, -1):
        for cuts in itertools.combinations(edges, k):
            runs = _runs(n, cuts)
            if not all(safe(sum(v[a:b + 1]), min_group) for v in vectors for a, b in runs):
                continue
            key = (len(runs), -max(sum(counts[a:b + 1]) for a, b in runs), cuts)
            if best_key is None or key > best_key:
                best, best_key = runs, key
        if best is not None:
            return best
    return None


def _runs(n: int, cuts: Sequence[int]) -> list[Run]:
    bounds = [0, *cuts, n]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]


def unit_groups(sizes: Mapping[str, int], min_group: int, *,
                unassigned: int = 0) -> tuple[list[str], list[str]]:
    """Which units are shown apart and which are merged into "other units".

    Parameters
    ----------
    sizes : mapping of str to int
        Per unit, the respondents its figures would describe (its scored
        respondents), in the order the units should keep.
    min_group : int
        The threshold ``k``.
    unassigned : int, default 0
        Respondents without a unit; they always belong to "other units".

    Returns
    -------
    shown, other : list of str
        The units shown apart and the units merged. "Other units" (``other``
        plus the unassigned) is safe: empty or at least ``k``. If it cannot
        be made safe, every unit is in ``other`` and none is shown apart.

    Notes
    -----
    Units below ``k`` go to "other units" first. While "other units" is
    above 0 but below ``k``, the smallest shown unit (the first in ``sizes``
    on a tie) joins it: complementary suppression, so that "other units"
    cannot be had as the role's total minus the shown units.
    """
    shown = [unit for unit, n in sizes.items() if n >= min_group]
    other = [unit for unit, n in sizes.items() if n < min_group]
    while not safe(unassigned + sum(sizes[u] for u in other), min_group) and shown:
        smallest = min(shown, key=lambda unit: sizes[unit])
        shown.remove(smallest)
        other.append(smallest)
    if not safe(unassigned + sum(sizes[u] for u in other), min_group):
        return [], list(sizes)
    order = list(sizes)
    return shown, sorted(other, key=order.index)


def incomplete_left_out(incomplete: int, min_group: int) -> bool:
    """Whether a group's incomplete answer sets are left out of its figures.

    A group's answer figures count every answer given and its score figures
    the scored respondents, so together they tell the sum of points of the
    respondents with missing answers. With ``incomplete`` between 1 and
    ``k - 1``, that would be a figure about fewer than ``k`` people: the
    group's figures are then computed from its complete answer sets only.
    """
    return not safe(incomplete, min_group)


def unit_answer_rule(*, role_incomplete: int, unit_incomplete: int, unit_prorated: int,
                     role_left_out: bool, min_group: int) -> str:
    """Whose answers the spread of one unit may count, next to its role's spread.

    Returns
    -------
    str
        ``"all"``: every answer of the unit's respondents; ``"complete"``:
        the answers of its complete answer sets only; ``"withheld"``: the
        unit's spread cannot be shown.

    Notes
    -----
    The unit's spread is shown beside its role's spread and its own mean
    score. Three differences must stay safe: unit answers minus unit scores
    (the unit's incomplete sets), and role minus unit for answers and for
    scores (the other units' incomplete sets). If the role leaves its
    incomplete sets out, so does the unit. Otherwise the unit counts them
    when both its own and the rest of the role's are safe; else it counts
    its complete sets only, which is safe unless its scores include a few
    prorated sets (``max_missing`` above 0): then it is withheld.
    """
    if role_left_out:
        return "complete"
    if safe(unit_incomplete, min_group) and safe(role_incomplete - unit_incomplete, min_group):
        return "all"
    if safe(unit_prorated, min_group):
        return "complete"
    return "withheld"
