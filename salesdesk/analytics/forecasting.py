"""Forecast methods and their rolling-origin back-test, in pure Python Decimals (A4.1).

Two methods compete: Holt's linear trend (double exponential smoothing, smoothing constants
chosen by the smallest one-step in-sample squared error on a small grid) and the seasonal
naive forecast (the same period one season earlier). The one with the lower back-test mean
absolute error is used. docs/analysis.md states the formulas.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

HOLT = "holt"
SEASONAL_NAIVE = "seasonal_naive"
METHODS = (HOLT, SEASONAL_NAIVE)
GRID = tuple(Decimal(n) / 10 for n in (1, 3, 5, 7, 9))
HORIZON = 3
MONEY = Decimal("0.01")
RATE = Decimal("0.0001")

Series = Sequence[Decimal]
Method = Callable[[Series, int, int], list[Decimal]]


def _holt_run(series: Series, alpha: Decimal, beta: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Smooth the series; returns (level, trend, sum of squared one-step errors)."""
    level, trend = series[0], series[1] - series[0]
    squared = Decimal(0)
    for index, value in enumerate(series[1:], start=1):
        if index >= 2:
            squared += (value - (level + trend)) ** 2
        previous_level = level
        level = alpha * value + (1 - alpha) * (level + trend)
        trend = beta * (level - previous_level) + (1 - beta) * trend
    return level, trend, squared


def holt_parameters(series: Series) -> tuple[Decimal, Decimal]:
    """The (alpha, beta) of the grid with the smallest in-sample error; ties keep the first."""
    best = None
    for alpha in GRID:
        for beta in GRID:
            error = _holt_run(series, alpha, beta)[2]
            if best is None or error < best[0]:
                best = (error, alpha, beta)
    return best[1], best[2]


def holt(series: Series, horizon: int, season: int) -> list[Decimal]:
    """Holt's linear trend: level + h × trend; a single value is carried forward flat."""
    if len(series) < 2:
        return [series[-1]] * horizon
    alpha, beta = holt_parameters(series)
    level, trend, _ = _holt_run(series, alpha, beta)
    return [level + step * trend for step in range(1, horizon + 1)]


def seasonal_naive(series: Series, horizon: int, season: int) -> list[Decimal]:
    """The value one season (12 months, 4 quarters) earlier; with less history, the last one."""
    if len(series) < season:
        return [series[-1]] * horizon
    return [series[len(series) - season + (step % season)] for step in range(horizon)]


FUNCTIONS: dict[str, Method] = {HOLT: holt, SEASONAL_NAIVE: seasonal_naive}


@dataclass(frozen=True)
class BacktestPoint:
    target: int  # index of the forecast period in the series
    horizon: int
    actual: Decimal
    forecasts: dict[str, Decimal]


@dataclass(frozen=True)
class Error:
    mae: Decimal | None
    mape: Decimal | None
    count: int


def backtest(series: Series, season: int, periods: int) -> list[BacktestPoint]:
    """Rolling origin: for each origin among the last `periods`, fit on the history before it
    and forecast 1..HORIZON periods ahead; keep the forecasts that land inside the series."""
    points = []
    for origin in range(max(2, len(series) - periods), len(series)):
        history = series[:origin]
        forecasts = {name: FUNCTIONS[name](history, HORIZON, season) for name in METHODS}
        for step in range(HORIZON):
            target = origin + step
            if target >= len(series):
                break
            points.append(
                BacktestPoint(
                    target,
                    step + 1,
                    series[target],
                    {name: forecasts[name][step] for name in METHODS},
                )
            )
    return points


def errors(points: list[BacktestPoint], method: str) -> Error:
    """MAE over all back-test forecasts; MAPE over those whose actual is not 0."""
    if not points:
        return Error(None, None, 0)
    absolute = [abs(p.forecasts[method] - p.actual) for p in points]
    mae = (sum(absolute, Decimal(0)) / len(absolute)).quantize(MONEY)
    relative = [a / abs(p.actual) for a, p in zip(absolute, points, strict=True) if p.actual]
    mape = (sum(relative, Decimal(0)) / len(relative)).quantize(RATE) if relative else None
    return Error(mae, mape, len(points))


def choose(scores: dict[str, Error]) -> str:
    """The method with the lower back-test MAE; Holt on a tie or without a back-test."""
    known = [name for name in METHODS if scores[name].mae is not None]
    if not known:
        return HOLT
    return min(known, key=lambda name: (scores[name].mae, METHODS.index(name)))
