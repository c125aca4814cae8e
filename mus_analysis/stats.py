"""The statistics of a comparison of rounds.

Small functions on plain numbers and arrays, each checked in the tests
against hand-computed values or a published example:

- :func:`mean_ci`, a mean with its t-based confidence interval;
- :func:`mann_whitney`, the two-sided Mann-Whitney U test with the
  rank-biserial correlation as its effect size;
- :func:`holm`, Holm's step-down adjustment of a family of p-values;
- :func:`cronbach_alpha`, Cronbach's alpha with Feldt's confidence interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _scipy

__all__ = ["MannWhitney", "cronbach_alpha", "holm", "mann_whitney", "mean_ci"]


def _values(values, name: str) -> np.ndarray:
    """The non-missing values of ``values`` as a float array."""
    array = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce")
    array = array.astype("float64").to_numpy()
    if np.isinf(array).any():
        raise ValueError(f"`{name}` holds an infinite value; give finite numbers.")
    return array[~np.isnan(array)]


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"The value for `confidence` must lie between 0 and 1, "
                         f"but {confidence!r} was passed.")


def mean_ci(values, *, confidence: float = 0.95) -> tuple[float, float, float]:
    """The mean of ``values`` and its t-based confidence interval.

    Parameters
    ----------
    values : array-like of numbers
        Missing values are left out.
    confidence : float, default 0.95
        The interval's coverage.

    Returns
    -------
    mean, low, high : float
        NaN where there are no values; the interval is NaN for one value.

    Notes
    -----
    With :math:`n` values, mean :math:`\\bar x` and sample standard deviation
    :math:`s`, the interval is :math:`\\bar x \\pm t_{1-(1-c)/2,\\,n-1}\\,
    s/\\sqrt{n}`, where :math:`t_{q,\\nu}` is the :math:`q` quantile of
    Student's t distribution with :math:`\\nu` degrees of freedom.
    """
    _check_confidence(confidence)
    x = _values(values, "values")
    if x.size == 0:
        return np.nan, np.nan, np.nan
    mean = float(x.mean())
    if x.size == 1:
        return mean, np.nan, np.nan
    half = _scipy.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return mean, float(mean - half), float(mean + half)


@dataclass(frozen=True)
class MannWhitney:
    """The result of :func:`mann_whitney`.

    Attributes
    ----------
    u : float
        U of the first sample: the number of pairs (one value from each
        sample) in which the first sample's value is larger, ties counting
        one half.
    p : float
        Two-sided p-value.
    rank_biserial : float
        ``2 * u / (n_x * n_y) - 1``, from -1 (every value of `x` below every
        value of `y`) to 1 (every value above); 0 when neither tends higher.
    n_x, n_y : int
        The number of values compared in each sample.
    """

    u: float
    p: float
    rank_biserial: float
    n_x: int
    n_y: int


def mann_whitney(x, y) -> MannWhitney:
    """Test whether the values of ``x`` tend to differ from those of ``y``.

    The two-sided Mann-Whitney U test of :func:`scipy.stats.mannwhitneyu`
    with its defaults: the exact distribution for small samples without ties,
    otherwise the normal approximation with tie and continuity corrections.

    Parameters
    ----------
    x, y : array-like of numbers
        The two independent samples; missing values are left out.

    Returns
    -------
    MannWhitney
        All figures NaN when a sample is empty. When every value of both
        samples is the same, ``p`` is 1 and ``rank_biserial`` 0.

    Notes
    -----
    The rank-biserial correlation :math:`r = 2U_x/(n_x n_y) - 1` equals the
    share of pairs in which `x` is larger minus the share in which `y` is
    larger (Kerby's simple difference formula, also known as Cliff's delta).

    References
    ----------
    .. [1] Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of
           two random variables is stochastically larger than the other.
           Annals of Mathematical Statistics, 18(1), 50-60.
    .. [2] Kerby, D. S. (2014). The simple difference formula: an approach to
           teaching nonparametric correlation. Comprehensive Psychology, 3, 11.
    """
    a, b = _values(x, "x"), _values(y, "y")
    if a.size == 0 or b.size == 0:
        return MannWhitney(np.nan, np.nan, np.nan, int(a.size), int(b.size))
    result = _scipy.mannwhitneyu(a, b, alternative="two-sided")
    u = float(result.statistic)
    return MannWhitney(u=u, p=float(result.pvalue),
                       rank_biserial=2 * u / (a.size * b.size) - 1,
                       n_x=int(a.size), n_y=int(b.size))


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values.

    Parameters
    ----------
    pvalues : array-like of float
        The p-values of the tests of one family. Missing values (tests not
        made) are left missing and do not count in the family's size.

    Returns
    -------
    ndarray
        The adjusted p-values, in the order given. A test is significant at
        level :math:`\\alpha` when its adjusted p-value is below
        :math:`\\alpha`, which keeps the chance of any false positive in the
        family at most :math:`\\alpha`.

    Notes
    -----
    With the :math:`m` p-values sorted, :math:`p_{(1)} \\le \\dots \\le
    p_{(m)}`, the adjusted :math:`i`-th is :math:`\\min(1, \\max_{j \\le i}
    (m - j + 1)\\,p_{(j)})`.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test
           procedure. Scandinavian Journal of Statistics, 6(2), 65-70.
    """
    p = np.asarray(pvalues, dtype="float64")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p-values must lie between 0 and 1.")
    adjusted = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    m = tested.size

    # Multiply the i-th smallest by (m - i + 1), then keep the order monotone.
    order = tested[np.argsort(p[tested], kind="stable")]
    stepped = p[order] * (m - np.arange(m))
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(stepped))
    return adjusted


def cronbach_alpha(data: pd.DataFrame, *,
                   confidence: float = 0.95) -> tuple[float, float, float]:
    """Cronbach's alpha of a set of items, with Feldt's confidence interval.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, one column per item, numbers only. Rows with
        a missing value are left out (listwise deletion).
    confidence : float, default 0.95
        The interval's coverage.

    Returns
    -------
    alpha, low, high : float
        NaN when fewer than two complete rows or two items remain, or when
        the total scores do not vary.

    Notes
    -----
    With :math:`k` items of variances :math:`s_i^2` and total scores of
    variance :math:`s_T^2`, :math:`\\alpha = \\frac{k}{k-1}(1 - \\sum_i s_i^2 /
    s_T^2)`. Feldt's interval for :math:`n` respondents is
    :math:`1 - (1 - \\alpha) F_{q}(n-1, (n-1)(k-1))` at the quantiles
    :math:`q = 1 - (1-c)/2` (low end) and :math:`q = (1-c)/2` (high end) of
    the F distribution.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal
           structure of tests. Psychometrika, 16(3), 297-334.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical
           inference for coefficient alpha. Applied Psychological Measurement,
           11(1), 93-103.
    """
    _check_confidence(confidence)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a DataFrame of respondents by items, "
                        f"not {type(data).__name__}.")
    complete = data.apply(pd.to_numeric, errors="coerce").astype("float64").dropna()
    n, k = complete.shape
    if n < 2 or k < 2:
        return np.nan, np.nan, np.nan
    total_var = complete.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return np.nan, np.nan, np.nan
    alpha = k / (k - 1) * (1 - complete.var(ddof=1).sum() / total_var)

    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * _scipy.f.ppf(0.5 + confidence / 2, df1, df2)
    high = 1 - (1 - alpha) * _scipy.f.ppf(0.5 - confidence / 2, df1, df2)
    return float(alpha), float(low), float(high)
