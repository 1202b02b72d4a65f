"""Forecasts of each daily metric with Holt's linear trend method (double exponential smoothing).

The smoothing constants are chosen by a grid search minimising the one-step-ahead squared error on
the history; the interval is +-z sigma_h with sigma the residual standard deviation of those
one-step errors and sigma_h the textbook h-step growth for Holt's method:
sigma_h^2 = sigma^2 (1 + sum_{j=1}^{h-1} alpha^2 (1 + j beta)^2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

GRID = tuple(round(x, 2) for x in np.arange(0.05, 1.0, 0.05))
Z_95 = 1.959964
MODEL_NAME = "Holt's linear trend (double exponential smoothing)"
INTERVAL_NAME = "95% prediction interval"
BACKTEST_DAYS = 14


@dataclass(frozen=True)
class Forecast:
    alpha: float
    beta: float
    level: float
    trend: float
    residual_std: float
    values: list[float]
    lower: list[float]
    upper: list[float]


def _holt_errors(y: np.ndarray, alpha: float, beta: float) -> tuple[float, float, np.ndarray]:
    level, trend = y[0], (y[1] - y[0]) if len(y) > 1 else 0.0
    errors = np.empty(len(y) - 1)
    for t in range(1, len(y)):
        predicted = level + trend
        errors[t - 1] = y[t] - predicted
        new_level = alpha * y[t] + (1 - alpha) * predicted
        trend = beta * (new_level - level) + (1 - beta) * trend
        level = new_level
    return level, trend, errors


def holt_forecast(history: list[float], *, horizon: int = 30, floor: float | None = 0.0) -> Forecast:
    y = np.asarray(history, dtype=float)
    if len(y) == 0:
        zeros = [0.0] * horizon
        return Forecast(0.0, 0.0, 0.0, 0.0, 0.0, zeros, zeros, zeros)
    if len(y) < 3:
        flat = [float(y[-1])] * horizon
        return Forecast(1.0, 0.0, float(y[-1]), 0.0, 0.0, flat, flat, flat)
    best: tuple[float, float, float] | None = None
    for alpha in GRID:
        for beta in GRID:
            *_, errors = _holt_errors(y, alpha, beta)
            sse = float(np.dot(errors, errors))
            if best is None or sse < best[0]:
                best = (sse, alpha, beta)
    assert best is not None
    _, alpha, beta = best
    level, trend, errors = _holt_errors(y, alpha, beta)
    sigma = float(np.std(errors, ddof=1)) if len(errors) > 1 else 0.0
    values, lower, upper = [], [], []
    spread = 0.0
    for h in range(1, horizon + 1):
        if h > 1:
            spread += alpha**2 * (1 + (h - 1) * beta) ** 2
        width = Z_95 * sigma * math.sqrt(1 + spread)
        value = level + h * trend
        low, high = value - width, value + width
        if floor is not None:
            value, low, high = max(value, floor), max(low, floor), max(high, floor)
        values.append(round(value, 3))
        lower.append(round(low, 3))
        upper.append(round(high, 3))
    return Forecast(alpha, beta, float(level), float(trend), sigma, values, lower, upper)


def backtest(history: list[float], *, holdout: int = BACKTEST_DAYS) -> dict | None:
    """Fit on all but the last `holdout` days, forecast them, and compare with what happened.

    `mae` is the mean absolute error per day; `mean_actual` the mean of the held-out days, so a
    reader can judge the error's size; `covered` the share of held-out days inside the interval.
    None when the history is too short to hold out that much and still fit (3 days).
    """
    if len(history) < holdout + 3:
        return None
    fitted = holt_forecast(history[:-holdout], horizon=holdout)
    actual = history[-holdout:]
    errors = [abs(a - f) for a, f in zip(actual, fitted.values, strict=True)]
    covered = sum(lo <= a <= hi for a, lo, hi in zip(actual, fitted.lower, fitted.upper, strict=True))
    return {
        "days": holdout,
        "mae": round(sum(errors) / holdout, 3),
        "mean_actual": round(sum(actual) / holdout, 3),
        "covered": round(covered / holdout, 3),
    }


def forecast_series(
    series: list[dict], *, metrics: tuple[str, ...], horizon: int = 30, last_day: date | None = None
) -> dict[str, dict]:
    """Forecast each metric of a daily series (as returned by selectors.daily_series).

    A partial day (today) is left out of the fit: its figure is not final.
    """
    series = [point for point in series if not point.get("partial")]
    last = last_day or (date.fromisoformat(series[-1]["date"]) if series else date.today())  # noqa: DTZ011
    days = [(last + timedelta(days=h)).isoformat() for h in range(1, horizon + 1)]
    out: dict[str, dict] = {}
    for metric in metrics:
        history = [float(point.get(metric) or 0) for point in series]
        fc = holt_forecast(history, horizon=horizon)
        out[metric] = {
            "method": "holt-linear",
            "model": MODEL_NAME,
            "alpha": fc.alpha,
            "beta": fc.beta,
            "trend_per_day": round(fc.trend, 4),
            "residual_std": round(fc.residual_std, 4),
            "interval": 0.95,
            "interval_name": INTERVAL_NAME,
            "history_days": len(history),
            "backtest": backtest(history),
            "points": [
                {"date": day, "value": value, "lower": low, "upper": high}
                for day, value, low, high in zip(days, fc.values, fc.lower, fc.upper, strict=True)
            ],
        }
    return out
