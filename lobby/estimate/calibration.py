"""Ranges that calibrate themselves on the branch's own recent errors (conformal style).

Every called ticket that was given an estimate at issue leaves a residual, the
actual wait against the replay's own expected wait in log space:
``r = log((actual + 1) / (model + 1))`` (the minute added keeps short waits from
dominating). Residuals are kept per load level (the size of the estimate:
:data:`LEVEL_EDGES`) and per service within a level, the most recent ones only
(:data:`LEVEL_WINDOW`, :data:`SERVICE_WINDOW`): the last hours and days.

A new estimate takes the :data:`LOW_POINT` and :data:`HIGH_POINT` quantiles of those
residuals, each shrunk toward the model's own range when data is thin: a level's
points count as their number of residuals against :data:`MODEL_WEIGHT`
pseudo-residuals of the model's spread, and a service's own points against
:data:`LEVEL_WEIGHT` of its level's. The range is the expected wait moved by those
points: a range that misses often widens, one that always holds narrows, and one
that misses on one side shifts. The expected wait itself stays the model's: moving
it by the residuals' median lagged behind the day on the tuning families (a rush
over, the correction still pushing) and made the error larger there.

This is split conformal prediction on a sliding window: with residuals exchangeable
with the next one, 80 % of waits fall inside. Days are not exchangeable, so the
window is short and the benchmark checks coverage on days unlike the tuning ones.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

#: Upper edges (minutes of the model's expected wait) of the load levels.
LEVEL_EDGES = (1.0, 4.0, 10.0, 20.0, 35.0, 55.0, 80.0)
#: Residuals kept per load level.
LEVEL_WINDOW = 300
#: Residuals kept per service and load level.
SERVICE_WINDOW = 60
#: Pseudo-residuals the model's own range counts for in a level.
MODEL_WEIGHT = 15.0
#: Pseudo-residuals a service borrows from its level.
LEVEL_WEIGHT = 30.0
#: Fewer residuals at a level than this: the estimate is flagged rough.
ROUGH_BELOW = 20
#: The residual quantiles that make the printed range (meant to hold 80 %). Wider
#: than 10 % / 90 %: the window lags a day that turns worse (residuals arrive only when
#: those customers are called), so plain 10 % / 90 % held 75.7 % on the busiest tuning
#: family (month start). 8 % / 92 % was chosen on the tuning families alone, as the
#: narrowest points keeping every one of them at 78 % or more (weekday 83 %, month
#: start 78 %, lunch rush 84 %, rain 87 %, seed 1).
LOW_POINT, HIGH_POINT = 0.08, 0.92


@dataclass(frozen=True)
class Residual:
    """One estimate given at issue and the wait that followed (minutes)."""

    service_id: int
    model_min: float
    actual_min: float


@dataclass(frozen=True)
class Band:
    """A calibrated estimate: expected wait and range (minutes, not rounded)."""

    expected_min: float
    low_min: float
    high_min: float
    rough: bool


def level_of(model_min: float) -> int:
    """The load level of an estimate."""
    return bisect.bisect_left(LEVEL_EDGES, model_min)


def residual_of(model_min: float, actual_min: float) -> float:
    """The residual of one estimate."""
    return math.log((max(0.0, actual_min) + 1.0) / (max(0.0, model_min) + 1.0))


class _Window:
    """The latest residuals of one group and their quantiles (sorted lazily)."""

    def __init__(self, size: int) -> None:
        self.values: deque[float] = deque(maxlen=size)
        self._sorted: list[float] | None = None

    def add(self, value: float) -> None:
        self.values.append(value)
        self._sorted = None

    def clone(self) -> _Window:
        twin = _Window(self.values.maxlen or 1)
        twin.values.extend(self.values)
        return twin

    def points(self) -> tuple[float, float]:
        if self._sorted is None:
            self._sorted = sorted(self.values)
        return _quantile(self._sorted, LOW_POINT), _quantile(self._sorted, HIGH_POINT)


def _quantile(ordered: list[float], share: float) -> float:
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _blend(
    points: tuple[float, float], n: float, prior: tuple[float, float], weight: float
) -> tuple[float, float]:
    total = n + weight
    return tuple(  # type: ignore[return-value]
        (n * p + weight * q) / total for p, q in zip(points, prior, strict=True)
    )


class Calibration:
    """The branch's recent residuals, per load level and per service within it.

    Add residuals in the order the waits ended; :meth:`band` turns a model estimate
    into the calibrated one.
    """

    def __init__(self, residuals: Iterable[Residual] = ()) -> None:
        self._levels: dict[int, _Window] = {}
        self._services: dict[tuple[int, int], _Window] = {}
        for residual in residuals:
            self.add(residual)

    def add(self, residual: Residual) -> None:
        """Record one estimate against the wait that followed."""
        level = level_of(residual.model_min)
        value = residual_of(residual.model_min, residual.actual_min)
        self._levels.setdefault(level, _Window(LEVEL_WINDOW)).add(value)
        key = (residual.service_id, level)
        self._services.setdefault(key, _Window(SERVICE_WINDOW)).add(value)

    def copy(self) -> Calibration:
        """An independent calibration holding the same residuals."""
        twin = Calibration()
        twin._levels = {level: w.clone() for level, w in self._levels.items()}
        twin._services = {key: w.clone() for key, w in self._services.items()}
        return twin

    def with_overruns(self, waiting: Iterable[Residual]) -> Calibration:
        """This calibration and the misses already known among tickets still waiting.

        A ticket that has waited past its estimate is a miss before it is called:
        its residual is at least that of the wait so far. Counting it at once lets
        a range grow while a day turns worse, instead of when those customers are
        finally called. ``waiting`` holds each waiting ticket's estimate at issue
        and its wait so far; only those past their estimate count. The calibration
        itself is not changed.
        """
        overruns = [r for r in waiting if r.actual_min > r.model_min]
        if not overruns:
            return self
        twin = Calibration()
        twin._levels, twin._services = dict(self._levels), dict(self._services)
        cloned: set[object] = set()
        for residual in overruns:
            level = level_of(residual.model_min)
            value = residual_of(residual.model_min, residual.actual_min)
            key = (residual.service_id, level)
            if level not in cloned:
                base = self._levels.get(level)
                twin._levels[level] = base.clone() if base else _Window(LEVEL_WINDOW)
                cloned.add(level)
            if key not in cloned:
                own = self._services.get(key)
                twin._services[key] = own.clone() if own else _Window(SERVICE_WINDOW)
                cloned.add(key)
            twin._levels[level].add(value)
            twin._services[key].add(value)
        return twin

    def __len__(self) -> int:
        """Residuals known over every level."""
        return sum(len(w.values) for w in self._levels.values())

    def count(self, model_min: float) -> int:
        """Residuals known at the level of an estimate of ``model_min`` minutes."""
        window = self._levels.get(level_of(model_min))
        return 0 if window is None else len(window.values)

    def band(self, service_id: int, model_min: float, low_min: float, high_min: float) -> Band:
        """The calibrated estimate for the model's ``model_min`` and its own range."""
        base = max(0.0, model_min) + 1.0
        prior = (
            math.log((max(0.0, low_min) + 1.0) / base),
            math.log((max(0.0, high_min) + 1.0) / base),
        )
        level = level_of(model_min)
        window = self._levels.get(level)
        n = 0 if window is None else len(window.values)
        points = prior if window is None else _blend(window.points(), n, prior, MODEL_WEIGHT)
        own = self._services.get((service_id, level))
        if own is not None:
            points = _blend(own.points(), len(own.values), points, LEVEL_WEIGHT)
        low, high = points
        return Band(
            expected_min=max(0.0, model_min),
            low_min=max(0.0, base * math.exp(min(low, 0.0)) - 1.0),
            high_min=base * math.exp(max(high, 0.0)) - 1.0,
            rough=n < ROUGH_BELOW,
        )
