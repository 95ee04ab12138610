"""A small benchmark harness: warm-up, repeated timed runs, medians with spread, ratios, slopes."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Timing:
    """Seconds of repeated runs of one case."""

    name: str
    runs: int
    median: float
    minimum: float
    maximum: float
    q1: float
    q3: float

    @property
    def iqr(self) -> float:
        """The interquartile range (q3 − q1)."""
        return self.q3 - self.q1

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "iqr": self.iqr}


def quartiles(values: list[float]) -> tuple[float, float]:
    """The first and third quartile (inclusive method; both equal the value for one run).

    >>> quartiles([1.0, 2.0, 3.0, 4.0, 5.0])
    (2.0, 4.0)
    """
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def measure(
    name: str,
    run: Callable[[], object],
    *,
    setup: Callable[[], object] | None = None,
    min_runs: int = 3,
    max_runs: int = 15,
    budget_seconds: float = 4.0,
    warmup: int = 1,
) -> Timing:
    """Time ``run`` after ``warmup`` untimed runs; repeat until ``budget_seconds`` are spent
    (at least ``min_runs``, at most ``max_runs``). ``setup`` runs untimed before every run."""
    for _ in range(warmup):
        if setup is not None:
            setup()
        run()
    times: list[float] = []
    spent = 0.0
    while len(times) < max_runs and (len(times) < min_runs or spent < budget_seconds):
        if setup is not None:
            setup()
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        spent += elapsed
    q1, q3 = quartiles(times)
    return Timing(name, len(times), statistics.median(times), min(times), max(times), q1, q3)


@dataclass(frozen=True)
class Ratio:
    """``numerator`` / ``denominator`` as median over median, with a spread from the quartiles."""

    name: str
    numerator: str
    denominator: str
    median: float
    low: float
    high: float
    target: float | None = None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.median <= self.target

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "met": self.met}


def ratio(name: str, top: Timing, bottom: Timing, target: float | None = None) -> Ratio:
    """The ratio of two timings; ``low``/``high`` combine their quartiles (q1/q3 and q3/q1).

    >>> a = Timing("a", 3, 2.0, 1.0, 3.0, 1.5, 2.5)
    >>> b = Timing("b", 3, 1.0, 1.0, 1.0, 1.0, 1.0)
    >>> r = ratio("a/b", a, b, target=3)
    >>> r.median, r.low, r.high, r.met
    (2.0, 1.5, 2.5, True)
    """
    return Ratio(
        name,
        top.name,
        bottom.name,
        top.median / bottom.median,
        top.q1 / bottom.q3,
        top.q3 / bottom.q1,
        target,
    )


def fit_slope(sizes: list[float], seconds: list[float]) -> float:
    """The least-squares slope of log(seconds) against log(size) (1 = linear growth).

    >>> round(fit_slope([1, 4, 16], [0.1, 0.4, 1.6]), 6)
    1.0
    """
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
